"""What each planned page is made of, digested: a rebuild renders again only the pages whose
key changed since the last build (write.py takes the others' bytes from the last output).

A key digests everything the page's template can read: briefgen's code, every template's
text, the site's own fields (title, base URL, language, build date) and the feed's
``updated``, the page's path and template, and its context. The context is digested
through what it is made of rather than walked object by object: a brief through its parse
key (parse_cache.py: briefgen's code, its path and text, which make every field of it,
notes and references included); a source through its fields; a brief's page through the sources each of its notes resolved to and
what its page shows of each (count, label, publisher, the brief it is, the brief citing it
first); a source's page through the briefs and notes citing it.

A page whose context this module does not know, or any page of a site whose templates read
more of ``site`` than its own fields, has no key (None) and is always rendered. Keys are
never trusted across code or templates: both are part of every key.
"""

from __future__ import annotations

import hashlib
import marshal
from typing import Iterable

import jinja2
from jinja2 import nodes

from briefgen.exports import ExportText
from briefgen.model import Backlink, Brief, InputFile, Page, Site, Source
from briefgen.plan import BriefView, Pager, PublisherView, SourceFilters, SourceRow, SourceView
from briefgen.render import feed_updated

# What a template may read of ``site`` and still have its pages keyed.
SITE_FIELDS = ("title", "base_url", "language", "build_date")

Key = str | None


def page_keys(site: Site, pages: Iterable[Page], templates: tuple[InputFile, ...], code: bytes,
              brief_keys: dict[str, str]) -> tuple[Key, ...]:
    """The key of each page (None: always rendered)."""
    keys = PageKeys(site, templates, code, brief_keys)
    return tuple(map(keys.of, pages))


def templates_read_only_fields(templates: tuple[InputFile, ...]) -> bool:
    """Every use of ``site`` in the templates reads one of SITE_FIELDS (``site.title``); a
    template that hands ``site`` on, or reads its briefs or sources, makes every page's
    content depend on the whole site."""
    env = jinja2.Environment()
    for template in templates:
        try:
            tree = env.parse(template.text)
        except jinja2.TemplateSyntaxError:
            return False
        if _other_site_uses(tree):
            return False
    return True


def _other_site_uses(tree: nodes.Node) -> bool:
    fields = set(SITE_FIELDS)
    read = {id(n.node) for n in tree.find_all(nodes.Getattr)
            if isinstance(n.node, nodes.Name) and n.node.name == "site" and n.attr in fields}
    return any(id(n) not in read for n in tree.find_all(nodes.Name) if n.name == "site")


class PageKeys:
    """Keys of one site's pages; what briefs and sources digest to is worked out once.
    ``brief_keys``: the parse key of each brief file by path."""

    def __init__(self, site: Site, templates: tuple[InputFile, ...], code: bytes, brief_keys: dict[str, str]) -> None:
        self.site, self.brief_keys = site, brief_keys
        self.setup = None if not templates_read_only_fields(templates) else _digest((
            code.hex(), tuple(sorted((t.path, t.text) for t in templates)),
            tuple(repr(getattr(site, name)) for name in SITE_FIELDS), feed_updated(site)))
        self.briefs = {b.slug: b for b in site.briefs}
        self._sources: dict[int, str] = {}
        self._lists: dict[int, tuple] = {}     # a brief's sources.* files share one tuple of sources

    def of(self, page: Page) -> Key:
        if self.setup is None:
            return None
        context = dict(page.context)
        made_of = self._made_of(context)
        if made_of is None:
            return None
        return _digest((self.setup, page.path, page.template, tuple(sorted(context)), made_of))

    def _made_of(self, context: dict) -> tuple | None:
        if not context:
            return ()
        view = context.get("view")
        if isinstance(view, BriefView):
            return self.brief_view(view)
        if isinstance(view, SourceView):
            return self.source_view(view)
        pager = _pager(context.get("pager"))
        if isinstance(view, PublisherView):
            return view.slug, view.name, self.rows(view.sources), pager
        text = context.get("text")
        if isinstance(text, ExportText):
            return self.export(text)
        rows, filters = context.get("sources"), context.get("filters")
        if isinstance(rows, tuple) and context.keys() == {"sources"}:      # the index's JSON
            return self.rows(rows)
        if isinstance(rows, tuple) and isinstance(filters, SourceFilters) and context.keys() == _INDEX_CONTEXT:
            return context["brief_count"], self.rows(rows), pager, filters.publishers, filters.kinds
        return None

    def brief(self, brief: Brief | None) -> str | None:
        """A brief's parse key (its file's path and text, and briefgen's code)."""
        if brief is None:
            return None
        key = self.brief_keys.get(brief.path)
        return key if key is not None else repr(brief)

    def source(self, source: Source) -> str:
        """A source's fields (not where it was first found: diagnostics alone show that)."""
        found = self._sources.get(id(source))
        if found is None:
            found = self._sources[id(source)] = _digest((
                source.id, source.url, source.title, source.publisher, _date(source.date), source.kind,
                source.aliases, source.archived, source.inferred))
        return found

    def face(self, source_id: str) -> tuple:
        """What a brief's page shows of a source besides the source: its count of citing
        notes and the brief of this site that it is."""
        target = self.site.source_briefs.get(source_id)
        return len(self.site.backlinks.get(source_id, ())), self.brief(self.briefs.get(target) if target else None)

    def brief_view(self, view: BriefView) -> tuple:
        brief, note_sources = view.brief, self.site.note_sources
        return (
            self.brief(brief),
            tuple(note_sources.get((brief.slug, note.id)) for note in brief.notes),
            tuple((self.source(c.source), c.publisher_slug, c.label_html, self.face(c.source.id)) for c in view.sources),
            tuple(c.source.id for c in view.new_sources),
            tuple(map(self.brief, view.cites)), tuple(map(self.brief, view.cited_by)),
            view.source_count, view.exports, view.publishers,
        )

    def source_view(self, view: SourceView) -> tuple:
        return (
            self.source(view.source), view.label_html, view.publisher_slug, view.href, view.archived_href,
            self.citing(view.backlinks),
            self.brief(view.brief), _date(view.first_cited), _date(view.last_cited),
        )

    def citing(self, links: tuple[Backlink, ...]) -> tuple:
        """The briefs and notes citing a source, from their backlinks."""
        briefs = self.briefs
        return tuple((self.brief(briefs.get(b.brief)), b.brief, b.note, b.number) for b in links)

    def rows(self, rows: tuple[SourceRow, ...]) -> tuple:
        return tuple((self.source(r.source), r.publisher_slug, r.count, _date(r.last_cited)) for r in rows)

    def export(self, text: ExportText) -> tuple:
        sources = self._lists.get(id(text.sources))
        if sources is None:
            sources = self._lists[id(text.sources)] = (text.sources, tuple(map(self.source, text.sources)))
        return text.name, self.brief(text.brief), sources[1], text.site_title, text.url


_INDEX_CONTEXT = {"sources", "brief_count", "pager", "filters"}


def _pager(pager: Pager | None) -> tuple | None:
    return None if pager is None else (pager.base, pager.number, pager.count, pager.first, pager.last, pager.total)


def _digest(value: object) -> str:
    """A digest of a value made of strings, numbers, None and tuples. Marshal's format 2
    writes equal values as equal bytes (later formats refer back to objects met before, so
    their bytes depend on which strings are the same object)."""
    return hashlib.blake2b(marshal.dumps(value, 2), digest_size=16).hexdigest()


def _date(value) -> str | None:
    return value.isoformat() if value is not None else None
