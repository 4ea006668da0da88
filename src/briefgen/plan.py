"""The plan stage: Site -> the list of pages to produce, each with its template and data.

Views are plain frozen dataclasses shaped for the templates, so that templates
only display and never look things up.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from briefgen.exports import brief_exports
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
    notes: tuple[NoteView, ...]
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


@dataclass(frozen=True, slots=True)
class SourceView:
    source: Source
    citing: tuple[Citing, ...]
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


def plan_site(site: Site, labels: dict[str, str] | None = None) -> tuple[Page, ...]:
    """``labels``: source id -> the source formatted by the citation style (HTML)."""
    briefs = {b.slug: b for b in site.briefs}
    sources = _source_views(site, briefs, labels or {})
    rows = {i: SourceRow(v.source, v.publisher_slug, v.count, v.last_cited) for i, v in sources.items()}
    publishers = _publisher_views(site, rows)
    exports = _export_pages(site)
    names = _export_names(exports)
    firsts = {source_id: first_citing(view) for source_id, view in sources.items()}
    pages = [Page("index.html", "index.html", (("briefs", site.briefs),))]
    pages += [Page(f"briefs/{b.slug}/index.html", "brief.html",
                   (("view", _brief_view(site, b, briefs, sources, names.get(b.slug, ()), firsts)),))
              for b in site.briefs]
    pages += exports
    pages.append(Page("sources/index.html", "sources.html", (("sources", tuple(rows.values())),)))
    pages += [Page(f"sources/{v.source.id}/index.html", "source.html", (("view", v),)) for v in sources.values()]
    pages.append(Page("publishers/index.html", "publishers.html", (("publishers", publishers),)))
    pages += [Page(f"publishers/{p.slug}/index.html", "publisher.html", (("view", p),)) for p in publishers]
    pages.append(Page("search/index.html", "search.html"))
    pages.append(Page("404.html", "404.html"))
    if site.base_url:
        pages.append(Page("feed.xml", "feed.xml", (("briefs", site.briefs[:50]),)))
        pages.append(Page("sitemap.xml", "sitemap.xml", (("paths", _sitemap_paths(pages)),)))
    return tuple(pages)


def _export_names(exports: list[Page]) -> dict[str, tuple[str, ...]]:
    """Brief slug -> the names of its export files."""
    names: dict[str, list[str]] = {}
    for page in exports:
        _, slug, name = page.path.split("/", 2)
        names.setdefault(slug, []).append(name)
    return {slug: tuple(found) for slug, found in names.items()}


def _brief_view(site: Site, brief: Brief, briefs: dict[str, Brief], sources: dict[str, SourceView],
                exports: tuple[str, ...], firsts: dict[str, str]) -> BriefView:
    """``firsts``: source id -> the slug of the brief that cited it first."""
    refs: dict[str, list[Reference]] = {}
    for ref in brief.references:
        refs.setdefault(ref.note, []).append(ref)
    notes = tuple(
        NoteView(note, _note_items(site, brief, note, briefs, sources), tuple(refs.get(note.id, ())))
        for note in brief.notes
    )
    cited = tuple(CitedSource(sources[s].source, sources[s].publisher_slug, sources[s].label_html)
                  for s in dict.fromkeys(s for n in brief.notes for s in site.note_sources.get((brief.slug, n.id), ())
                                         if s) if s in sources)
    return BriefView(
        brief=brief, notes=notes,
        cites=_by_date(briefs[s] for s in site.cites.get(brief.slug, ())),
        cited_by=_by_date(briefs[s] for s in site.cited_by.get(brief.slug, ())),
        source_count=len(cited), sources=cited,
        new_sources=tuple(v for v in cited if firsts[v.source.id] == brief.slug),
        exports=exports,
        publishers=tuple(sorted({v.source.publisher for v in cited if v.source.publisher})),
    )


def first_citing(view: SourceView) -> str:
    """Slug of the brief that cited the source first (earliest date, then slug)."""
    return min(((c.brief.date, c.brief.slug) for c in view.citing), default=(None, ""))[1]


def _note_items(site: Site, brief: Brief, note: Note, briefs: dict[str, Brief],
                sources: dict[str, SourceView]) -> tuple[NoteItem, ...]:
    resolved = site.note_sources.get((brief.slug, note.id), ())
    items = []
    for part in note.parts:
        if part.kind == "text":
            items.append(NoteItem("text", html=part.html))
            continue
        citation = note.citations[part.citation]
        source_id = resolved[part.citation] if part.citation < len(resolved) else None
        view = sources.get(source_id) if source_id else None
        if view is None:
            items.append(NoteItem("source", citation=citation))
            continue
        href = safe_href(citation.url or citation.text) if citation.linked else ""
        items.append(NoteItem("source", citation=citation, source=view.source, brief=view.brief,
                              href=href, count=view.count, label_html=view.label_html))
    return tuple(items)


def _export_pages(site: Site) -> list[Page]:
    """cite.* (the brief) and sources.* (what it cites) beside each brief's page."""
    by_id = {s.id: s for s in site.sources}
    return [
        Page(f"briefs/{brief.slug}/{name}", "export." + name.rpartition(".")[2], (("text", text),))
        for brief in site.briefs
        for name, text in brief_exports(site, brief, by_id).items()
    ]


def _source_views(site: Site, briefs: dict[str, Brief], labels: dict[str, str]) -> dict[str, SourceView]:
    views = {}
    for source in site.sources:
        citing = tuple(Citing(briefs[b.brief], b) for b in site.backlinks.get(source.id, ()))
        dates = [c.brief.date for c in citing]
        target = site.source_briefs.get(source.id)
        views[source.id] = SourceView(
            source=source, citing=citing, brief=briefs.get(target) if target else None,
            publisher_slug=slugify(source.publisher or "unknown"),
            first_cited=min(dates) if dates else None, last_cited=max(dates) if dates else None,
            href=safe_href(source.url), archived_href=safe_href(source.archived),
            label_html=labels.get(source.id, ""),
        )
    return views


def _publisher_views(site: Site, sources: dict[str, SourceRow]) -> tuple[PublisherView, ...]:
    return tuple(
        PublisherView(slug, site.publisher_names[slug], tuple(sources[i] for i in ids))
        for slug, ids in site.publishers.items()
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
