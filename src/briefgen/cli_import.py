"""Commands ``import`` (pasted assessments -> briefs) and ``sources`` (list, complete the registry)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from briefgen.parse_pool import parse_briefs, parse_registries
from briefgen.cli_common import guarded, print_diagnostics, root_option
from briefgen.config import CONFIG_FILE, load_config
from briefgen.diagnostics import BriefgenError, Diagnostic, Location, error, has_errors
from briefgen.importer import DEFAULT_SERIES, import_text
from briefgen.model import InputFile, Site
from briefgen.read import read_site
from briefgen.resolve import resolve_site
from briefgen.sources.resolvers import parse_rules
from briefgen.registry_edit import append_entries


@click.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--into", "into", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The site folder whose briefs/ receives the briefs (default: the current folder).")
@click.option("--date", "date", default=None, metavar="YYYY-MM-DD",
              help="The date of the brief, whatever the text or file name says.")
@guarded
def import_command(files: tuple[Path, ...], into: Path | None, date: str | None) -> None:
    """Turn pasted assessments (FILE...) into new briefs in briefs/."""
    root = into or Path(".")
    when = _parse_date_option(date)
    series = _series_names(root)
    diagnostics: list[Diagnostic] = []
    written = []
    for file in files:
        target, found = _import_one(file, root, when, series)
        diagnostics += found
        if target:
            written.append(target)
    print_diagnostics(tuple(diagnostics))
    for target in written:
        click.echo(f"imported {target}", err=True)
    if has_errors(diagnostics):
        sys.exit(1)


def _parse_date_option(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise BriefgenError([error("import.date-option", Location("--date"), f"--date {text!r} is not a date",
                                   "write the date as YYYY-MM-DD, e.g. --date 2022-11-23")]) from None


def _series_names(root: Path) -> tuple[str, ...]:
    path = root / CONFIG_FILE
    if not path.is_file():
        return DEFAULT_SERIES
    config, _ = load_config(InputFile(CONFIG_FILE, path.read_text(encoding="utf-8", errors="replace")))
    return config.assessment_series or DEFAULT_SERIES


def _import_one(file: Path, root: Path, date: dt.date | None,
                series: tuple[str, ...]) -> tuple[Path | None, list[Diagnostic]]:
    where = file.as_posix()
    try:
        text = file.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        return None, [error("import.io", Location(where), f"cannot read {where}: {exc.strerror}",
                            "check the file name and its permissions")]
    except UnicodeDecodeError:
        return None, [error("import.encoding", Location(where), f"{where} is not UTF-8 text",
                            "save the file as UTF-8 and import it again")]
    imported, diagnostics = import_text(text, where, date, series)
    if imported is None:
        return None, diagnostics
    target = root / "briefs" / imported.file_name
    if target.exists():
        return None, diagnostics + [error(
            "import.exists", Location(where), f"{target.as_posix()} already exists; nothing was written",
            "remove or rename the existing brief, or give another date with --date")]
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "x", encoding="utf-8", newline="\n") as handle:
        handle.write(imported.text)
    return target, diagnostics


@click.command("sources")
@click.option("--missing", is_flag=True, help="Only the sources without a registry entry (inferred ones).")
@click.option("--add", "add", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Append the inferred sources to this registry file as entries to complete.")
@root_option
@guarded
def sources_command(missing: bool, add: Path | None, root: Path) -> None:
    """List the sources the briefs cite, with how often each is cited."""
    site, _diagnostics = build_site_model(root)
    counts = {sid: len(links) for sid, links in site.backlinks.items()}
    chosen = [s for s in site.sources if s.inferred or not missing]
    for source in sorted(chosen, key=lambda s: (-counts.get(s.id, 0), s.id)):
        mark = " (inferred)" if source.inferred else ""
        click.echo(f"{counts.get(source.id, 0):5d}  {source.id}  {source.url}{mark}")
    if add is not None:
        _add_entries(root, add, [s for s in site.sources if s.inferred])


def build_site_model(root: Path) -> tuple[Site, list[Diagnostic]]:
    """Read and resolve the site in ``root`` (no rendering, no writing)."""
    files, diagnostics = read_site(root)
    config, more = load_config(files.config)
    rules, more2 = parse_rules(list(config.resolvers), config.resolvers_location)
    briefs, more3 = parse_briefs(files.briefs)
    registry, more4 = parse_registries(files.registries)
    site, more5 = resolve_site(config, briefs, registry, rules)
    return site, diagnostics + more + more2 + more3 + more4 + more5


def _add_entries(root: Path, add: Path, sources) -> None:
    path = add if add.is_absolute() else root / add
    if path.suffix.lower() not in (".yaml", ".yml"):
        raise BriefgenError([error("sources.add-file", Location(add.as_posix()),
                                   f"{add.as_posix()} is not a YAML registry file",
                                   "name a .yaml file, e.g. citations/sources.yaml")])
    existing = path.read_text(encoding="utf-8") if path.exists() else ""
    new_text, added = append_entries(existing, sources)
    if added:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(new_text, encoding="utf-8")
    click.echo(f"added {added} entr{'y' if added == 1 else 'ies'} to {path.as_posix()}", err=True)

