"""The parse stage across processes: every brief and registry file parsed, on every core.

On a large site a second process is forked: it parses the registries, labels their
sources in the citation style (bibstyle.labels_of: kept for label_sources, so that a
source resolve leaves as it was is not labelled again), then takes briefs to parse
beside the building process. Briefs go in chunks of a few, each taken once by whichever
process asks first (``Turns``), so that both finish together however long the registries
take. What the second process parsed comes back pickled (the parse stage's dataclasses
pickle as their fields), and the chunks are put back in file order: a parallel parse
gives exactly the briefs, sources and diagnostics of a serial one.
"""

from __future__ import annotations

from typing import Callable

from briefgen.bibstyle import labels_of, remember_labels
from briefgen.diagnostics import Diagnostic
from briefgen.markdown import parse_brief
from briefgen.model import Brief, InputFile, Source
from briefgen.read import SiteFiles
from briefgen.sources.registry import parse_bibtex, parse_registry
from briefgen.workers import Turns, in_background, worker_count

# Below this many characters of briefs and registries, parsing stays in one process.
PARALLEL_FROM_CHARS = 4_000_000
_CHUNK = 10   # briefs taken at a time

ParseOne = Callable[[InputFile], tuple[Brief | None, list[Diagnostic]]]
ParseSources = Callable[[InputFile], tuple[list[Source], list[Diagnostic]]]
Parsed = dict[int, tuple[list[Brief], list[Diagnostic]]]   # chunk number -> what its briefs gave

# What a forked process inherits: the briefs, their chunks, the turns to take them.
_sharing: tuple[tuple[InputFile, ...], list[tuple[int, int]], Turns] | None = None


def parse_brief_file(file: InputFile) -> tuple[Brief | None, list[Diagnostic]]:
    return parse_brief(file.text, file.path)


def parse_registry_file(file: InputFile) -> tuple[list[Source], list[Diagnostic]]:
    parse = parse_bibtex if file.path.endswith(".bib") else parse_registry
    return parse(file.text, file.path)


def parse_all(files: SiteFiles, style_name: str, jobs: int | None = None,
              ) -> tuple[list[Brief], list[Source], list[Diagnostic]]:
    """Every brief and registry file parsed (in two processes on a large site)."""
    size = sum(len(f.text) for f in files.briefs + files.registries)
    if worker_count(size, jobs, PARALLEL_FROM_CHARS) < 2:
        briefs, diagnostics = parse_briefs(files.briefs)
        sources, more = parse_registries(files.registries)
        return briefs, sources, diagnostics + more
    global _sharing
    chunks = [(start, min(start + _CHUNK, len(files.briefs))) for start in range(0, len(files.briefs), _CHUNK)]
    _sharing = (files.briefs, chunks, Turns(len(chunks)))
    try:
        with in_background(_registries_then_briefs, (files.registries, style_name)) as background:
            parsed = _take_briefs()
            sources, more, labels, theirs = background()
    finally:
        _sharing = None
    remember_labels(style_name, sources, labels)
    parsed.update(theirs)
    briefs, diagnostics = [], []
    for number in range(len(chunks)):
        briefs += parsed[number][0]
        diagnostics += parsed[number][1]
    return briefs, sources, diagnostics + more


def _registries_then_briefs(work: tuple[tuple[InputFile, ...], str],
                            ) -> tuple[list[Source], list[Diagnostic], list[tuple[str, str]], Parsed]:
    """(In the second process) the registries' sources, their diagnostics and labels, then
    the chunks of briefs this process took."""
    registries, style_name = work
    sources, diagnostics = parse_registries(registries)
    return sources, diagnostics, labels_of(style_name, sources), _take_briefs()


def _take_briefs() -> Parsed:
    """Parse chunks of briefs, each taken in turn, until none is left."""
    assert _sharing is not None
    files, chunks, turns = _sharing
    return {number: parse_briefs(files[slice(*chunks[number])]) for number in turns}


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
