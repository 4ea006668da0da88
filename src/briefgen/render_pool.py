"""The render stage across processes: every page rendered once, and written as it is made.

A large site is rendered by worker processes forked after planning: they share the
planned site copy-on-write (nothing is pickled on the way in), each renders a fixed
share of the pages and hands their bytes straight to the write stage (write.py) inside
the staged tree, so no process ever holds the whole output in memory. What comes back
to the parent is only the pages the search stage indexes, in path order.

A page's bytes depend on the page alone, never on the worker or on the order, so a
parallel build writes exactly the bytes of a serial one (tests/unit/test_render_pool.py).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from pathlib import Path
from typing import Iterator

import jinja2

from briefgen.model import InputFile, Page, Site
from briefgen.render import make_environment, render_page
from briefgen.search import is_searchable
from briefgen.write import write_files

# Below this many pages a build renders in its own process: forking costs more than it saves.
PARALLEL_FROM_PAGES = 4000
_CHUNK_BYTES_BUDGET = 400        # pages per chunk for light pages; brief pages go 8 at a time
_BRIEF_CHUNK = 8

_shared: tuple[jinja2.Environment, Site, tuple[Page, ...], Path] | None = None


def render_into(staging: Path, site: Site, pages: tuple[Page, ...], templates: tuple[InputFile, ...],
                assets: tuple[tuple[str, bytes], ...], jobs: int | None = None) -> Iterator[tuple[str, bytes]]:
    """Render every page into ``staging`` (and copy the assets); yields the searchable pages
    in path order as they are done. ``jobs``: worker processes (None: one per core on a
    large site, none on a small one)."""
    global _shared
    write_files(staging, assets)
    env = make_environment(templates)
    workers = worker_count(len(pages), jobs)
    chunks = _chunks(pages)
    _shared = (env, site, pages, staging)
    try:
        if workers <= 1:
            for chunk in chunks:
                yield from _render_chunk(chunk)
            return
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for searchable in pool.imap(_render_chunk, chunks):
                yield from searchable
    finally:
        _shared = None


def worker_count(pages: int, jobs: int | None) -> int:
    """Processes to render ``pages`` with. Forking is only safe in a process with no other
    thread running (a lock held by one would stay held in the child), so an automatic
    choice falls back to one process there."""
    if jobs is not None:
        return max(1, jobs)
    if pages < PARALLEL_FROM_PAGES or threading.active_count() > 1:
        return 1
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def _chunks(pages: tuple[Page, ...]) -> list[tuple[int, ...]]:
    """Page indices in chunks: the searchable pages first, in path order (so that they come
    back in the order the search stage wants), then the rest."""
    searchable = sorted((i for i, p in enumerate(pages) if is_searchable(p.path)), key=lambda i: pages[i].path)
    rest = [i for i, p in enumerate(pages) if not is_searchable(p.path)]
    return ([tuple(searchable[k:k + _BRIEF_CHUNK]) for k in range(0, len(searchable), _BRIEF_CHUNK)]
            + [tuple(rest[k:k + _CHUNK_BYTES_BUDGET]) for k in range(0, len(rest), _CHUNK_BYTES_BUDGET)])


def _render_chunk(indices: tuple[int, ...]) -> list[tuple[str, bytes]]:
    """Render and write the pages at ``indices``; return the searchable ones."""
    assert _shared is not None
    env, site, pages, staging = _shared
    searchable = []
    for i in indices:
        page = pages[i]
        data = render_page(env, site, page)
        write_files(staging, [(page.path, data)])
        if is_searchable(page.path):
            searchable.append((page.path, data))
    return searchable
