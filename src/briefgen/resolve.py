"""The resolve stage: one pass over the whole corpus, after everything is loaded.

notes -> sources (registry first, then the built-in resolvers), sources -> every
citing note (backlinks), briefs -> the briefs they cite and that cite them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Callable

from briefgen.config import Config
from briefgen.diagnostics import Diagnostic, Location, error, warning
from briefgen.model import Backlink, Brief, Citation, Site, Source
from briefgen.sources.identity import clean_url
from briefgen.sources.registry import merge_registry
from briefgen.sources.resolvers import Inferred, Rule, identity_key, infer_source
from briefgen.text import short_hash, slugify

# Resolvers whose result is exact enough that an inferred source needs no registry entry.
EXACT_KINDS = ("assessment", "backgrounder", "social")
ASSESSMENT_KEY = "isw-assessment:{date}"
NoteSources = dict[tuple[str, str], tuple[str | None, ...]]


@dataclass
class Resolving:
    """Working state of one resolve pass (local to ``resolve_site``, or to ``resolve_edit``'s
    patch, never shared). An inferred source's ``location`` is its first citation."""

    by_id: dict[str, Source]
    key_to_id: dict[str, str]
    inferred: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (key, id wanted)
    collided: set[str] = field(default_factory=set)   # ids wanted by two inferred sources


# Adds the source inferred from a URL met for the first time (``add_inferred``, or a patch's own).
AddInferred = Callable[[Resolving, Inferred, Location], None]


@dataclass(frozen=True)
class Index:
    """What a resolve pass knows beyond the Site: enough to resolve an edited brief the same
    way (resolve_edit.py) without going over the whole corpus again."""

    registry: dict[str, Source]                  # registry entries by id
    key_to_id: dict[str, str]                    # identity key -> source id
    claims: dict[str, str]                       # identity key -> slug of the brief it is
    inferred: dict[str, tuple[str, str]]         # inferred source id -> (identity key, id wanted)
    collided: frozenset[str]                     # ids that more than one inferred source wanted
    citations: dict[str, tuple[Diagnostic, ...]]  # brief path -> its citations' diagnostics
    warnings: dict[str, Diagnostic]              # source id -> source.inferred / registry.unused
    fixed: tuple[Diagnostic, ...]                # slugs, registry merge, shortlinks

    def diagnostics(self) -> list[Diagnostic]:
        found = list(self.fixed)
        for more in self.citations.values():
            found += more
        return found + list(self.warnings.values())


def resolve_site(config: Config, briefs: list[Brief], registry: list[Source],
                 rules: tuple[Rule, ...] = ()) -> tuple[Site, list[Diagnostic]]:
    site, index = resolve_indexed(config, briefs, registry, rules)
    return site, index.diagnostics()


def resolve_indexed(config: Config, briefs: list[Brief], registry: list[Source],
                    rules: tuple[Rule, ...] = ()) -> tuple[Site, Index]:
    briefs, fixed = _unique_slugs(briefs)
    by_id, key_to_id, reg_diags = merge_registry(registry)
    fixed += reg_diags
    state = Resolving(dict(by_id), dict(key_to_id))
    note_citations, citations = {}, {}
    for brief in briefs:
        found = []
        for note in brief.notes:
            resolved, diags = resolve_note(state, note.citations, rules)
            note_citations[(brief.slug, note.id)] = resolved
            found += diags
        citations[brief.path] = tuple(found)
    warnings = {sid: d for sid, d in _inferred_warnings(state)}
    warnings.update(_unused_entries(by_id, note_citations))
    brief_keys, key_diags = _brief_keys(config, briefs)
    fixed += key_diags
    source_briefs = {sid: brief_keys[key] for key, sid in state.key_to_id.items() if key in brief_keys}
    site = _assemble(config, briefs, state, note_citations, source_briefs)
    index = Index(by_id, state.key_to_id, brief_keys, state.inferred, frozenset(state.collided),
                  citations, warnings, tuple(fixed))
    return site, index


def _unique_slugs(briefs: list[Brief]) -> tuple[list[Brief], list[Diagnostic]]:
    seen: dict[str, Brief] = {}
    diagnostics = []
    for brief in sorted(briefs, key=lambda b: b.path):
        first = seen.get(brief.slug)
        if first is None:
            seen[brief.slug] = brief
            continue
        diagnostics.append(error(
            "brief.duplicate-slug", brief.location,
            f"slug {brief.slug!r} is already used by {first.path}",
            "give one of the briefs another `slug:` in its front matter, or rename its file",
        ))
    return list(seen.values()), diagnostics


def resolve_note(state: Resolving, citations: tuple[Citation, ...], rules: tuple[Rule, ...],
                 add: AddInferred | None = None) -> tuple[tuple[str | None, ...], list[Diagnostic]]:
    """The source id of each citation of a note (None where none), in the order met."""
    resolved, diagnostics = [], []
    for citation in citations:
        source_id, diag = _resolve_citation(state, citation, rules, add or add_inferred)
        if diag:
            diagnostics.append(diag)
        resolved.append(source_id)
    return tuple(resolved), diagnostics


def _resolve_citation(state: Resolving, citation: Citation, rules: tuple[Rule, ...],
                      add: AddInferred) -> tuple[str | None, Diagnostic | None]:
    if citation.key is not None:
        if citation.key in state.by_id:
            return citation.key, None
        return None, _unknown_key(citation)
    url = clean_url(citation.url or citation.text)
    if url is None:
        return None, _bad_url(citation)
    key = identity_key(url)
    if key not in state.key_to_id:
        add(state, infer_source(url, rules), citation.location)
    return state.key_to_id[key], None


def _unknown_key(citation: Citation) -> Diagnostic:
    return error("citation.unknown-key", citation.location, f"no registry entry with id {citation.key!r}",
                 f"add `{citation.key}:` with its url and title to a file in citations/, or fix the id")


def _bad_url(citation: Citation) -> Diagnostic:
    return warning("citation.bad-url", citation.location, f"{citation.text!r} is not a usable http(s) URL",
                   "write the full address starting with https://")


def add_inferred(state: Resolving, inferred: Inferred, location: Location) -> None:
    source_id = inferred.id
    if source_id in state.by_id:
        source_id = suffixed(inferred.id, inferred.key)
        state.collided.add(inferred.id)
    state.by_id[source_id] = inferred_source(inferred, source_id, location)
    state.key_to_id[inferred.key] = source_id
    state.inferred[source_id] = (inferred.key, inferred.id)


def suffixed(wanted: str, key: str) -> str:
    """The id of an inferred source whose wanted id is taken."""
    return f"{wanted[:70]}-{short_hash(key)}"


def inferred_source(inferred: Inferred, source_id: str, location: Location) -> Source:
    return Source(id=source_id, url=inferred.url, title=inferred.title, publisher=inferred.publisher,
                  date=inferred.date, kind=inferred.kind, inferred=True, location=location)


def _inferred_warnings(state: Resolving) -> list[tuple[str, Diagnostic]]:
    return [(sid, inferred_warning(state.by_id[sid])) for sid in sorted(state.inferred)
            if state.by_id[sid].kind not in EXACT_KINDS]


def inferred_warning(source: Source) -> Diagnostic:
    """The warning for a source inferred from its URL (at its first citation)."""
    return warning(
        "source.inferred", source.location,
        f"{source.url} has no registry entry; its title and publisher were guessed "
        f"from the URL ({source.publisher}: {source.title!r})",
        "add it to citations/ with its real title, publisher and date "
        "(`briefgen sources --add citations/sources.yaml` writes entries to complete)",
    )


def _unused_entries(by_id: dict[str, Source],
                    note_citations: NoteSources) -> list[tuple[str, Diagnostic]]:
    used = {sid for sids in note_citations.values() for sid in sids}
    return [(sid, unused_warning(source)) for sid, source in sorted(by_id.items()) if sid not in used]


def unused_warning(source: Source) -> Diagnostic:
    return warning("registry.unused", source.location or Location("citations"),
                   f"registry entry {source.id!r} is never cited", "cite it in a note, or remove the entry")


def _brief_keys(config: Config, briefs: list[Brief]) -> tuple[dict[str, str], list[Diagnostic]]:
    """Identity keys by which other briefs cite each brief: its shortlinks, its assessment."""
    claims: dict[str, str] = {}
    diagnostics = []
    for brief in sorted(briefs, key=lambda b: (b.date, b.slug)):
        for key in brief_claims(config, brief):
            if key in claims and claims[key] != brief.slug:
                diagnostics.append(warning(
                    "brief.duplicate-shortlink", brief.location,
                    f"{brief.path} and brief {claims[key]!r} both claim {key}",
                    "give each brief its own `shortlink:`",
                ))
                continue
            claims[key] = brief.slug
    return claims, diagnostics


def brief_claims(config: Config, brief: Brief) -> tuple[str, ...]:
    """The identity keys ``brief`` is known by: its shortlinks, and its date's assessment
    when its series is an assessment series."""
    keys = [identity_key(u) for u in map(clean_url, brief.shortlinks) if u]
    if brief.series.casefold() in {s.casefold() for s in config.assessment_series}:
        keys.append(ASSESSMENT_KEY.format(date=brief.date.isoformat()))
    return tuple(dict.fromkeys(keys))


def _assemble(config: Config, briefs: list[Brief], state: Resolving,
              note_citations: NoteSources,
              source_briefs: dict[str, str]) -> Site:
    ordered = sorted(briefs, key=lambda b: (b.date, b.slug), reverse=True)
    backlinks = _backlinks(ordered, note_citations)
    cites, cited_by = _brief_links(ordered, note_citations, source_briefs)
    used_ids = sorted(backlinks) + sorted(set(state.by_id) - set(backlinks))
    sources = tuple(sorted((state.by_id[sid] for sid in used_ids), key=lambda s: s.id))
    publishers, names = publishers_of(sources)
    return Site(
        title=config.title, base_url=config.base_url, language=config.language,
        briefs=tuple(ordered), sources=sources, note_sources=note_citations,
        backlinks=backlinks, source_briefs=source_briefs, cites=cites, cited_by=cited_by,
        publishers=publishers, publisher_names=names,
    )


def _backlinks(ordered: list[Brief],
               note_citations: NoteSources) -> dict[str, tuple[Backlink, ...]]:
    found: dict[str, list[Backlink]] = defaultdict(list)
    for brief in ordered:
        for source_id, backlink in brief_backlinks(brief, note_citations):
            found[source_id].append(backlink)
    return {sid: tuple(links) for sid, links in sorted(found.items())}


def brief_backlinks(brief: Brief, note_citations: NoteSources) -> list[tuple[str, Backlink]]:
    """(source id, backlink) for every source each note of ``brief`` cites, in note order."""
    refs_by_note = defaultdict(list)
    for ref in brief.references:
        refs_by_note[ref.note].append(ref)
    found = []
    for note in brief.notes:
        cited = dict.fromkeys(s for s in note_citations.get((brief.slug, note.id), ()) if s)
        for source_id in cited:
            found.append((source_id, Backlink(brief.slug, note.id, note.number, tuple(refs_by_note[note.id]))))
    return found


def _brief_links(ordered: list[Brief], note_citations: NoteSources, source_briefs: dict[str, str]):
    cites: dict[str, tuple[str, ...]] = {}
    cited_by: dict[str, list[str]] = defaultdict(list)
    for brief in ordered:
        targets = cited_briefs(brief, note_citations, source_briefs)
        cites[brief.slug] = targets
        for target in targets:
            cited_by[target].append(brief.slug)
    return cites, {slug: tuple(cited_by.get(slug, ())) for slug in cites}


def cited_briefs(brief: Brief, note_citations: NoteSources, source_briefs: dict[str, str]) -> tuple[str, ...]:
    """Slugs of the other briefs that ``brief``'s notes cite, in order of first citation."""
    return tuple(dict.fromkeys(
        source_briefs[sid]
        for note in brief.notes
        for sid in note_citations.get((brief.slug, note.id), ())
        if sid in source_briefs and source_briefs[sid] != brief.slug
    ))


def publishers_of(sources: tuple[Source, ...]) -> tuple[dict[str, tuple[str, ...]], dict[str, str]]:
    ids: dict[str, list[str]] = defaultdict(list)
    names: dict[str, str] = {}
    for source in sources:
        slug = slugify(source.publisher or "unknown")
        names.setdefault(slug, source.publisher or "Unknown")
        ids[slug].append(source.id)
    return {slug: tuple(v) for slug, v in sorted(ids.items())}, dict(sorted(names.items()))


def with_build_date(site: Site, build_date) -> Site:
    return replace(site, build_date=build_date)
