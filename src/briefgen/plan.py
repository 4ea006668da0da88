"""The plan stage: Site -> the list of pages to produce, each with its template and data.

Views are plain frozen dataclasses shaped for the templates, so that templates
only display and never look things up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from briefgen.exports import export_files
from briefgen.model import Backlink, Brief, Citation, Note, Page, Reference, Site, Source
from briefgen.sources.identity import clean_url
from briefgen.text import slugify


@dataclass(frozen=True, slots=True)
class NoteItem:
    kind: str                    # "text" | "source"
    html: str = ""
    citation: Citation | None = None
    source: Source | None = None
    brief: Brief | None = None   # the brief of this site that the source is
    href: str = ""               # external link ("" for a disguised or unusable URL)
    count: int = 0               # how many notes cite the source, site-wide
    label_html: str = ""         # the source as the citation style formats it (bibstyle.py)


@dataclass(frozen=True, slots=True)
class NoteView:
    note: Note
    items: tuple[NoteItem, ...]
    references: tuple[Reference, ...]


class Lazy(Sequence):
    """A tuple made when first read (``_make``), whose length is known without making it.
    Equal to another of its kind, or to a tuple, holding the same items; pickled as a tuple."""

    __slots__ = ("_made",)

    def _make(self) -> tuple:
        raise NotImplementedError

    @property
    def made(self) -> tuple:
        if self._made is None:
            self._made = self._make()
        return self._made

    def __getitem__(self, index):
        return self.made[index]

    def __iter__(self):
        return iter(self.made)

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if isinstance(other, type(self)):
            return self.made == other.made
        return isinstance(other, tuple) and self.made == other

    def __hash__(self) -> int:
        return hash(self.made)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.made!r})"

    def __reduce__(self):
        return tuple, (self.made,)


class NoteViews(Lazy):
    """A brief's notes as its page shows them (a NoteView each), made when first read: on a
    large site, by the render worker that renders the page, and not at all for a page a
    rebuild does not render again (page_keys.py). Its length and truth need nothing made."""

    __slots__ = ("brief", "_views")

    def __init__(self, views: "Views", brief: Brief) -> None:
        self.brief, self._views, self._made = brief, views, None

    def _make(self) -> tuple[NoteView, ...]:
        made = _note_views(self._views, self.brief)
        self._views = None
        return made

    def __len__(self) -> int:
        return len(self.brief.notes)


@dataclass(frozen=True, slots=True)
class CitedSource:
    """A source as a brief's page shows it: not the notes of other briefs that cite it, so
    that an edit elsewhere leaves this page as it was (``serve`` renders it again only
    when what it shows changed)."""

    source: Source
    publisher_slug: str
    label_html: str = ""


@dataclass(frozen=True, slots=True)
class BriefView:
    brief: Brief
    notes: Sequence[NoteView]                  # NoteViews in a plan
    cites: tuple[Brief, ...]
    cited_by: tuple[Brief, ...]
    source_count: int
    sources: tuple[CitedSource, ...] = ()      # every source it cites, in order of first citation
    new_sources: tuple[CitedSource, ...] = ()  # those this brief is the first on the site to cite
    exports: tuple[str, ...] = ()             # citation files beside the page (cite.bib, ...)
    publishers: tuple[str, ...] = ()          # publishers of its sources, sorted (search filter)


@dataclass(frozen=True, slots=True)
class Citing:
    brief: Brief
    backlink: Backlink


class Citings(Lazy):
    """The notes citing a source, newest first, as its page shows them (a Citing each), made
    when first read: a plan needs only how many there are (a count on every list showing
    the source), so on a large site they are made by the render worker that renders the
    source's page, and not at all for a page a rebuild does not render again."""

    __slots__ = ("backlinks", "_briefs")

    def __init__(self, briefs: dict[str, Brief], backlinks: tuple[Backlink, ...]) -> None:
        self.backlinks, self._briefs, self._made = backlinks, briefs, None

    def _make(self) -> tuple[Citing, ...]:
        made = tuple(Citing(self._briefs[b.brief], b) for b in self.backlinks)
        self._briefs = None
        return made

    def __len__(self) -> int:
        return len(self.backlinks)


@dataclass(frozen=True, slots=True)
class SourceView:
    source: Source
    citing: Sequence[Citing]                   # Citings in a plan
    brief: Brief | None
    publisher_slug: str
    first_cited: dt.date | None
    last_cited: dt.date | None
    href: str
    archived_href: str
    label_html: str = ""         # the source as the citation style formats it (bibstyle.py)

    @property
    def count(self) -> int:
        return len(self.citing)

    @property
    def backlinks(self) -> tuple[Backlink, ...]:
        """The notes citing the source, as backlinks (the Citings are not made)."""
        citing = self.citing
        return citing.backlinks if isinstance(citing, Citings) else tuple(c.backlink for c in citing)

    @property
    def brief_count(self) -> int:
        """How many briefs cite the source (one may cite it in several notes)."""
        return len({link.brief for link in self.backlinks})


@dataclass(frozen=True, slots=True)
class SourceRow:
    """A source in a list (the sources index, a publisher's page): what the row shows."""

    source: Source
    publisher_slug: str
    count: int
    last_cited: dt.date | None


@dataclass(frozen=True, slots=True)
class PublisherView:
    slug: str
    name: str
    sources: tuple[SourceRow, ...]


# Sources on one page of the sources index, or of a publisher's page: a long list goes on
# pages of this many rows, at <list>/page/2/ and on (an id is one path segment, so no
# source's page can be one of them).
ROWS_PER_PAGE = 1000


@dataclass(frozen=True, slots=True)
class Pager:
    """Page ``number`` of ``count`` of a list whose first page is at ``base`` (a folder such as
    "sources/"): it shows rows ``first`` to ``last`` (counted from 1) of ``total``."""

    base: str
    number: int
    count: int
    first: int
    last: int
    total: int

    def href(self, number: int) -> str:
        """The folder of page ``number``, from the site's root."""
        return self.base if number == 1 else f"{self.base}page/{number}/"

    def path(self, number: int) -> str:
        return self.href(number) + "index.html"


def paged(base: str, rows: tuple) -> list[tuple[Pager, tuple]]:
    """``rows`` cut into pages of ROWS_PER_PAGE (one page, maybe empty, for a short list)."""
    total = len(rows)
    starts = range(0, total, ROWS_PER_PAGE) if total else range(1)
    return [(Pager(base, n, len(starts), start + 1, min(start + ROWS_PER_PAGE, total), total),
             rows[start:start + ROWS_PER_PAGE]) for n, start in enumerate(starts, 1)]


@dataclass(frozen=True, slots=True)
class SourceFilters:
    """What the sources index's filters offer: every publisher (slug, name), by name; every kind."""

    publishers: tuple[tuple[str, str], ...]
    kinds: tuple[str, ...]


def plan_site(site: Site, labels: dict[str, str] | None = None) -> tuple[Page, ...]:
    """``labels``: source id -> the source formatted by the citation style (HTML)."""
    return assemble(site, Views(site, labels or {}))


def assemble(site: Site, views: "Views") -> tuple[Page, ...]:
    """Every page of ``site`` in a fixed order, each asked of ``views``."""
    pages = [views.index_page()]
    pages += [views.brief_page(b) for b in site.briefs]
    pages += [page for b in site.briefs for page in views.export_pages(b)]
    pages += views.sources_index()
    pages.append(views.sources_data())
    pages += [views.source_page(s.id) for s in site.sources]
    pages.append(views.publishers_index())
    pages += [page for p in views.publishers() for page in views.publisher_pages(p)]
    pages.append(Page("search/index.html", "search.html"))
    pages.append(Page("404.html", "404.html"))
    if site.base_url:
        pages.append(views.feed_page())
        pages.append(views.sitemap_page(pages))
    return tuple(pages)


class Views:
    """The views of one site, each made once when first asked for: a whole plan asks for
    all of them, the plan of an edit (plan_edit.py) only for those the edit touched."""

    def __init__(self, site: Site, labels: dict[str, str]) -> None:
        self.site, self.labels = site, labels
        self.briefs = {b.slug: b for b in site.briefs}
        self._by_id: dict[str, Source] | None = None
        self._sources: dict[str, SourceView | None] = {}
        self._firsts: dict[str, str] = {}
        self._exports: dict[str, list[Page]] = {}
        self._rows: tuple[SourceRow, ...] | None = None
        self._publishers: tuple[PublisherView, ...] | None = None

    @property
    def by_id(self) -> dict[str, Source]:
        if self._by_id is None:
            self._by_id = {s.id: s for s in self.site.sources}
        return self._by_id

    def source(self, source_id: str) -> SourceView | None:
        """The view of a source of the site (None for an id the site does not have)."""
        if source_id not in self._sources:
            found = self.by_id.get(source_id)
            self._sources[source_id] = _source_view(self.site, found, self.briefs, self.labels) if found else None
        return self._sources[source_id]

    def row(self, source_id: str) -> SourceRow | None:
        view = self.source(source_id)
        return SourceRow(view.source, view.publisher_slug, view.count, view.last_cited) if view else None

    def rows(self) -> tuple[SourceRow, ...]:
        if self._rows is None:
            self._rows = tuple(self.row(s.id) for s in self.site.sources)
        return self._rows

    def publishers(self) -> tuple[PublisherView, ...]:
        if self._publishers is None:
            rows = {row.source.id: row for row in self.rows()}
            self._publishers = tuple(
                PublisherView(slug, self.site.publisher_names[slug], tuple(rows[i] for i in ids))
                for slug, ids in self.site.publishers.items())
        return self._publishers

    def first(self, source_id: str) -> str:
        """Slug of the brief that cited the source first (earliest date, then slug); made once
        per source (every brief citing it asks)."""
        if source_id not in self._firsts:
            links = self.site.backlinks.get(source_id, ())
            self._firsts[source_id] = min(((self.briefs[b.brief].date, b.brief) for b in links), default=(None, ""))[1]
        return self._firsts[source_id]

    def index_page(self) -> Page:
        return Page("index.html", "index.html", (("briefs", self.site.briefs),))

    def brief_page(self, brief: Brief) -> Page:
        names = tuple(p.path.rpartition("/")[2] for p in self.export_pages(brief))
        return Page(f"briefs/{brief.slug}/index.html", "brief.html", (("view", _brief_view(self, brief, names)),))

    def export_pages(self, brief: Brief) -> list[Page]:
        """cite.* (the brief) and sources.* (what it cites) beside the brief's page; their
        texts are made when rendered (exports.ExportText)."""
        if brief.slug not in self._exports:
            self._exports[brief.slug] = [
                Page(f"briefs/{brief.slug}/{name}", "export." + name.rpartition(".")[2], (("text", text),))
                for name, text in export_files(self.site, brief, self.by_id).items()]
        return self._exports[brief.slug]

    def sources_index(self) -> list[Page]:
        """The sources index, a page per ROWS_PER_PAGE sources."""
        filters, count = self.filters(), len(self.site.briefs)
        return [Page(pager.path(pager.number), "sources.html",
                     (("sources", rows), ("brief_count", count), ("pager", pager), ("filters", filters)))
                for pager, rows in paged("sources/", self.rows())]

    def sources_data(self) -> Page:
        """Every row of the sources index as JSON: what its filters search when it has several pages."""
        return Page("sources/index.json", "sources.json", (("sources", self.rows()),))

    def filters(self) -> SourceFilters:
        return source_filters(self.rows())

    def source_page(self, source_id: str) -> Page:
        return Page(f"sources/{source_id}/index.html", "source.html", (("view", self.source(source_id)),))

    def publishers_index(self) -> Page:
        return Page("publishers/index.html", "publishers.html", (("publishers", self.publishers()),))

    def publisher_pages(self, view: PublisherView) -> list[Page]:
        """A publisher's page, a page per ROWS_PER_PAGE of its sources."""
        return [Page(pager.path(pager.number), "publisher.html", (("view", view), ("sources", rows), ("pager", pager)))
                for pager, rows in paged(f"publishers/{view.slug}/", view.sources)]

    def feed_page(self) -> Page:
        return Page("feed.xml", "feed.xml", (("briefs", self.site.briefs[:50]),))

    def sitemap_page(self, pages: list[Page]) -> Page:
        return Page("sitemap.xml", "sitemap.xml", (("paths", _sitemap_paths(pages)),))


def _brief_view(views: Views, brief: Brief, exports: tuple[str, ...]) -> BriefView:
    site = views.site
    notes = NoteViews(views, brief)
    ids = dict.fromkeys(s for n in brief.notes for s in site.note_sources.get((brief.slug, n.id), ()) if s)
    cited = tuple(CitedSource(v.source, v.publisher_slug, v.label_html)
                  for v in map(views.source, ids) if v is not None)
    return BriefView(
        brief=brief, notes=notes,
        cites=_by_date(views.briefs[s] for s in site.cites.get(brief.slug, ())),
        cited_by=_by_date(views.briefs[s] for s in site.cited_by.get(brief.slug, ())),
        source_count=len(cited), sources=cited,
        new_sources=tuple(v for v in cited if views.first(v.source.id) == brief.slug),
        exports=exports,
        publishers=tuple(sorted({v.source.publisher for v in cited if v.source.publisher})),
    )


def _note_views(views: Views, brief: Brief) -> tuple[NoteView, ...]:
    refs: dict[str, list[Reference]] = {}
    for ref in brief.references:
        refs.setdefault(ref.note, []).append(ref)
    return tuple(NoteView(note, _note_items(views, brief, note), tuple(refs.get(note.id, ())))
                 for note in brief.notes)


def source_filters(rows: tuple[SourceRow, ...]) -> SourceFilters:
    """Each publisher once (its first row's name), sorted by name regardless of case; each kind once."""
    names: dict[str, str] = {}
    for row in rows:
        names.setdefault(row.publisher_slug, row.source.publisher)
    publishers = sorted(names.items(), key=lambda item: item[1].lower())
    kinds = sorted({row.source.kind for row in rows}, key=lambda kind: (kind.lower(), kind))
    return SourceFilters(tuple(publishers), tuple(kinds))


def _note_items(views: Views, brief: Brief, note: Note) -> tuple[NoteItem, ...]:
    resolved = views.site.note_sources.get((brief.slug, note.id), ())
    items = []
    for part in note.parts:
        if part.kind == "text":
            items.append(NoteItem("text", html=part.html))
            continue
        citation = note.citations[part.citation]
        source_id = resolved[part.citation] if part.citation < len(resolved) else None
        view = views.source(source_id) if source_id else None
        if view is None:
            items.append(NoteItem("source", citation=citation))
            continue
        href = safe_href(citation.url or citation.text) if citation.linked else ""
        items.append(NoteItem("source", citation=citation, source=view.source, brief=view.brief,
                              href=href, count=view.count, label_html=view.label_html))
    return tuple(items)


def _source_view(site: Site, source: Source, briefs: dict[str, Brief], labels: dict[str, str]) -> SourceView:
    backlinks = site.backlinks.get(source.id, ())
    dates = [briefs[b.brief].date for b in backlinks]
    target = site.source_briefs.get(source.id)
    return SourceView(
        source=source, citing=Citings(briefs, backlinks), brief=briefs.get(target) if target else None,
        publisher_slug=slugify(source.publisher or "unknown"),
        first_cited=min(dates) if dates else None, last_cited=max(dates) if dates else None,
        href=safe_href(source.url), archived_href=safe_href(source.archived),
        label_html=labels.get(source.id, ""),
    )


def safe_href(url: str) -> str:
    """An http(s) URL fit for an href, or "" (never javascript:, data: and the like)."""
    return (clean_url(url) or "") if url else ""


def _by_date(briefs) -> tuple[Brief, ...]:
    return tuple(sorted(briefs, key=lambda b: (b.date, b.slug), reverse=True))


def _sitemap_paths(pages: list[Page]) -> tuple[str, ...]:
    return tuple(
        p.path.removesuffix("index.html")
        for p in pages
        if p.path.endswith("index.html")
    )
