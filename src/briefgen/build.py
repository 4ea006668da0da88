"""build(): read -> parse -> resolve -> plan -> render -> write, as a recipe."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from briefgen import memo, parse_cache, search_cache, stamp
from briefgen.bibstyle import label_diagnostics, label_sources
from briefgen.config import Config, load_config
from briefgen.diagnostics import BriefgenError, Diagnostic, has_errors, sort_diagnostics, strict as make_strict
from briefgen.model import Page, Site
from briefgen.page_keys import PageKeys
from briefgen.parse_pool import (ParseOne, ParseSources, parse_all, parse_brief_file, parse_briefs,
                                 parse_registries, parse_registry_file)
from briefgen.plan import plan_site
from briefgen.read import SiteFiles, read_site
from briefgen.render import render_site
from briefgen.render_pool import Progress, render_into
from briefgen.resolve import Index, resolve_indexed, with_build_date
from briefgen.search import index_search, indexed
from briefgen.sources.resolvers import Rule, parse_rules
from briefgen.write import Listing, build_lock, kept_listing, remove_leftovers, staged_tree, write_files


@dataclass(frozen=True)
class BuildReport:
    briefs: int
    sources: int
    pages: int
    files: int
    diagnostics: tuple[Diagnostic, ...]
    seconds: float
    up_to_date: bool = False     # nothing changed since the last build: nothing was written


# What the builds of a process about to end made (``build(ending=True)``): left for the
# process's end to reclaim, never freed object by object.
_LEFT: list[object] = []


def build(root: Path, out: Path | None = None, strict: bool = False, write: bool = True,
          force: bool = False, jobs: int | None = None, progress: Progress | None = None,
          ending: bool = False) -> BuildReport:
    """Build the site in ``root`` into ``out`` (default ``root/site``).

    Raises BriefgenError (with every diagnostic) when there are errors; the
    output folder is then left exactly as it was. When nothing changed since the
    last build (stamp.py), nothing is written unless ``force``. ``jobs``: processes that
    render (None: one per core on a large site). ``progress`` hears each step (a long
    build's progress display). What a build parsed (parse_cache.py), worked out from URLs
    (memo.py) and the tree its swap replaced (write.py) are kept in ``root/.briefgen-cache``:
    the next build parses only the files that changed, looks URLs up, renders only the
    pages whose key changed (page_keys.py) and writes only the files whose bytes changed.
    ``ending``: the process ends right after the build (the briefgen program, cli.run), so
    what the build made is not freed when it returns (millions of objects: about 1 s after
    a rebuild of 2,000 briefs).
    """
    progress = progress or _silent
    started = time.perf_counter()
    out = out or root / "site"
    before = stamp.take(root, out, strict) if write else None
    last = stamp.load(root) if before and not force else None
    if last is not None and last.stamp == before:
        return _unchanged(out, last, started)
    progress("reading and resolving", 0, 0)
    cache_dir = root / stamp.CACHE_DIR
    listed = kept_listing(cache_dir / stamp.KEPT_TREE, out) if write else contextlib.nullcontext()
    with fewer_collections(), listed as listing:
        files, diagnostics = read_site(root)
        with no_collections():
            cache = parse_cache.load(cache_dir, files)
            memo.load(cache_dir)
        try:
            compiled = compile_site(files, diagnostics, strict, jobs=jobs, cache=cache)
            site, pages = compiled.site, compiled.pages
            gc.freeze()
            if write:
                keys = PageKeys(site, files.templates, parse_cache.code_identity(), cache.keys)
                written = _render_and_write(out, compiled, files, jobs, progress, cache_dir, keys, listing)
            else:
                written = len(index_search(render_site(site, pages, files.templates, files.assets)))
        finally:
            cache.wait()
        counts = (len(site.briefs), len(site.sources), len(pages))
        if before is not None:
            memo.save(cache_dir)
            after = stamp.Stamp(before.inputs, before.options, stamp.output_identity(out))
            stamp.save(root, stamp.Recorded(after, counts, compiled.diagnostics))
        if ending:
            _LEFT.append((files, cache, compiled, keys if write else None))
    return BuildReport(*counts, written, compiled.diagnostics, time.perf_counter() - started)


@contextmanager
def fewer_collections():
    """Python's cycle collector, run less often while a build makes millions of objects that
    live to its end (single runs of a 1,000-brief build: 52 s with the default thresholds,
    45-50 s with these; the same peak memory). What the build loaded, then what it compiled,
    is frozen (``gc.freeze``): later collections, in this process and in the render workers
    forked from it, no longer walk those objects (nor write to their memory, which the
    workers share with this process until written). Restored afterwards."""
    before = gc.get_threshold()
    gc.set_threshold(200_000, 50, 1_000)
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()


@contextmanager
def no_collections():
    """No cycle collection while the build cache is loaded: millions of objects that live
    to the build's end, none of them garbage (2,000 briefs: 2.4 s with collections, 1.5 s
    without). They are frozen before collections resume: the first collection would
    otherwise walk them all (0.75 s)."""
    with collector_paused():
        try:
            yield
        finally:
            gc.freeze()


@contextmanager
def collector_paused():
    """No automatic cycle collection while the block runs; as it was before, afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _silent(step: str, done: int, total: int) -> None:
    """No progress display."""


def _unchanged(out: Path, last: stamp.Recorded, started: float) -> BuildReport:
    """The report of a build with nothing to do (leftovers of a killed build are still removed)."""
    with build_lock(out):
        remove_leftovers(out.absolute())
    return BuildReport(*last.counts, 0, last.diagnostics, time.perf_counter() - started, up_to_date=True)


@dataclass(frozen=True)
class Compiled:
    """Everything before rendering: the resolved site, its pages, the judged diagnostics;
    and what an edit's stages (resolve_edit.py, plan_edit.py) start from."""

    config: Config
    site: Site
    pages: tuple[Page, ...]
    diagnostics: tuple[Diagnostic, ...]
    index: Index | None = None
    labelled: dict[str, tuple[str, str]] | None = None   # source id -> (label HTML, field missed)
    rules: tuple[Rule, ...] = ()
    setup: tuple[Diagnostic, ...] = ()     # the configuration's and resolver rules' diagnostics


def compile_site(files: SiteFiles, read_diagnostics: list[Diagnostic], strict: bool = False,
                 parse_one: ParseOne | None = None, parse_sources: ParseSources | None = None,
                 jobs: int | None = None, cache: parse_cache.ParseCache | None = None) -> Compiled:
    """parse -> resolve -> plan. ``parse_one``/``parse_sources`` parse one file (a cache may
    stand in for them: ``briefgen serve`` re-parses only the files that changed); without
    them, every file ``cache`` (a build's parse cache) has no entry for is parsed, across
    ``jobs`` processes on a large site.

    Raises BriefgenError when there are errors (after ``--strict`` and ``ignore:``).
    """
    config, rules, setup = configure(files)
    diagnostics = list(read_diagnostics) + setup
    if parse_one is None and parse_sources is None:
        briefs, registry, more = parse_all(files, config.citation_style, jobs, cache)
    else:
        briefs, more = parse_briefs(files.briefs, parse_one or parse_brief_file)
        diagnostics += more
        registry, more = parse_registries(files.registries, parse_sources or parse_registry_file)
    diagnostics += more
    site, index = resolve_indexed(config, briefs, registry, rules)
    site = with_build_date(site, source_date_epoch())
    diagnostics += index.diagnostics()
    labelled = label_sources(config.citation_style, site.sources, jobs=jobs)
    diagnostics += label_diagnostics(config.citation_style, labelled, site.sources)
    diagnostics = judge(diagnostics, config, strict)
    pages = plan_site(site, label_html(labelled))
    return Compiled(config, site, pages, tuple(diagnostics), index, labelled, rules, tuple(setup))


def configure(files: SiteFiles) -> tuple[Config, tuple[Rule, ...], list[Diagnostic]]:
    """The site's configuration and resolver rules, with what is wrong in them."""
    config, diagnostics = load_config(files.config)
    rules, more = parse_rules(list(config.resolvers), config.resolvers_location)
    return config, rules, diagnostics + more


def label_html(labelled: dict[str, tuple[str, str]]) -> dict[str, str]:
    return {sid: html for sid, (html, _) in labelled.items()}


def judge(diagnostics: list[Diagnostic], config: Config, strict: bool) -> list[Diagnostic]:
    """Silence the codes the site ignores; under --strict, warnings are errors. Raises
    BriefgenError when errors remain."""
    kept = [d for d in diagnostics if d.code not in config.ignore]
    if strict or config.strict:
        kept = make_strict(kept)
    kept = sort_diagnostics(kept)
    if has_errors(kept):
        raise BriefgenError(kept)
    return kept


def source_date_epoch() -> dt.datetime | None:
    """The reproducible-builds date (SOURCE_DATE_EPOCH), when set; never the wall clock."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value.isdigit():
        return None
    return dt.datetime.fromtimestamp(int(value), tz=dt.timezone.utc)


def _render_and_write(out: Path, compiled: Compiled, files: SiteFiles, jobs: int | None,
                      progress: Progress, cache: Path, keys: PageKeys | None = None,
                      listing: Listing | None = None) -> int:
    """render -> search -> write, streamed: pages go to a staged tree as they are rendered
    (across processes on a large site), which replaces ``out`` only once complete. The tree
    it replaces is kept in the build cache for the next build, which writes only the files
    whose bytes differ. The brief pages are rendered first: Pagefind builds its index while
    the other pages are rendered, unless they are those of the last bundle (search_cache.py).
    ``keys``: the pages' keys (page_keys.py): a page whose key is unchanged since the last
    build is not rendered again. ``listing``: the kept tree's, listed while the build
    parsed, resolved and planned."""
    last_search = search_cache.load(cache)
    with build_lock(out), staged_tree(out, keep=cache / stamp.KEPT_TREE, listing=listing) as staging:
        rendering = render_into(staging, compiled.site, compiled.pages, files.templates, files.assets, jobs, progress,
                                keys, last_search.digests() if last_search else None)

        def render_the_rest() -> None:
            rendering.finish()
            progress("finishing the search index", 0, 0)

        search = indexed(rendering.searchable(), meanwhile=render_the_rest, last=last_search,
                         render=rendering.for_search)
        write_files(staging, sorted(search.bundle.items()))
    search_cache.save(cache, search)
    return len(files.assets) + len(compiled.pages) + len(search.bundle)
