"""Exports of each brief: how to cite it, and everything it cites.

``cite.*`` holds the brief itself, ``sources.*`` every source its notes cite (in order
of first citation), each as BibTeX (``.bib``), RIS (``.ris``) and CSL-JSON (``.json``).
Pure functions of the ``Site``; the plan stage turns them into pages.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

from pybtex.database import Entry, Person

from briefgen.bibstyle import brief_entry, source_fields
from briefgen.model import Brief, Site, Source

EXPORT_FILES = ("cite.bib", "sources.bib", "cite.ris", "sources.ris", "cite.json", "sources.json")
RIS_TYPES = {"news": "NEWS", "assessment": "RPRT", "backgrounder": "RPRT", "document": "GEN",
             "social": "ELEC", "other": "ELEC"}
CSL_TYPES = {"news": "article-newspaper", "assessment": "report", "backgrounder": "report",
             "document": "document", "social": "post", "other": "webpage"}
_FIELD_ORDER = ("author", "title", "type", "journal", "institution", "howpublished", "year", "month",
                "day", "date", "url", "note")


@dataclass(frozen=True, slots=True)
class ExportText:
    """One export file, made into text only when rendered (``str()``). A plan holds what
    each file is made of rather than its text (the sources files of a 2,000-brief archive
    are 200 MB of text), and on a large site the render workers make the texts in parallel.
    Two equal ExportTexts give the same text."""

    name: str                      # one of EXPORT_FILES
    brief: Brief | None            # cite.*: the brief (None for sources.*)
    sources: tuple[Source, ...]    # sources.*: what the brief cites, in order (() for cite.*)
    site_title: str = ""
    url: str = ""                  # the brief's absolute URL ("" without a base_url)

    def __str__(self) -> str:
        if self.name == "sources.bib":
            return "\n".join(source_bibtex(s) for s in self.sources)
        if self.name == "sources.ris":
            return "".join(source_ris(s) for s in self.sources)
        if self.name == "sources.json":
            return _json_lines([source_json(s) for s in self.sources])
        brief, title, url = self.brief, self.site_title, self.url
        if self.name == "cite.bib":
            return bibtex([(brief.slug, brief_entry(brief, title, url))])
        if self.name == "cite.ris":
            return ris_brief(brief, title, url)
        return _json([csl_brief(brief, title, url)])


def export_files(site: Site, brief: Brief, by_id: dict[str, Source] | None = None) -> dict[str, ExportText]:
    """The six export files of ``brief`` (EXPORT_FILES order), not yet made into text
    (``by_id``: the site's sources by id, when the caller already has them)."""
    url = brief_url(site, brief)
    sources = tuple(cited_sources(site, brief, by_id))
    return {name: ExportText(name, brief, (), site.title, url) if name.startswith("cite.")
            else ExportText(name, None, sources) for name in EXPORT_FILES}


def brief_exports(site: Site, brief: Brief, by_id: dict[str, Source] | None = None) -> dict[str, str]:
    """The six export files of ``brief``: name -> text."""
    return {name: str(file) for name, file in export_files(site, brief, by_id).items()}


def cited_sources(site: Site, brief: Brief, by_id: dict[str, Source] | None = None) -> list[Source]:
    by_id = by_id if by_id is not None else {s.id: s for s in site.sources}
    ids = dict.fromkeys(
        sid for note in brief.notes for sid in site.note_sources.get((brief.slug, note.id), ()) if sid
    )
    return [by_id[sid] for sid in ids if sid in by_id]


# A source is cited by several briefs: its entries are made once per build.
@lru_cache(maxsize=1 << 17)
def source_bibtex(source: Source) -> str:
    return _bib_text(source.id, *source_fields(source))


@lru_cache(maxsize=1 << 17)
def source_ris(source: Source) -> str:
    return ris_source(source)


@lru_cache(maxsize=1 << 17)
def source_json(source: Source) -> str:
    return _json_item(csl_source(source))


def brief_url(site: Site, brief: Brief) -> str:
    return f"{site.base_url}briefs/{brief.slug}/" if site.base_url else ""


# ------------------------------------------------------------------- BibTeX
def bibtex(entries: list[tuple[str, Entry]]) -> str:
    """BibTeX text, fields in a fixed order, values in braces (no braces inside)."""
    return "\n".join(_bib_entry(key, entry) for key, entry in entries)


def _bib_entry(key: str, entry: Entry) -> str:
    values = {name: str(value) for name, value in entry.fields.items()}
    if entry.persons.get("author"):
        values["author"] = " and ".join(str(p) for p in entry.persons["author"])
    return _bib_text(key, entry.type, values)


def _bib_text(key: str, entry_type: str, values: dict[str, str]) -> str:
    names = [n for n in _FIELD_ORDER if n in values] + sorted(set(values) - set(_FIELD_ORDER))
    lines = [f"@{entry_type}{{{key},"]
    lines += [f"  {name} = {{{_brace_safe(values[name], name)}}}," for name in names]
    return "\n".join(lines) + "\n}\n"


def _brace_safe(value: str, name: str) -> str:
    if name == "url":
        return value.replace("{", "%7B").replace("}", "%7D")
    return value.replace("{", "").replace("}", "")


# ---------------------------------------------------------------------- RIS
def _ris(lines: list[tuple[str, str]]) -> str:
    kept = [(tag, " ".join(value.split())) for tag, value in lines if value]
    return "".join(f"{tag}  - {value}\n" for tag, value in kept) + "ER  - \n"


def ris_source(source: Source) -> str:
    date = source.date
    return _ris([
        ("TY", RIS_TYPES.get(source.kind, "ELEC")), ("ID", source.id), ("TI", source.title),
        ("PB", source.publisher), ("PY", str(date.year) if date else ""),
        ("DA", date.strftime("%Y/%m/%d") if date else ""), ("UR", source.url),
        ("N1", "inferred from the URL" if source.inferred else ""),
    ])


def ris_brief(brief: Brief, site_title: str, url: str) -> str:
    authors = [("AU", _ris_name(name)) for name in brief.authors]
    return _ris([
        ("TY", "RPRT"), ("ID", brief.slug), ("TI", brief.title), *authors, ("T3", brief.series),
        ("PB", site_title), ("PY", str(brief.date.year)), ("DA", brief.date.strftime("%Y/%m/%d")),
        ("UR", url), ("AB", brief.summary),
    ])


def _ris_name(name: str) -> str:
    given, family = _split_name(name)
    return f"{family}, {given}" if given else family


def _split_name(name: str) -> tuple[str, str]:
    try:
        person = Person(name)
    except Exception:  # noqa: BLE001 - pybtex rejects some spellings of names
        return "", name
    given = " ".join(person.first_names + person.middle_names)
    family = " ".join(person.prelast_names + person.last_names)
    return given, family or name


# ----------------------------------------------------------------- CSL-JSON
def _issued(date) -> dict:
    return {"issued": {"date-parts": [[date.year, date.month, date.day]]}} if date else {}


def csl_source(source: Source) -> dict:
    item = {"id": source.id, "type": CSL_TYPES.get(source.kind, "webpage"), "title": source.title}
    if source.publisher:
        key = "container-title" if source.kind == "news" else "publisher"
        item[key] = source.publisher
    item.update(_issued(source.date))
    item["URL"] = source.url
    return item


def csl_brief(brief: Brief, site_title: str, url: str) -> dict:
    item: dict = {"id": brief.slug, "type": "report", "title": brief.title}
    if brief.authors:
        item["author"] = [dict(zip(("given", "family"), _split_name(n))) for n in brief.authors]
    if brief.series:
        item["collection-title"] = brief.series
    item["publisher"] = site_title
    item.update(_issued(brief.date))
    if url:
        item["URL"] = url
    if brief.summary:
        item["abstract"] = brief.summary
    return item


def _json(items: list[dict]) -> str:
    return _json_lines([_json_item(item) for item in items])


def _json_item(item: dict) -> str:
    return json.dumps(item, ensure_ascii=False, separators=(", ", ": "))


def _json_lines(items: list[str]) -> str:
    """A JSON array with one item per line."""
    return "[\n" + ",\n".join(items) + "\n]\n" if items else "[]\n"
