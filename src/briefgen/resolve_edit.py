"""The resolve stage for an edit: from the last good ``Site`` and its ``Index`` and the briefs
that changed, the same Site and diagnostics that ``resolve_site`` gives over the whole corpus,
in time that grows with the edit, not with the corpus (``briefgen serve``).

An edit this cannot patch exactly answers None, and the caller resolves the whole site:
a brief removed or failing to parse; a new brief whose slug or keys another brief has, or
that notes already cite; a changed slug, date, series or shortlink (they
order the site and say which briefs other briefs cite); an ``@id`` citation of an inferred
source; and any inferred source whose id depends on the order in which sources were met
(an id two sources want).
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, replace

from briefgen.config import Config
from briefgen.diagnostics import Diagnostic, Location
from briefgen.model import Backlink, Brief, Site, Source
from briefgen.resolve import (EXACT_KINDS, Index, Resolving, add_inferred, brief_backlinks, brief_claims, cited_briefs,
                              inferred_source, inferred_warning, publishers_of, resolve_note, suffixed, unused_warning)
from briefgen.sources.identity import clean_url
from briefgen.sources.resolvers import Inferred, Rule, infer_source


@dataclass(frozen=True)
class Edit:
    """What an edit touched, for the plan stage (plan_edit.py)."""

    briefs: frozenset[str]       # slugs of the edited briefs
    sources: frozenset[str]      # ids of the sources their notes cite, before or after the edit
    added: frozenset[str]        # sources new to the site
    removed: frozenset[str]      # sources no brief cites any more (inferred ones)
    new_briefs: frozenset[str] = frozenset()   # slugs of briefs new to the site


class Beyond(Exception):
    """The edit cannot be patched exactly: resolve the whole site."""


def resolve_edit(site: Site, index: Index, edited: list[Brief], rules: tuple[Rule, ...] = (),
                 config: Config | None = None) -> tuple[Site, Index, Edit] | None:
    """``edited``: the new versions of briefs of ``site`` (by path), and new briefs (which
    need the site's ``config``)."""
    patch = _Patch(site, index, rules, config)
    try:
        for brief in edited:
            patch.replace(brief)
        return patch.finish()
    except Beyond:
        return None


def _same_place(old: Brief, new: Brief) -> bool:
    """What orders the site and names a brief for other briefs is unchanged."""
    return (old.slug, old.date, old.series, old.shortlinks) == (new.slug, new.date, new.series, new.shortlinks)


class _Patch:
    """Working state of one resolve_edit (local to it, never shared); the Site's dicts are
    copied before they change."""

    def __init__(self, site: Site, index: Index, rules: tuple[Rule, ...], config: Config | None) -> None:
        self.site, self.index, self.rules, self.config = site, index, rules, config
        self.briefs = list(site.briefs)
        self.rank = {b.slug: i for i, b in enumerate(site.briefs)}
        self.by_path = {b.path: b for b in site.briefs}
        self.state = Resolving({s.id: s for s in site.sources}, dict(index.key_to_id), dict(index.inferred),
                               set(index.collided))
        self.note_sources = dict(site.note_sources)
        self.backlinks = dict(site.backlinks)
        self.source_briefs = dict(site.source_briefs)
        self.cites, self.cited_by = dict(site.cites), dict(site.cited_by)
        self.claims = dict(index.claims)
        self.citations, self.warnings = dict(index.citations), dict(index.warnings)
        self.slugs: set[str] = set()
        self.new_briefs: set[str] = set()
        self.touched: set[str] = set()
        self.added: set[str] = set()
        self.removed: set[str] = set()
        self.regroup = False      # a source's publisher changed
        self.contested: set[str] = set()   # ids wanted by several sources, whose order to check
        self._groups: dict[str, set[str]] | None = None

    # ------------------------------------------------------------------ one brief
    def replace(self, new: Brief) -> None:
        old = self.by_path.get(new.path)
        if old is None:
            old = self._insert(new)
        elif not _same_place(old, new):
            raise Beyond
        resolved, diagnostics = self._resolve_notes(new)
        before = {s for n in old.notes for s in self.note_sources.pop((old.slug, n.id), ()) if s}
        self.note_sources.update(resolved)
        touched = before | {s for ids in resolved.values() for s in ids if s}
        self.citations[new.path] = tuple(diagnostics)
        self.briefs[self.rank[new.slug]] = self.by_path[new.path] = new
        self._relink(new, touched)
        for source_id in sorted(touched):
            self._settle(source_id)
        self._recite(new)
        self.slugs.add(new.slug)
        self.touched |= touched

    def _insert(self, new: Brief) -> Brief:
        """A new brief, in its place in the site, citing nothing yet (returned as such)."""
        claims = brief_claims(self.config, new) if self.config is not None else None
        if claims is None or new.slug in self.rank or any(k in self.claims or k in self.state.key_to_id for k in claims):
            raise Beyond          # which brief keeps a slug or a key, or is cited, depends on the corpus
        self.briefs = sorted(self.briefs + [new], key=lambda b: (b.date, b.slug), reverse=True)   # as resolve_site
        self.rank = {b.slug: i for i, b in enumerate(self.briefs)}
        self.claims.update((key, new.slug) for key in claims)
        self.cites[new.slug], self.cited_by[new.slug] = (), ()
        self.new_briefs.add(new.slug)
        empty = replace(new, notes=(), references=())
        self.by_path[new.path] = empty
        return empty

    def _resolve_notes(self, brief: Brief) -> tuple[dict[tuple[str, str], tuple[str | None, ...]], list[Diagnostic]]:
        resolved, diagnostics = {}, []
        for note in brief.notes:
            if any(c.key is not None and c.key not in self.index.registry and c.key in self.state.by_id
                   for c in note.citations):
                raise Beyond      # an inferred source's id: known or not, as the corpus's order says
            resolved[(brief.slug, note.id)], more = resolve_note(self.state, note.citations, self.rules, self._add)
            diagnostics += more
        return resolved, diagnostics

    def _add(self, state: Resolving, inferred: Inferred, location: Location) -> None:
        """``add_inferred``, and what the patch keeps of a source new to the site."""
        if inferred.id in state.by_id and suffixed(inferred.id, inferred.key) in state.by_id:
            raise Beyond
        add_inferred(state, inferred, location)
        source_id = state.key_to_id[inferred.key]
        self._members(inferred.id).add(source_id)
        if inferred.key in self.index.claims:
            self.source_briefs[source_id] = self.index.claims[inferred.key]
        self.removed.discard(source_id)
        self.added.add(source_id)

    def _relink(self, brief: Brief, touched: set[str]) -> None:
        """The backlinks of the sources ``brief`` cites, before or after, in site order."""
        mine: dict[str, list[Backlink]] = defaultdict(list)
        for source_id, backlink in brief_backlinks(brief, self.note_sources):
            mine[source_id].append(backlink)
        rank = self.rank[brief.slug]
        for source_id in touched:
            links = [b for b in self.backlinks.get(source_id, ()) if b.brief != brief.slug]
            at = bisect_right([self.rank[b.brief] for b in links], rank)
            links[at:at] = mine.get(source_id, [])
            if links:
                self.backlinks[source_id] = tuple(links)
            else:
                self.backlinks.pop(source_id, None)

    def _settle(self, source_id: str) -> None:
        """A touched source: a registry entry (used or not), or an inferred source made
        again from its first citation in the corpus, or gone when none cites it."""
        registered = self.index.registry.get(source_id)
        if registered is not None:
            if source_id in self.backlinks:
                self.warnings.pop(source_id, None)
            else:
                self.warnings[source_id] = unused_warning(registered)
            return
        key, wanted = self.state.inferred[source_id]
        if wanted in self.state.collided:
            self.contested.add(wanted)
        if source_id not in self.backlinks:
            self._remove(source_id, key, wanted)
            return
        source = self._first_made(source_id, key, wanted)
        self.regroup = self.regroup or source.publisher != self.state.by_id[source_id].publisher
        self.state.by_id[source_id] = source
        if source.kind in EXACT_KINDS:
            self.warnings.pop(source_id, None)
        else:
            self.warnings[source_id] = inferred_warning(source)

    def _remove(self, source_id: str, key: str, wanted: str) -> None:
        del self.state.by_id[source_id], self.state.key_to_id[key], self.state.inferred[source_id]
        self._members(wanted).discard(source_id)
        self.warnings.pop(source_id, None)
        self.source_briefs.pop(source_id, None)
        if source_id in self.added:
            self.added.discard(source_id)
        else:
            self.removed.add(source_id)

    def _first_made(self, source_id: str, key: str, wanted: str) -> Source:
        """The source as the first citation of it (briefs by path, notes, citations) makes it."""
        citation = self._first_citation(source_id)[1]
        url = clean_url(citation.url or citation.text) if citation.key is None else None
        inferred = infer_source(url, self.rules) if url else None
        if inferred is None or (inferred.id, inferred.key) != (wanted, key):
            raise Beyond
        return inferred_source(inferred, source_id, citation.location)

    def _first_citation(self, source_id: str) -> tuple[tuple[str, int, int], Citation]:
        """Where resolve_site meets the source first, and the citation there."""
        first = min((self.briefs[self.rank[b.brief]] for b in self.backlinks[source_id]), key=lambda b: b.path)
        for number, note in enumerate(first.notes):
            found = self.note_sources[(first.slug, note.id)]
            for place, (citation, resolved) in enumerate(zip(note.citations, found)):
                if resolved == source_id:
                    return (first.path, number, place), citation
        raise Beyond

    def _members(self, wanted: str) -> set[str]:
        """The inferred sources that want the id ``wanted``."""
        if self._groups is None:
            self._groups = defaultdict(set)
            for source_id, (_, want) in self.state.inferred.items():
                self._groups[want].add(source_id)
        return self._groups[wanted]

    def _check_contested(self) -> None:
        """Of the sources that want one id, resolve_site gives it to the one met first (when
        no registry entry has it): the edit must leave that one first."""
        for wanted in sorted(self.contested - self.index.registry.keys()):
            members = self._members(wanted)
            if not members:
                continue
            first = min(members, key=lambda sid: self._first_citation(sid)[0])
            if first != wanted:
                raise Beyond

    def _recite(self, brief: Brief) -> None:
        """Which briefs ``brief`` cites, and so which briefs each of them is cited by."""
        before = self.cites.get(brief.slug, ())
        after = cited_briefs(brief, self.note_sources, self.source_briefs)
        self.cites[brief.slug] = after
        for target in dict.fromkeys(before + after):
            citing = [s for s in self.cited_by.get(target, ()) if s != brief.slug]
            if target in after:
                at = bisect_right([self.rank[s] for s in citing], self.rank[brief.slug])
                citing.insert(at, brief.slug)
            self.cited_by[target] = tuple(citing)

    # ------------------------------------------------------------------- the result
    def finish(self) -> tuple[Site, Index, Edit]:
        self._check_contested()
        site, index, state = self.site, self.index, self.state
        if self.added or self.removed:
            sources = tuple(sorted(state.by_id.values(), key=lambda s: s.id))
        else:
            sources = tuple(state.by_id[s.id] for s in site.sources)
        if self.added or self.removed or self.regroup:
            publishers, names = publishers_of(sources)
        else:
            publishers, names = site.publishers, site.publisher_names
        backlinks = self.backlinks
        if backlinks.keys() != site.backlinks.keys():
            backlinks = dict(sorted(backlinks.items()))
        new_site = replace(site, briefs=tuple(self.briefs), sources=sources, note_sources=self.note_sources,
                           backlinks=backlinks, source_briefs=self.source_briefs, cites=self.cites,
                           cited_by=self.cited_by, publishers=publishers, publisher_names=names)
        new_index = replace(index, key_to_id=state.key_to_id, inferred=state.inferred, collided=frozenset(state.collided),
                            claims=self.claims, citations=self.citations, warnings=self.warnings)
        edit = Edit(frozenset(self.slugs), frozenset(self.touched), frozenset(self.added), frozenset(self.removed),
                    frozenset(self.new_briefs))
        return new_site, new_index, edit
