"""Commands. Bad input becomes diagnostics and exit status 1, never a traceback."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import click

from briefgen import __version__
from briefgen.build import build
from briefgen.cli_common import guarded, print_diagnostics, progress_line, root_option

SKELETON = Path(__file__).parent / "skeleton"
_ENDING = False     # the process ends when the command does (``run``): nothing needs freeing


@click.group()
@click.version_option(__version__, prog_name="briefgen")
def main() -> None:
    """briefgen: build a linked static site from research briefs and their sources."""


def run() -> None:
    """The ``briefgen`` program: ``main``, then the process ends at once, its output flushed,
    without freeing one by one what the command left in memory (a 2,000-brief build holds
    millions of objects: about 1.3 s of teardown after a rebuild). briefgen registers
    nothing to run at exit, and every file it writes is closed before a command returns."""
    global _ENDING
    _ENDING = True
    try:
        main()
        code = 0
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else 0 if done.code is None else 1
        if isinstance(done.code, str):
            print(done.code, file=sys.stderr)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):     # a closed pipe (briefgen build | head): nothing to flush into
            code = code or 1
    os._exit(code)


@main.command("build")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder (default: site/).")
@click.option("--force", is_flag=True, help="Rebuild even when nothing changed since the last build.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Processes that render pages (default: one per core on a large site).")
@root_option
@guarded
def build_command(strict: bool, out: Path | None, force: bool, jobs: int | None, root: Path) -> None:
    """Build the site into site/ (or --out DIR)."""
    with progress_line() as progress:
        report = build(root, out=out, strict=strict, force=force, jobs=jobs, progress=progress, ending=_ENDING)
    print_diagnostics(report.diagnostics)
    target = out or root / "site"
    if report.up_to_date:
        click.echo(f"{target}/ is up to date: nothing changed since the last build "
                   f"({report.briefs} brief(s), {report.sources} source(s); --force rebuilds)", err=True)
        return
    click.echo(
        f"built {report.briefs} brief(s), {report.sources} source(s): {report.files} files "
        f"in {target}/ ({report.seconds:.2f} s)",
        err=True,
    )


@main.command("check")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--format", "fmt", type=click.Choice(["text", "github", "json"]), default="text",
              help="How to print diagnostics.")
@root_option
@guarded
def check_command(strict: bool, fmt: str, root: Path) -> None:
    """Validate briefs and registry without writing anything."""
    report = build(root, strict=strict, write=False)
    if fmt == "json" or report.diagnostics:
        print_diagnostics(report.diagnostics, fmt)
    if fmt == "text":
        click.echo(f"checked {report.briefs} brief(s), {report.sources} source(s): no errors", err=True)


@main.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@guarded
def init_command(directory: Path) -> None:
    """Create a new briefing site in DIRECTORY."""
    if directory.exists() and any(directory.iterdir()):
        click.echo(f"briefgen: {directory} is not empty; choose a new folder", err=True)
        sys.exit(1)
    shutil.copytree(SKELETON, directory, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__"))
    # What a build makes is kept out of version control: the site and the build record.
    (directory / ".gitignore").write_text("/site/\n/.briefgen-cache/\n", encoding="utf-8")
    click.echo(f"created a briefing site in {directory}/: cd {directory} && briefgen build", err=True)


# Commands defined in modules of their own register here, one line each.
from briefgen.cli_import import import_command, sources_command  # noqa: E402
main.add_command(import_command)
main.add_command(sources_command)
from briefgen.cli_serve import new_command, serve_command  # noqa: E402
main.add_command(serve_command)
main.add_command(new_command)
