"""Commands. Bad input becomes diagnostics and exit status 1, never a traceback."""

from __future__ import annotations

import functools
import os
import shutil
import sys
import traceback
from pathlib import Path

import click

from briefgen import __version__
from briefgen.build import build
from briefgen.diagnostics import BriefgenError, Diagnostic, format_report

SKELETON = Path(__file__).parent / "skeleton"


def _guarded(command):
    """Turn BriefgenError into its diagnostics and exit 1; anything else into a short report."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except BriefgenError as exc:
            _print_diagnostics(exc.diagnostics, kwargs.get("fmt", "text"))
            _summary(exc.diagnostics)
            sys.exit(1)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)
        except Exception:  # noqa: BLE001 - a bug in briefgen, not bad input
            if os.environ.get("BRIEFGEN_DEBUG"):
                traceback.print_exc()
            click.echo("briefgen: internal error: this is a bug in briefgen, not in your files; "
                       "run again with BRIEFGEN_DEBUG=1 to see the details and report them", err=True)
            sys.exit(2)

    return wrapper


def _print_diagnostics(diagnostics: tuple[Diagnostic, ...], fmt: str = "text") -> None:
    if diagnostics:
        stream_is_err = fmt == "text"
        click.echo(format_report(diagnostics, fmt), err=stream_is_err)


def _summary(diagnostics: tuple[Diagnostic, ...]) -> None:
    errors = sum(d.severity == "error" for d in diagnostics)
    warnings = len(diagnostics) - errors
    click.echo(f"{errors} error(s), {warnings} warning(s)", err=True)


@click.group()
@click.version_option(__version__, prog_name="briefgen")
def main() -> None:
    """briefgen: build a linked static site from research briefs and their sources."""


@main.command("build")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder (default: site/).")
@click.option("--root", type=click.Path(file_okay=False, exists=True, path_type=Path), default=Path("."),
              help="The site folder (default: the current folder).")
@_guarded
def build_command(strict: bool, out: Path | None, root: Path) -> None:
    """Build the site into site/ (or --out DIR)."""
    report = build(root, out=out, strict=strict)
    _print_diagnostics(report.diagnostics)
    target = out or root / "site"
    click.echo(
        f"built {report.briefs} brief(s), {report.sources} source(s): {report.files} files "
        f"in {target}/ ({report.seconds:.2f} s)",
        err=True,
    )


@main.command("check")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--format", "fmt", type=click.Choice(["text", "github", "json"]), default="text",
              help="How to print diagnostics.")
@click.option("--root", type=click.Path(file_okay=False, exists=True, path_type=Path), default=Path("."),
              help="The site folder (default: the current folder).")
@_guarded
def check_command(strict: bool, fmt: str, root: Path) -> None:
    """Validate briefs and registry without writing anything."""
    report = build(root, strict=strict, write=False)
    if fmt == "json" or report.diagnostics:
        _print_diagnostics(report.diagnostics, fmt)
    if fmt == "text":
        click.echo(f"checked {report.briefs} brief(s), {report.sources} source(s): no errors", err=True)


@main.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@_guarded
def init_command(directory: Path) -> None:
    """Create a new briefing site in DIRECTORY."""
    if directory.exists() and any(directory.iterdir()):
        click.echo(f"briefgen: {directory} is not empty; choose a new folder", err=True)
        sys.exit(1)
    shutil.copytree(SKELETON, directory, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__"))
    click.echo(f"created a briefing site in {directory}/: cd {directory} && briefgen build", err=True)
