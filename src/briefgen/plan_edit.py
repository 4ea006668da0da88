"""The plan stage for an edit (resolve_edit.py): the pages of the last plan, with only those
that show something the edit changed planned again; the same pages, in the same order, as
``plan_site`` on the whole site (tests/serve/test_edit_plan.py compares them).

What a brief's edit can change on other pages:
- the edited brief's own page and its export files;
- the pages of the sources its notes cite, before and after (their citing notes);
- the pages of briefs it cites or is cited by (their lists of linked briefs), when what they
  show of it (``card``: everything but its body, notes and references) or the lists changed;
- for a source whose face on a brief's page changed (its count of citing notes, its label,
  the brief that cites it first, the source itself), the pages of every brief citing it,
  and their ``sources.*`` files when the source itself changed;
- the rows of those sources in the sources index and on their publishers' pages;
- the home page and the feed (the cards of every brief), the sitemap (when pages come or go),
  the sources index (which counts the briefs) when a brief is new.
"""

from __future__ import annotations

from briefgen.exports import EXPORT_FILES
from briefgen.model import Brief, Page, Site
from briefgen.plan import Pager, PublisherView, SourceRow, Views, assemble
from briefgen.resolve_edit import Edit


def plan_edit(before: Site, before_labels: dict[str, str], pages: dict[str, Page],
              site: Site, labels: dict[str, str], edit: Edit) -> tuple[Page, ...]:
    """``pages``: the last plan of ``before`` by path."""
    return assemble(site, _EditViews(site, labels, pages, Views(before, before_labels), edit))


class _Dirty:
    """What to plan again."""

    def __init__(self) -> None:
        self.briefs: set[str] = set()        # slugs whose page to plan again
        self.exports: set[str] = set()       # slugs whose export files to plan again
        self.sources: set[str] = set()       # ids whose page to plan again
        self.rows: dict[str, SourceRow | None] = {}   # rows that changed (None: gone)
        self.paths_changed = False
        self.cards_changed = False           # what the home page and the feed show of a brief

    @classmethod
    def of(cls, old: Views, new: Views, edit: Edit) -> "_Dirty":
        dirty = cls()
        dirty.briefs |= edit.briefs
        dirty.exports |= edit.briefs
        for slug in edit.briefs:
            card_changed = _card(old, slug) != _card(new, slug)
            dirty.briefs |= _linked(old, new, slug, card_changed)
            dirty.cards_changed = dirty.cards_changed or card_changed
        for source_id in edit.sources | edit.added | edit.removed:
            dirty.source(old, new, source_id)
        dirty.sources |= edit.sources | edit.added
        dirty.sources |= {sid for sid, slug in new.site.source_briefs.items() if slug in edit.briefs}
        dirty.sources -= edit.removed
        dirty.paths_changed = bool(edit.added or edit.removed or edit.new_briefs)
        return dirty

    def source(self, old: Views, new: Views, source_id: str) -> None:
        before, after = old.source(source_id), new.source(source_id)
        face = (None if before is None else
                (before.source, before.count, before.label_html, before.publisher_slug, old.first(source_id),
                 before.brief.slug if before.brief else None))
        now = (None if after is None else
               (after.source, after.count, after.label_html, after.publisher_slug, new.first(source_id),
                after.brief.slug if after.brief else None))
        if face != now:
            citing = _citers(old.site, source_id) | _citers(new.site, source_id)
            self.briefs |= citing
            if before is None or after is None or before.source != after.source:
                self.exports |= citing
        row = new.row(source_id)
        if row != old.row(source_id):
            self.rows[source_id] = row


def _linked(old: Views, new: Views, slug: str, card_changed: bool) -> set[str]:
    """The briefs whose lists of linked briefs show the edited brief ``slug`` differently."""
    lists = [set(links.get(slug, ())) for links in (old.site.cites, old.site.cited_by,
                                                    new.site.cites, new.site.cited_by)]
    if card_changed:
        return set().union(*lists)
    return (lists[0] ^ lists[2]) | (lists[1] ^ lists[3])


def card(brief: Brief) -> tuple:
    """What other pages show of a brief: everything but its body, notes and references."""
    return (brief.slug, brief.title, brief.date, brief.authors, brief.series, brief.summary, brief.tags,
            brief.shortlinks, brief.path)


def _card(views: Views, slug: str) -> tuple | None:
    brief = views.briefs.get(slug)
    return card(brief) if brief is not None else None


def _citers(site: Site, source_id: str) -> set[str]:
    return {b.brief for b in site.backlinks.get(source_id, ())}


class _EditViews(Views):
    """Views that hand back the last plan's page wherever the edit changed nothing (``old``:
    the views of the last site, to tell what changed)."""

    def __init__(self, site: Site, labels: dict[str, str], pages: dict[str, Page], old: Views, edit: Edit) -> None:
        super().__init__(site, labels)
        self.pages = pages
        self._row_map: dict[str, SourceRow] | None = None
        self._publishers_changed = True
        self.dirty = _Dirty.of(old, self, edit)     # asks only what plain Views answer

    def brief_page(self, brief: Brief) -> Page:
        kept = self.pages.get(f"briefs/{brief.slug}/index.html")
        return super().brief_page(brief) if brief.slug in self.dirty.briefs or kept is None else kept

    def export_pages(self, brief: Brief) -> list[Page]:
        kept = [self.pages.get(f"briefs/{brief.slug}/{name}") for name in EXPORT_FILES]
        if brief.slug in self.dirty.exports or None in kept:
            return super().export_pages(brief)
        return kept

    def source_page(self, source_id: str) -> Page:
        kept = self.pages.get(f"sources/{source_id}/index.html")
        return super().source_page(source_id) if source_id in self.dirty.sources or kept is None else kept

    def rows(self) -> tuple[SourceRow, ...]:
        if self._rows is None:
            last = {row.source.id: row for row in self._last("sources/index.json", "sources")}
            last.update(self.dirty.rows)
            self._rows = tuple(last[s.id] if last.get(s.id) else self.row(s.id) for s in self.site.sources)
        return self._rows

    def sources_index(self) -> list[Page]:
        kept = self._kept_list("sources/")
        same = kept and not self.dirty.rows and dict(kept[0].context).get("brief_count") == len(self.site.briefs)
        return kept if same else super().sources_index()

    def sources_data(self) -> Page:
        kept = self.pages.get("sources/index.json")
        return super().sources_data() if self.dirty.rows or kept is None else kept

    def publishers(self) -> tuple[PublisherView, ...]:
        if self._publishers is None:
            last = {view.slug: view for view in self._last("publishers/index.html", "publishers")}
            self._publishers = tuple(self._publisher(slug, ids, last.get(slug))
                                     for slug, ids in self.site.publishers.items())
            self._publishers_changed = last.keys() != self.site.publishers.keys() or any(
                last.get(p.slug) is not p for p in self._publishers)
        return self._publishers

    def _publisher(self, slug: str, ids: tuple[str, ...], last: PublisherView | None) -> PublisherView:
        name = self.site.publisher_names[slug]
        if (last is not None and last.name == name and len(last.sources) == len(ids)
                and all(row.source.id == i and i not in self.dirty.rows for row, i in zip(last.sources, ids))):
            return last
        if self._row_map is None:
            self._row_map = {row.source.id: row for row in self.rows()}
        return PublisherView(slug, name, tuple(self._row_map[i] for i in ids))

    def publishers_index(self) -> Page:
        self.publishers()
        return super().publishers_index() if self._publishers_changed else self.pages["publishers/index.html"]

    def publisher_pages(self, view: PublisherView) -> list[Page]:
        kept = self._kept_list(f"publishers/{view.slug}/")
        unchanged = kept and dict(kept[0].context).get("view") is view
        return kept if unchanged else super().publisher_pages(view)

    def index_page(self) -> Page:
        kept = self.pages.get("index.html")
        return super().index_page() if self.dirty.cards_changed or kept is None else kept

    def feed_page(self) -> Page:
        kept = self.pages.get("feed.xml")
        return super().feed_page() if self.dirty.cards_changed or kept is None else kept

    def sitemap_page(self, pages: list[Page]) -> Page:
        kept = self.pages.get("sitemap.xml")
        return super().sitemap_page(pages) if self.dirty.paths_changed or kept is None else kept

    def _kept_list(self, base: str) -> list[Page]:
        """The last plan's pages of the list at ``base`` (plan.Pager), or [] when one is missing."""
        first = self.pages.get(base + "index.html")
        pager = dict(first.context).get("pager") if first is not None else None
        if not isinstance(pager, Pager):
            return []
        kept = [self.pages.get(pager.path(n)) for n in range(1, pager.count + 1)]
        return [] if None in kept else kept

    def _last(self, path: str, name: str) -> tuple:
        page = self.pages.get(path)
        return dict(page.context).get(name, ()) if page is not None else ()
