"""The parse stage across processes: every brief and registry file parsed, on every core.

On a large site a second process is forked: it parses the registries, labels their
sources in the citation style (bibstyle.labels_of: kept for label_sources, so that a
source resolve leaves as it was is not labelled again), then takes briefs to parse
beside the building process. Briefs go in chunks of a few, each taken once by whichever
process asks first (``Turns``), so that both finish together however long the registries
take. What the second process parsed comes back pickled (the parse stage's dataclasses
pickle as their fields), and the chunks are put back in file order: a parallel parse
gives exactly the briefs, sources and diagnostics of a serial one.

A build hands it the parse cache (parse_cache.py): only the files it has no entry for are
parsed, and what was parsed goes back to the cache to keep. A registry that changed is
parsed chunk by chunk (sources/registry_chunks.py): the chunks the last parse holds are
taken from it, and the labels of the sources it holds are remembered, so that an edited
entry costs about its own chunk; that takes no second process.
"""

from __future__ import annotations

from typing import Callable

from briefgen.bibstyle import labels_of, remember_labels, style_identity
from briefgen.diagnostics import Diagnostic
from briefgen.markdown import parse_brief
from briefgen.model import Brief, InputFile, Source
from briefgen.parse_cache import BriefParse, ParseCache, RegistryParse
from briefgen.read import SiteFiles
from briefgen.sources.registry import parse_bibtex, parse_registry
from briefgen.sources.registry_chunks import parse_registry_chunks
from briefgen.workers import Turns, in_background, worker_count

# Below this many characters of briefs and registries, parsing stays in one process.
PARALLEL_FROM_CHARS = 4_000_000
_CHUNK = 10   # briefs taken at a time

ParseOne = Callable[[InputFile], tuple[Brief | None, list[Diagnostic]]]
ParseSources = Callable[[InputFile], tuple[list[Source], list[Diagnostic]]]
Parsed = dict[int, list[BriefParse]]   # chunk number -> what each of its briefs gave

# What a forked process inherits: the briefs, their chunks, the turns to take them; the
# last parse of the registries.
_sharing: tuple[tuple[InputFile, ...], list[tuple[int, int]], Turns] | None = None
_last_registry: RegistryParse | None = None


def parse_brief_file(file: InputFile) -> tuple[Brief | None, list[Diagnostic]]:
    return parse_brief(file.text, file.path)


def parse_registry_file(file: InputFile) -> tuple[list[Source], list[Diagnostic]]:
    parse = parse_bibtex if file.path.endswith(".bib") else parse_registry
    return parse(file.text, file.path)


def parse_all(files: SiteFiles, style_name: str, jobs: int | None = None, cache: ParseCache | None = None,
              ) -> tuple[list[Brief], list[Source], list[Diagnostic]]:
    """Every brief and registry file parsed (in two processes on a large site), or taken
    from ``cache``, which is handed what was parsed to keep."""
    results = [cache.brief(f) if cache else None for f in files.briefs]
    missing = tuple(f for f, result in zip(files.briefs, results) if result is None)
    registry = cache.registry if cache else None
    registries = () if registry is not None else files.registries
    last = _remember(cache.last_registry if cache else None, style_name)
    # With the last parse, a changed registry is mostly taken from it: no second process.
    chars = sum(len(f.text) for f in missing + (registries if last is None else ()))
    if worker_count(chars, jobs, PARALLEL_FROM_CHARS) < 2:
        parsed = [_parse_one(f) for f in missing]
        fresh = _registry_parse(registries, style_name, last, jobs) if registries else None
    else:
        parsed, fresh = _in_two_processes(missing, registries, style_name, last)
    registry = registry or fresh or RegistryParse((), ())
    if registry.labels is not None and registry.style == style_identity(style_name):
        remember_labels(style_name, list(registry.sources), list(registry.labels))
    taken = iter(parsed)
    results = [result if result is not None else next(taken) for result in results]
    if cache is not None:
        cache.keep({f.path: result for f, result in zip(missing, parsed)}, fresh)
    briefs = [brief for brief, _ in results if brief is not None]
    diagnostics = [d for _, found in results for d in found] + list(registry.diagnostics)
    return briefs, list(registry.sources), diagnostics


def _parse_one(file: InputFile) -> BriefParse:
    brief, diagnostics = parse_brief_file(file)
    return brief, tuple(diagnostics)


def _remember(last: RegistryParse | None, style_name: str) -> RegistryParse | None:
    """The last parse of the registries, with its labels remembered (bibstyle.remember_labels)
    when they are of this style: a source that did not change is not labelled again."""
    if last is not None and last.labels is not None and last.style == style_identity(style_name):
        remember_labels(style_name, list(last.sources), list(last.labels))
    return last


def _registry_parse(registries: tuple[InputFile, ...], style_name: str,
                    last: RegistryParse | None, jobs: int | None = 1) -> RegistryParse:
    """The registries' sources, diagnostics, labels and chunks (the chunks of ``last`` whose
    text is the same are not parsed again; the labels it holds are remembered). ``jobs``:
    processes making labels (one in the registry process, which cannot fork)."""
    sources, diagnostics, chunks = [], [], {}
    for file in registries:
        if file.path.endswith(".bib"):
            found, more = parse_bibtex(file.text, file.path)
        else:
            found, more, kept = parse_registry_chunks(file.text, file.path, last.chunks if last else None)
            chunks.update(kept)
        sources += found
        diagnostics += more
    return RegistryParse(tuple(sources), tuple(diagnostics), style_identity(style_name),
                         tuple(labels_of(style_name, sources, jobs)), chunks)


def _in_two_processes(briefs: tuple[InputFile, ...], registries: tuple[InputFile, ...], style_name: str,
                      last: RegistryParse | None = None) -> tuple[list[BriefParse], RegistryParse | None]:
    """Each brief's parse, in order, and the registries' (None when there are none to parse)."""
    global _sharing, _last_registry
    chunks = [(start, min(start + _CHUNK, len(briefs))) for start in range(0, len(briefs), _CHUNK)]
    _sharing = (briefs, chunks, Turns(len(chunks)))
    _last_registry = last
    try:
        with in_background(_registries_then_briefs, (registries, style_name)) as background:
            parsed = _take_briefs()
            registry, theirs = background()
    finally:
        _sharing = _last_registry = None
    parsed.update(theirs)
    return [result for number in range(len(chunks)) for result in parsed[number]], registry


def _registries_then_briefs(work: tuple[tuple[InputFile, ...], str]) -> tuple[RegistryParse | None, Parsed]:
    """(In the second process) the registries' sources, their diagnostics and labels, then
    the chunks of briefs this process took."""
    registries, style_name = work
    registry = _registry_parse(registries, style_name, _last_registry) if registries else None
    return registry, _take_briefs()


def _take_briefs() -> Parsed:
    """Parse chunks of briefs, each taken in turn, until none is left."""
    assert _sharing is not None
    files, chunks, turns = _sharing
    return {number: [_parse_one(f) for f in files[slice(*chunks[number])]] for number in turns}


def parse_briefs(files: tuple[InputFile, ...], parse_one: ParseOne | None = None,
                 ) -> tuple[list[Brief], list[Diagnostic]]:
    briefs, diagnostics = [], []
    for file in files:
        brief, more = (parse_one or parse_brief_file)(file)
        diagnostics += more
        if brief is not None:
            briefs.append(brief)
    return briefs, diagnostics


def parse_registries(files: tuple[InputFile, ...], parse_sources: ParseSources | None = None,
                     ) -> tuple[list[Source], list[Diagnostic]]:
    sources, diagnostics = [], []
    for file in files:
        found, more = (parse_sources or parse_registry_file)(file)
        sources += found
        diagnostics += more
    return sources, diagnostics
