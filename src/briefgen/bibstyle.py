"""Sources as bibliography entries, formatted through a pybtex formatting style.

``BriefgenStyle`` is a pybtex style plugin (``pybtex.style.formatting``, name
``briefgen``) that writes a source the way ISW's notes read it: publisher, title (in
``<cite>`` in HTML), date (``Reuters, Putin wants a ceasefire, May 24, 2024.``).  It is
registered through the package's entry points and, for a source tree without
installation metadata, with ``pybtex.plugin.register_plugin`` on import.

``briefgen.yaml`` chooses the style (``citation_style``: ``briefgen``, or any pybtex
style such as ``unsrt``).  A style that needs a field a source lacks degrades to the
built-in style with a warning; formatting never raises.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import inspect
from dataclasses import dataclass
from dataclasses import field as field_of
from functools import lru_cache
from pathlib import Path

import pybtex
import pybtex.plugin
from pybtex.database import Entry, Person
from pybtex.style.formatting import BaseStyle, toplevel
from pybtex.style.template import FieldIsMissing, field, optional, sentence, tag

from briefgen.diagnostics import Diagnostic, Location, error, warning
from briefgen.memo import memoized
from briefgen.model import Brief, Source
from briefgen.workers import fork_map, worker_count

STYLE_GROUP = "pybtex.style.formatting"
DEFAULT_STYLE = "briefgen"
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
# Source kind -> BibTeX entry type
ENTRY_TYPES = {"news": "article", "assessment": "techreport", "backgrounder": "techreport",
               "document": "misc", "social": "misc", "other": "misc"}
_PUBLISHER_FIELD = {"article": "journal", "techreport": "institution", "misc": "howpublished"}
_LATEX_SPECIALS = str.maketrans({"&": r"\&", "%": r"\%", "#": r"\#", "_": r"\_", "$": r"\$",
                                 "{": "", "}": "", "\\": ""})


# ------------------------------------------------------------- the style plugin
class BriefgenStyle(BaseStyle):
    """Publisher, title, date: how ISW's notes cite news, assessments and posts."""

    default_name_style = "plain"
    default_label_style = "number"
    default_sorting_style = "none"

    def _template(self):
        return toplevel[
            sentence(sep=", ")[
                optional[field("publisher_text", raw=True)],
                tag("cite")[field("title_text", raw=True)],
                optional[field("date_text", raw=True)],
            ],
        ]

    def get_article_template(self, e):
        return self._template()

    get_techreport_template = get_misc_template = get_online_template = get_article_template
    get_report_template = get_book_template = get_unpublished_template = get_article_template


def register() -> None:
    """Make the built-in style findable by name, installed or not."""
    pybtex.plugin.register_plugin(STYLE_GROUP, DEFAULT_STYLE, BriefgenStyle)


register()


# ------------------------------------------------------------------ entries
def date_text(date: dt.date | None) -> str:
    return f"{_MONTHS[date.month - 1]} {date.day}, {date.year}" if date else ""


def latex(text: str) -> str:
    """Text safe inside a BibTeX field value: specials escaped, braces dropped."""
    return " ".join(text.translate(_LATEX_SPECIALS).split())


def source_entry(source: Source) -> Entry:
    """A pybtex entry for a source: BibTeX fields plus what the style prints."""
    return Entry(*source_fields(source))


def source_fields(source: Source) -> tuple[str, dict[str, str]]:
    """The BibTeX entry type and fields of a source (``source_entry`` without pybtex's
    objects: sources.bib is written from these)."""
    entry_type = ENTRY_TYPES.get(source.kind, "misc")
    fields = {"title": latex(source.title), "url": source.url}
    if source.publisher:
        fields[_PUBLISHER_FIELD[entry_type]] = latex(source.publisher)
    if source.date:
        fields.update(_date_fields(source.date))
    fields["note"] = f"{source.kind}" + (", inferred from the URL" if source.inferred else "")
    return entry_type, fields


def brief_entry(brief: Brief, site_title: str, url: str) -> Entry:
    """A pybtex entry for a brief of the site (what ``cite.bib`` holds)."""
    fields = {"title": latex(brief.title), "institution": latex(site_title), **_date_fields(brief.date)}
    if brief.series:
        fields["type"] = latex(brief.series)
    if url:
        fields["url"] = url
    persons = {"author": [Person(name) for name in brief.authors]} if brief.authors else {}
    return Entry("techreport", fields=fields, persons=persons)


def _date_fields(date: dt.date) -> dict[str, str]:
    return {"year": str(date.year), "month": _MONTHS[date.month - 1].lower()[:3],
            "day": str(date.day), "date": date.isoformat()}


def _display_entry(source: Source) -> Entry:
    """The entry as the style sees it: with the display-only fields added."""
    entry = source_entry(source)
    entry.fields["title_text"] = source.title
    if source.publisher:
        entry.fields["publisher_text"] = source.publisher
        entry.fields.setdefault("publisher", latex(source.publisher))
    if source.date and date_text(source.date) not in source.title:
        entry.fields["date_text"] = date_text(source.date)
    entry.key = source.id
    return entry


# --------------------------------------------------------------- formatting
@dataclass(frozen=True)
class Formatted:
    html: str
    rich: object = field_of(default=None, repr=False, compare=False)   # pybtex rich text
    missing: str = ""          # the field the chosen style lacked ("" when none)

    @property
    def text(self) -> str:
        """The same, as plain text (rendered when asked for: pages only show the HTML)."""
        return self.rich.render(_backend("text")) if self.rich is not None else ""


@lru_cache(maxsize=1)
def default_style() -> BriefgenStyle:
    """The built-in style (made once: making a style looks up three plugins)."""
    return BriefgenStyle()


@lru_cache(maxsize=8)
def _style_class(name: str):
    return pybtex.plugin.find_plugin(STYLE_GROUP, name)


def load_style(name: str) -> BaseStyle | None:
    """The style plugin called ``name``, or None when there is none (made once: a style
    holds no state between entries, and making one looks its plugins up again)."""
    style = _styles.get(name)
    if style is None:
        try:
            style = _styles[name] = _style_class(name)()
        except Exception:  # noqa: BLE001 - pybtex raises PluginNotFound and others
            return None
    return style


_styles: dict[str, BaseStyle] = {}   # styles made, by name (a missing one is looked up again)


def format_source(source: Source, style: BaseStyle | None = None) -> Formatted:
    """``source`` formatted by ``style`` (default: the built-in one); never raises."""
    style = style or default_style()
    entry = _display_entry(source)
    try:
        rich = style.format_entry(source.id, entry).text
        return Formatted(rich.render(_backend("html")), rich)
    except FieldIsMissing as exc:
        missing = getattr(exc, "field_name", "") or str(exc)
    except Exception as exc:  # noqa: BLE001 - a third-party style may fail in any way
        missing = f"({type(exc).__name__})"
    fallback = default_style().format_entry(source.id, _display_entry(source)).text
    return Formatted(fallback.render(_backend("html")), fallback, missing)


@lru_cache(maxsize=4)
def _backend(name: str):
    """A pybtex output backend, looked up once (each lookup scans the installed packages)."""
    return pybtex.plugin.find_plugin("pybtex.backends", name)()


def label_diagnostics(style_name: str, labelled: dict[str, tuple[str, str]], sources: tuple[Source, ...],
                      where: Location = Location("briefgen.yaml")) -> list[Diagnostic]:
    """An error for an unknown style; one warning per field the style missed (``labelled``:
    what ``label_sources`` made)."""
    if load_style(style_name) is None:
        return [error("config.citation-style", where, f"no pybtex formatting style called {style_name!r}",
                      f"use {DEFAULT_STYLE!r} (the built-in style) or an installed pybtex style such as 'unsrt'")]
    missed: dict[str, list[Source]] = {}
    for source in sources:
        label = labelled.get(source.id)
        if label and label[1]:
            missed.setdefault(label[1], []).append(source)
    return [
        warning("source.style-field", found[0].location or where,
                f"citation style {style_name!r} needs the field {name!r}, which {len(found)} source(s) lack "
                f"(first: {found[0].id}); they are shown in the built-in style",
                f"add {name!r} to those registry entries, or choose citation_style: {DEFAULT_STYLE}")
        for name, found in sorted(missed.items())
    ]


def label_sources(style_name: str, sources: tuple[Source, ...] | list[Source],
                  jobs: int | None = None) -> dict[str, tuple[str, str]]:
    """Source id -> (its HTML label, the field the style missed or ""). The labels of
    inferred sources are kept between builds (``inferred_label``, memo.py); those of
    registry entries, with the registry's parse (parse_cache.py)."""
    style = style_identity(style_name)
    known = [inferred_label.known((style, s)) if s.inferred else None for s in sources]
    missing = [s for s, label in zip(sources, known) if label is None]
    made = labels_of(style_name, missing, jobs)
    for source, label in zip(missing, made):
        if source.inferred:
            inferred_label.keep((style, source), label)
    fresh = iter(made)
    return {s.id: label if label is not None else next(fresh) for s, label in zip(sources, known)}


@memoized  # pure: by the style's identity and the source's fields (its location is not one)
def inferred_label(argument: tuple[str, Source]) -> tuple[str, str]:
    """(html, missing field) of an inferred source in a style (``style_identity``)."""
    identity, source = argument
    return _label(source, load_style(identity.rsplit(":", 2)[0]) or default_style())


def _label(source: Source, style: BaseStyle) -> tuple[str, str]:
    item = format_source(source, style)
    return item.html, item.missing


@lru_cache(maxsize=8)
def style_identity(name: str) -> str:
    """A citation style's name and the code that makes its labels (its module's text and
    pybtex's version): labels kept between builds are only ever those of the same code."""
    try:
        code = Path(inspect.getsourcefile(_style_class(name))).read_bytes()
    except Exception:  # noqa: BLE001 - no such style (the built-in one stands in), or no source file
        code = b""
    return f"{name}:{pybtex.__version__}:{hashlib.sha256(code).hexdigest()[:16]}"


def labels_of(style_name: str, sources: tuple[Source, ...] | list[Source],
              jobs: int | None = 1) -> list[tuple[str, str]]:
    """(html, missing field) of each of ``sources``, in order. A label made before
    (remembered from the registry's parse, or made earlier in this process) is taken; the
    others are made by ``jobs`` processes (None: one per core when there are many; a
    build's registry process makes those of the registry's sources in one, while the
    briefs are parsed)."""
    global _labelling
    known = [_made.get((style_name, source)) for source in sources]
    missing = tuple(source for source, label in zip(sources, known) if label is None)
    if not missing:
        return known
    _labelling = (style_name, load_style(style_name) or default_style(), missing)
    try:
        spans = [(start, min(start + _LABEL_CHUNK, len(missing))) for start in range(0, len(missing), _LABEL_CHUNK)]
        workers = worker_count(len(missing), jobs, PARALLEL_FROM_SOURCES)
        made = iter([item for part in fork_map(_label_span, spans, workers) for item in part])
    finally:
        _labelling = None
    return [label if label is not None else next(made) for label in known]


def remember_labels(style_name: str, sources: list[Source], labels: list[tuple[str, str]]) -> None:
    """Keep labels made elsewhere (``labels_of`` in another process): label_sources gives
    them to these sources, and to any source equal to one of them, without making them again."""
    for source, label in zip(sources, labels):
        _made[(style_name, source)] = label


# Below this many sources, labels are made in the building process itself.
PARALLEL_FROM_SOURCES = 20_000
_LABEL_CHUNK = 2_000
_labelling: tuple[str, BaseStyle, tuple[Source, ...]] | None = None   # shared with forked workers


def _label_span(span: tuple[int, int]) -> list[tuple[str, str]]:
    """(html, missing field) of the sources in ``span`` (run in a worker process)."""
    assert _labelling is not None
    style_name, style, sources = _labelling
    labels = []
    for source in sources[span[0]:span[1]]:
        label = _made.get((style_name, source))
        if label is None:
            label = _made[(style_name, source)] = _label(source, style)
        labels.append(label)
    if len(_made) > _MADE_LIMIT:
        _made.clear()
    return labels


# Labels already made, by style name and source (the same source object, or an equal one,
# gets the same label): ``serve`` formats only the sources an edit brought in.
_made: dict[tuple[str, Source], tuple[str, str]] = {}
_MADE_LIMIT = 1 << 20
