"""The data of a briefing site: frozen dataclasses, no I/O.

Stages: read -> parse (``Brief``, ``Source``) -> resolve (``Site``) ->
plan (``Page``) -> render -> write.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Literal

from briefgen.diagnostics import Location

SourceKind = Literal["assessment", "backgrounder", "news", "social", "document", "other"]
SOURCE_KINDS: tuple[str, ...] = ("assessment", "backgrounder", "news", "social", "document", "other")
# Kinds that registries in the wild use, read as the kind they belong to.
KIND_ALIASES: dict[str, str] = {
    "isw-assessment": "assessment", "isw-backgrounder": "backgrounder", "report": "backgrounder",
    "article": "news", "telegram": "social", "tweet": "social", "post": "social", "video": "social",
    "official": "document", "government": "document", "press-release": "document", "pdf": "document",
}


def _as_fields(self):
    """Pickled as its fields, in order (``__reduce__`` of the parse stage's dataclasses):
    several times faster than the default for slotted dataclasses, which matters for the
    briefs and sources parsed in a worker process."""
    cls = type(self)
    fields = _FIELDS.get(cls)
    if fields is None:
        fields = _FIELDS[cls] = attrgetter(*cls.__slots__)
    return (cls, fields(self))


_FIELDS: dict[type, attrgetter] = {}


# ---------------------------------------------------------------- read stage
@dataclass(frozen=True, slots=True)
class InputFile:
    """A file as read from disk: path relative to the site root, decoded text."""

    path: str
    text: str


# --------------------------------------------------------------- parse stage
@dataclass(frozen=True, slots=True)
class Citation:
    """One source item inside a note, as written: a URL or a registry key ``@id``."""

    text: str                 # exactly as written in the note
    url: str | None           # the URL to resolve (scheme repaired, brackets removed)
    key: str | None           # registry id for ``@id`` citations
    location: Location
    linked: bool = True       # False for a URL the authors disguised (``tass dot ru``)

    __reduce__ = _as_fields


@dataclass(frozen=True, slots=True)
class NotePart:
    """A piece of a note in reading order: commentary (inline HTML) or a citation."""

    kind: Literal["text", "citation"]
    html: str = ""            # rendered inline Markdown for "text" parts
    citation: int = -1        # index into ``Note.citations`` for "citation" parts

    __reduce__ = _as_fields


@dataclass(frozen=True, slots=True)
class Note:
    id: str                   # anchor-safe id: "3" for [3], "fn-label" for [^label]
    number: int               # the number shown
    location: Location
    parts: tuple[NotePart, ...]
    citations: tuple[Citation, ...]

    __reduce__ = _as_fields


@dataclass(frozen=True, slots=True)
class Reference:
    """A ``[N]`` (or ``[^label]``) in the body that names a note."""

    note: str                 # Note.id
    index: int                # 1-based: the k-th reference to this note
    anchor: str               # element id of the reference in the brief page
    location: Location
    sentence: str             # plain text of the sentence that carries it

    __reduce__ = _as_fields


@dataclass(frozen=True, slots=True)
class Brief:
    path: str                 # relative to the site root, e.g. "briefs/2024-05-24-negotiations.md"
    slug: str
    title: str
    date: dt.date
    authors: tuple[str, ...]
    series: str
    summary: str              # plain text
    tags: tuple[str, ...]
    shortlinks: tuple[str, ...]
    body_html: str
    references: tuple[Reference, ...]
    notes: tuple[Note, ...]
    location: Location        # where the front matter starts

    __reduce__ = _as_fields


# ------------------------------------------------------------- sources stage
@dataclass(frozen=True, slots=True)
class Source:
    id: str
    url: str
    title: str
    publisher: str
    date: dt.date | None
    kind: str
    aliases: tuple[str, ...] = ()
    archived: str = ""
    inferred: bool = False
    # The registry entry, or the first citation of an inferred source: where diagnostics
    # point, not part of what the source is (a source is equal to itself wherever first cited).
    location: Location | None = field(default=None, compare=False)

    __reduce__ = _as_fields


# ------------------------------------------------------------- resolve stage
@dataclass(frozen=True, slots=True)
class Backlink:
    """One note of one brief that cites a source."""

    brief: str                # slug
    note: str                 # Note.id
    number: int
    references: tuple[Reference, ...]   # where the note is referenced, with sentences


@dataclass(frozen=True, slots=True)
class Site:
    title: str
    base_url: str
    language: str
    briefs: tuple[Brief, ...]                          # newest first
    sources: tuple[Source, ...]                        # by id
    note_sources: dict[tuple[str, str], tuple[str | None, ...]]  # (slug, note id) -> source id per citation
    backlinks: dict[str, tuple[Backlink, ...]]         # source id -> notes citing it, newest first
    source_briefs: dict[str, str]                      # source id -> slug of the brief it is
    cites: dict[str, tuple[str, ...]]                  # slug -> slugs it cites
    cited_by: dict[str, tuple[str, ...]]               # slug -> slugs citing it
    publishers: dict[str, tuple[str, ...]]             # publisher slug -> source ids
    publisher_names: dict[str, str]                    # publisher slug -> name
    build_date: dt.datetime | None = None


# ---------------------------------------------------------------- plan stage
@dataclass(frozen=True, slots=True)
class Page:
    """One output file: where it goes, which template renders it, with what."""

    path: str                 # output path, e.g. "briefs/<slug>/index.html"
    template: str
    context: tuple[tuple[str, object], ...] = field(default=())

    @property
    def depth(self) -> int:
        return self.path.count("/")
