"""The source registry: ``citations/*.yaml`` and ``citations/*.bib`` as ``Source`` records.

Parsers take the text the read stage loaded and return sources plus
diagnostics with exact ``file:line:column`` locations; they never raise on
bad input.  ``merge_registry`` joins all files into one id -> source map
and one identity key -> id map.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, replace

import pybtex.database
import pybtex.errors
import yaml

from briefgen.diagnostics import Diagnostic, Location, error, warning
from briefgen.safe_yaml import alias_bomb, editor_lines, loader_for, unsafe_tags
from briefgen.model import KIND_ALIASES, SOURCE_KINDS, Source
from briefgen.sources.identity import clean_url
from briefgen.sources.resolvers import MONTHS, identity_key, infer_source

FIELDS = ("url", "title", "publisher", "date", "kind", "aliases", "archived")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,120}\Z")
_FULL_DATE = re.compile(r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[Tt ].*)?$")
_PARTIAL_DATE = re.compile(r"^[0-9]{4}(?:-[0-9]{1,2})?$")
_NULL = "tag:yaml.org,2002:null"


# ===================================================================== YAML
def parse_registry(text: str, path: str) -> tuple[list[Source], list[Diagnostic]]:
    """Sources from one YAML registry file: a mapping of id -> entry. Locations count lines
    as editors do (by line feeds), also where YAML counts other line breaks."""
    sources, diagnostics = _parse_registry(text, path)
    where = editor_lines(text)
    if where is None:
        return sources, diagnostics
    return ([replace(s, location=where.of(s.location)) if s.location else s for s in sources],
            where.diagnostics(diagnostics))


def _parse_registry(text: str, path: str) -> tuple[list[Source], list[Diagnostic]]:
    root, problems = compose_registry(text, path)
    if root is None:
        return [], problems
    return collect(registry_entries(root, path))


def compose_registry(text: str, path: str) -> tuple[yaml.MappingNode | None, list[Diagnostic]]:
    """The registry's mapping node, or None with what is wrong (nothing for an empty file)."""
    try:
        root = yaml.compose(text, Loader=loader_for(text))
    except yaml.YAMLError as exc:
        return None, [_yaml_error(exc, path)]
    except RecursionError:
        return None, [error("registry.yaml", Location(path), "invalid YAML: it is nested too deeply",
                            "write each entry as a flat mapping of fields")]
    refused = _refuse(root, path, text)
    if refused:
        return None, refused
    if root is None or (isinstance(root, yaml.ScalarNode) and root.tag == _NULL):
        return None, []
    if not isinstance(root, yaml.MappingNode):
        return None, [error("registry.not-mapping", _loc(path, root),
                            "a registry file must be a mapping of source ids to entries",
                            "write 'my-source-id:' followed by indented 'url: ...', 'title: ...'")]
    return root, []


@dataclass(frozen=True)
class Entry:
    """One id of a registry file and what it gave, before ids are compared across entries."""

    id: str
    where: Location
    bad_id: Diagnostic | None          # the id is not usable: nothing else is looked at
    source: Source | None
    problems: tuple[Diagnostic, ...]


def registry_entries(root: yaml.MappingNode, path: str) -> list[Entry]:
    return [_entry(key_node, value_node, path) for key_node, value_node in root.value]


def collect(entries: list[Entry]) -> tuple[list[Source], list[Diagnostic]]:
    """The sources and diagnostics of a file's entries, in order; an id given again is an error."""
    sources, diagnostics, seen = [], [], {}
    for entry in entries:
        problem = entry.bad_id or _check_duplicate(entry.id, entry.where, seen)
        if problem:
            diagnostics.append(problem)
            continue
        seen[entry.id] = entry.where
        diagnostics += entry.problems
        if entry.source:
            sources.append(entry.source)
    return sources, diagnostics


def _refuse(root: yaml.Node | None, path: str, text: str) -> list[Diagnostic]:
    """Alias bombs and tags that would construct objects (``!!python/object``) are refused."""
    bomb = alias_bomb(root, text=text)
    if bomb is not None:
        return [error("registry.yaml", _loc(path, bomb), "invalid YAML: its aliases expand to a huge (or endless) value",
                      "write the values out instead of repeating them with aliases")]
    return [error("registry.tag", _loc(path, node), f"the YAML tag '{node.tag}' is not allowed",
                  "remove the tag: registry values are plain text, lists and mappings")
            for node in unsafe_tags(root, text)]


def _yaml_error(exc: yaml.YAMLError, path: str) -> Diagnostic:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return error("registry.yaml", Location(path, line, column), f"invalid YAML: {problem}",
                 "check indentation, colons and quotes around this place")


def _loc(path: str, node: yaml.Node) -> Location:
    return Location(path, node.start_mark.line + 1, node.start_mark.column + 1)


def _entry(key_node: yaml.Node, value_node: yaml.Node, path: str) -> Entry:
    where = _loc(path, key_node)
    source_id = key_node.value if isinstance(key_node, yaml.ScalarNode) else ""
    bad_id = _check_id(source_id, where)
    if bad_id:
        return Entry(source_id, where, bad_id, None, ())
    if not isinstance(value_node, yaml.MappingNode):
        return Entry(source_id, where, None, None, (error(
            "registry.entry", _loc(path, value_node), f"entry '{source_id}' must be a mapping of fields",
            f"indent the fields under the id: {', '.join(FIELDS)}"),))
    fields, diagnostics = _entry_fields(value_node, path, source_id)
    source = _build_yaml_source(source_id, fields, where, diagnostics)
    return Entry(source_id, where, None, source, tuple(diagnostics))


def _check_id(source_id: str, where: Location) -> Diagnostic | None:
    if _ID.match(source_id) and ".." not in source_id:
        return None
    return error("registry.id", where, f"'{source_id}' is not a usable source id",
                 "use letters, digits, '.', '_' and '-', starting with a letter or digit")


def _check_duplicate(source_id: str, where: Location, seen: dict[str, Location]) -> Diagnostic | None:
    first = seen.get(source_id)
    if first is None:
        return None
    return error("registry.duplicate-id", where,
                 f"source id '{source_id}' is defined twice (first at {first})",
                 "rename one entry or merge the two")


def _entry_fields(node: yaml.MappingNode, path: str,
                  source_id: str) -> tuple[dict[str, tuple[Location, yaml.Node]], list[Diagnostic]]:
    fields: dict[str, tuple[Location, yaml.Node]] = {}
    diagnostics = []
    for key, value in node.value:
        name = key.value if isinstance(key, yaml.ScalarNode) else str(key.tag)
        where = _loc(path, key)
        if name not in FIELDS:
            diagnostics.append(_unknown_key(name, where, source_id))
        elif name in fields:
            diagnostics.append(error("registry.duplicate-field", where,
                                     f"'{name}' is given twice in '{source_id}' "
                                     f"(first at line {fields[name][0].line})",
                                     "keep one of them"))
        else:
            fields[name] = (_loc(path, value), value)
    return fields, diagnostics


def _unknown_key(name: str, where: Location, source_id: str) -> Diagnostic:
    close = difflib.get_close_matches(name, FIELDS, n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    return error("registry.unknown-key", where, f"unknown field '{name}' in '{source_id}'",
                 f"{hint}allowed fields: {', '.join(FIELDS)}")


def _build_yaml_source(source_id: str, fields: dict[str, tuple[Location, yaml.Node]],
                       where: Location, diagnostics: list[Diagnostic]) -> Source | None:
    url = _url_field(fields.get("url"), "url", where, diagnostics, required=True)
    if not url:
        return None
    title = _text_field(fields.get("title"), "title", where, diagnostics)
    publisher = _text_field(fields.get("publisher"), "publisher", where, diagnostics)
    # What the URL tells is worked out only for an entry that leaves something out.
    kind = _scalar(fields["kind"]) if "kind" in fields else None
    complete = (title is not None and publisher is not None and "date" in fields
                and (kind in SOURCE_KINDS or kind in KIND_ALIASES))
    inferred = None if complete else infer_source(url)
    values = {
        "title": title if title is not None else _missing("title", inferred.title, where, diagnostics),
        "publisher": publisher if publisher is not None
        else _missing("publisher", inferred.publisher, where, diagnostics),
        "date": _date_field(fields.get("date"), diagnostics, inferred and inferred.date),
        "kind": _kind_field(fields.get("kind"), diagnostics, inferred.kind if inferred else "other"),
        "aliases": _aliases_field(fields.get("aliases"), where, diagnostics),
        "archived": _url_field(fields.get("archived"), "archived", where, diagnostics) or "",
    }
    return Source(id=source_id, url=url, location=where, **values)


def _missing(name: str, value: str, where: Location, diagnostics: list[Diagnostic]) -> str:
    diagnostics.append(warning("registry.missing-field", where,
                               f"no {name}; using '{value}' taken from the URL",
                               f"add a '{name}' field to the entry"))
    return value


def _scalar(field: tuple[Location, yaml.Node] | None) -> str | None:
    """The text of a scalar field; '' for null; None when absent or not a scalar."""
    if field is None or not isinstance(field[1], yaml.ScalarNode):
        return None
    return "" if field[1].tag == _NULL else field[1].value


def _text_field(field, name: str, where: Location, diagnostics: list[Diagnostic]) -> str | None:
    if field is None:
        return None
    text = _scalar(field)
    if text is None:
        diagnostics.append(error("registry.type", field[0], f"'{name}' must be text",
                                 f"write '{name}: some text' on one line"))
        return None
    return " ".join(text.split()) or None


def _url_field(field, name: str, where: Location, diagnostics: list[Diagnostic],
               required: bool = False) -> str | None:
    if field is None:
        if required:
            diagnostics.append(error("registry.url", where, f"entry has no {name}",
                                     "add 'url: https://...' to the entry"))
        return None
    return _check_url(_scalar(field), name, field[0], diagnostics)


def _check_url(text: str | None, name: str, where: Location,
               diagnostics: list[Diagnostic]) -> str | None:
    url = clean_url(text) if text else None
    if not url:
        diagnostics.append(error("registry.url", where,
                                 f"{name} {text!r} is not an http(s) URL" if text else f"empty {name}",
                                 "write a full address such as https://example.com/page"))
    return url


def _date_field(field, diagnostics: list[Diagnostic], default: dt.date | None) -> dt.date | None:
    if field is None:
        return default
    text = _scalar(field)
    if text is None:
        diagnostics.append(error("registry.type", field[0], "'date' must be a date",
                                 "write the date as YYYY-MM-DD"))
        return None
    if not text.strip():
        return None
    date, problem = parse_date(text)
    if problem:
        make = warning if _PARTIAL_DATE.match(text.strip()) else error
        diagnostics.append(make("registry.date", field[0], problem, "write the date as YYYY-MM-DD"))
    return date


def parse_date(text: str) -> tuple[dt.date | None, str]:
    """A full date from ``YYYY-MM-DD`` (or a YAML timestamp); else None and the problem."""
    text = text.strip()
    match = _FULL_DATE.match(text)
    if match:
        try:
            return dt.date(*(int(g) for g in match.groups())), ""
        except ValueError:
            return None, f"'{text}' is not a valid date"
    if _PARTIAL_DATE.match(text):
        return None, f"'{text}' has no day; the source is shown without a date"
    return None, f"'{text}' is not a date"


def _kind_field(field, diagnostics: list[Diagnostic], default: str) -> str:
    text = _scalar(field) if field else None
    if field is None or text == "":
        return default
    if text in SOURCE_KINDS:
        return text
    if text in KIND_ALIASES:
        return KIND_ALIASES[text]
    diagnostics.append(warning("registry.kind", field[0], f"unknown kind {text!r}; using {default!r}",
                               f"use one of: {', '.join(SOURCE_KINDS)}"))
    return default


def _aliases_field(field, where: Location, diagnostics: list[Diagnostic]) -> tuple[str, ...]:
    if field is None or _scalar(field) == "":
        return ()
    location, node = field
    if isinstance(node, yaml.ScalarNode):
        items = [(location, node.value)]
    elif isinstance(node, yaml.SequenceNode):
        items = [(_loc(location.path, n), n.value if isinstance(n, yaml.ScalarNode) else None)
                 for n in node.value]
    else:
        diagnostics.append(error("registry.type", location, "'aliases' must be a list of URLs",
                                 "write 'aliases: [https://..., https://...]'"))
        return ()
    urls = [_check_url(text, "alias", loc, diagnostics) for loc, text in items]
    return tuple(u for u in urls if u)


# =================================================================== BibTeX
_BIB_ENTRY = re.compile(r"@\s*(\w+)\s*[{(]\s*([^,\s{}()]+)\s*,")
_BIB_KINDS = {
    "article": "news", "news": "news", "newspaper": "news",
    "techreport": "document", "report": "document", "book": "document", "inbook": "document",
    "incollection": "document", "inproceedings": "document", "proceedings": "document",
    "manual": "document", "thesis": "document", "phdthesis": "document",
    "mastersthesis": "document", "misc": "other", "unpublished": "other",
}
_PUBLISHER_FIELDS = ("journal", "journaltitle", "publisher", "organization", "institution",
                     "howpublished")
_LATEX = (("\\&", "&"), ("\\%", "%"), ("\\_", "_"), ("\\#", "#"), ("\\$", "$"), ("~", " "),
          ("---", "—"), ("--", "–"), ("{", ""), ("}", ""))


def parse_bibtex(text: str, path: str) -> tuple[list[Source], list[Diagnostic]]:
    """Sources from one BibTeX file: the entry key is the id, ``url`` (or ``doi``) the URL."""
    places = _bib_places(text, path)
    try:
        with pybtex.errors.capture() as captured:
            data = pybtex.database.parse_string(text, "bibtex")
    except Exception as exc:  # noqa: BLE001 - pybtex raises many exception types
        line = getattr(exc, "lineno", None) or 1
        return [], [error("registry.bibtex", Location(path, line), f"invalid BibTeX: {exc}",
                          "check braces, commas and quotes of the entry")]
    diagnostics = [_bib_problem(exc, path, places) for exc in captured]
    sources = []
    for key, entry in data.entries.items():
        where = places.get(key.lower(), [Location(path)])[0]
        source = _bib_source(key, entry, where, diagnostics)
        if source:
            sources.append(source)
    return sources, diagnostics


def _bib_places(text: str, path: str) -> dict[str, list[Location]]:
    places: dict[str, list[Location]] = {}
    for match in _BIB_ENTRY.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        places.setdefault(match.group(2).lower(), []).append(Location(path, line, column))
    return places


def _bib_problem(exc: Exception, path: str, places: dict[str, list[Location]]) -> Diagnostic:
    message = str(exc)
    if message.startswith("repeated bibliography entry"):
        key = message.rpartition(":")[2].strip()
        found = places.get(key.lower(), [])
        where = found[1] if len(found) > 1 else Location(path)
        first = f" (first at {found[0]})" if found else ""
        return error("registry.duplicate-id", where, f"source id '{key}' is defined twice{first}",
                     "rename one entry or merge the two")
    line = getattr(exc, "lineno", None) or 1
    return error("registry.bibtex", Location(path, line), f"invalid BibTeX: {message}",
                 "check braces, commas and quotes of the entry")


def _latex(value: str) -> str:
    for old, new in _LATEX:
        value = value.replace(old, new)
    return " ".join(value.split())


def _bib_source(key: str, entry, where: Location, diagnostics: list[Diagnostic]) -> Source | None:
    problem = _check_id(key, where)
    if problem:
        diagnostics.append(problem)
        return None
    fields = {name.lower(): _latex(str(value)) for name, value in entry.fields.items()}
    url = _bib_url(fields, where, diagnostics)
    if not url:
        return None
    inferred = infer_source(url)
    publisher = next((fields[f] for f in _PUBLISHER_FIELDS
                      if fields.get(f) and "http" not in fields[f] and "\\url" not in fields[f]), "")
    return Source(
        id=key, url=url, location=where,
        title=fields.get("title") or _missing("title", inferred.title, where, diagnostics),
        publisher=publisher or _missing("publisher", inferred.publisher, where, diagnostics),
        date=_bib_date(fields, where, diagnostics),
        kind=_bib_kind(entry.type.lower(), fields),
        aliases=tuple(u for u in map(clean_url, fields.get("aliases", "").replace(",", " ").split()) if u),
        archived=clean_url(fields.get("archived") or fields.get("archiveurl") or "") or "",
    )


def _bib_url(fields: dict[str, str], where: Location, diagnostics: list[Diagnostic]) -> str | None:
    if fields.get("url"):
        return _check_url(fields["url"].replace("\\url", ""), "url", where, diagnostics)
    doi = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)", "", fields.get("doi", ""), flags=re.I)
    if doi:
        return f"https://doi.org/{doi}"
    diagnostics.append(error("registry.url", where, "entry has neither url nor doi",
                             "add 'url = {https://...}' to the entry"))
    return None


def _bib_date(fields: dict[str, str], where: Location, diagnostics: list[Diagnostic]) -> dt.date | None:
    text = fields.get("date", "")
    if not text and fields.get("year"):
        month = fields.get("month", "").strip().lower()
        number = MONTHS.get(month.rstrip(".")) or (int(month) if re.fullmatch("[0-9]{1,2}", month) else 0)
        text = fields["year"] + (f"-{number:02d}" if number else "")
        text += f"-{fields['day']}" if number and fields.get("day") else ""
    if not text:
        return None
    date, problem = parse_date(text)
    if problem and not _PARTIAL_DATE.match(text.strip()):
        diagnostics.append(warning("registry.date", where, problem, "write date = {YYYY-MM-DD}"))
    return date


def _bib_kind(entry_type: str, fields: dict[str, str]) -> str:
    if fields.get("kind") in SOURCE_KINDS:
        return fields["kind"]
    if entry_type in ("online", "www", "electronic"):
        return "news" if fields.get("journaltitle") or fields.get("journal") else "other"
    return _BIB_KINDS.get(entry_type, "other")


# ==================================================================== merge
def merge_registry(
    sources: list[Source],
) -> tuple[dict[str, Source], dict[str, str], list[Diagnostic]]:
    """(id -> source, identity key -> id, diagnostics), first definition winning."""
    by_id: dict[str, Source] = {}
    by_key: dict[str, str] = {}
    diagnostics: list[Diagnostic] = []
    for source in sources:
        where = source.location or Location("citations")
        first = by_id.get(source.id)
        if first is not None:
            diagnostics.append(error(
                "registry.duplicate-id", where,
                f"source id '{source.id}' is already defined at {_place(first)}",
                "rename one entry or merge the two"))
            continue
        by_id[source.id] = source
        diagnostics += _claim_keys(source, where, by_id, by_key)
    return by_id, by_key, diagnostics


def _claim_keys(source: Source, where: Location, by_id: dict[str, Source],
                by_key: dict[str, str]) -> list[Diagnostic]:
    diagnostics = []
    for url in (source.url, *source.aliases):
        key = identity_key(url)
        owner = by_key.setdefault(key, source.id)
        if owner != source.id:
            diagnostics.append(error(
                "registry.duplicate-url", where,
                f"{url} of '{source.id}' is the same source as '{owner}' "
                f"at {_place(by_id[owner])}",
                f"keep one entry and list the other URL under its aliases"))
    return diagnostics


def _place(source: Source) -> str:
    return str(source.location) if source.location else "(unknown place)"
