"""The render stage across processes: every page rendered once, and written as it is made.

A large site is rendered by worker processes forked after planning: they share the
planned site copy-on-write (nothing is pickled on the way in), each renders a fixed
share of the pages and hands their bytes straight to the write stage (write.py) inside
the staged tree, so no process ever holds the whole output in memory. What comes back
to the parent is the record of each file written (write.py: what the next build compares
against) and the pages the search stage indexes, in path order (rendered a second time for
it, without the parts it ignores: a brief's notes are most of its page).

A page's bytes depend on the page alone, never on the worker or on the order, so a
parallel build writes exactly the bytes of a serial one (tests/unit/test_render_pool.py).

Given the keys of pages (page_keys.py), each worker works out the key of each of its pages;
a page whose key is the one the output's manifest records for it is not rendered: its
bytes are the output's (write.reuse_file). Nor is a brief page rendered for the search
indexer when the last index recorded its key: the digest recorded with it stands for it,
and the indexer asks for the page (``Rendering.for_search``) only when another page of its
shard changed.
"""

from __future__ import annotations

from typing import Callable, Iterator

import jinja2

from briefgen.model import InputFile, Page, Site
from briefgen.page_keys import PageKeys
from briefgen.render import make_environment, render_page
from briefgen.search import Searchable, digest_of, is_searchable
from briefgen.workers import fork_map, worker_count
from briefgen.write import Record, Staging, reuse_file, write_files

# Below this many pages a build renders in its own process: forking costs more than it saves.
PARALLEL_FROM_PAGES = 4000
_CHUNK = 400        # pages per chunk for light pages; brief pages go 8 at a time
_BRIEF_CHUNK = 8

Progress = Callable[[str, int, int], None]   # (step, pages done, pages in all)

_shared: tuple[jinja2.Environment, Site, tuple[Page, ...], Staging, PageKeys | None,
               dict[tuple[str, str], str]] | None = None
Done = tuple[list[Searchable], dict[str, Record], dict[str, str]]   # searchable pages, records, keys


def render_into(staging: Staging, site: Site, pages: tuple[Page, ...], templates: tuple[InputFile, ...],
                assets: tuple[tuple[str, bytes], ...], jobs: int | None = None,
                progress: Progress | None = None, keys: PageKeys | None = None,
                search_digests: dict[tuple[str, str], str] | None = None) -> "Rendering":
    """Copy the assets into ``staging`` and start rendering every page into it. ``jobs``:
    worker processes (None: one per core on a large site, none on a small one).
    ``progress`` hears ("rendering", done, total). ``keys``: the keys of the pages, to
    leave those that did not change since the last build unrendered and to record.
    ``search_digests``: the last search index's (path, key) -> digest (search.Indexed)."""
    write_files(staging, assets)
    return Rendering(staging, site, pages, make_environment(templates), jobs, progress, keys, search_digests)


class Rendering:
    """A render under way: the searchable pages are rendered first and handed over in path
    order (``searchable()``); the workers go on with the other pages meanwhile, which
    ``finish()`` waits for. Nothing is rendered before the first page is asked for."""

    def __init__(self, staging: Staging, site: Site, pages: tuple[Page, ...], env: jinja2.Environment,
                 jobs: int | None, progress: Progress | None, keys: PageKeys | None = None,
                 search_digests: dict[tuple[str, str], str] | None = None) -> None:
        self.staging, self.site, self.pages, self.env, self.keys = staging, site, pages, env, keys
        self.search_digests = search_digests or {}
        self.chunks = _chunks(pages)
        self.searchable_chunks = sum(1 for chunk in self.chunks if is_searchable(pages[chunk[0]].path))
        self.progress = progress
        self._by_path: dict[str, Page] | None = None
        self._results = self._run(worker_count(len(pages), jobs, PARALLEL_FROM_PAGES))

    def searchable(self) -> Iterator[Searchable]:
        """The searchable pages, in path order (``search.Searchable``: the digest of each as
        rendered for the search indexer, that HTML unless its digest was known by its key,
        and its key). The first chunk is awaited even when none is searchable: the workers are
        forked then, before the search stage starts threads of its own."""
        for n, found in enumerate(self._results, 1):
            yield from found
            if n >= self.searchable_chunks:
                return

    def for_search(self, path: str) -> bytes:
        """The page at ``path`` as rendered for the search indexer (in this process)."""
        if self._by_path is None:
            self._by_path = {page.path: page for page in self.pages if is_searchable(page.path)}
        return render_page(self.env, self.site, self._by_path[path], for_search=True)

    def finish(self) -> None:
        """Wait for every other page to be rendered and written."""
        for _ in self._results:
            pass

    def _run(self, workers: int) -> Iterator[list[tuple[str, bytes]]]:
        """Each chunk's searchable pages, in chunk order; the records of the files the
        workers wrote go into the staged tree's ``written``."""
        global _shared
        _shared = (self.env, self.site, self.pages, self.staging, self.keys, self.search_digests)
        try:
            done = 0
            for chunk, (searchable, records, keys) in zip(self.chunks, fork_map(_render_chunk, self.chunks, workers)):
                self.staging.written.update(records)
                self.staging.keys.update(keys)
                done += len(chunk)
                if self.progress is not None:
                    self.progress("rendering", done, len(self.pages))
                yield searchable
        finally:
            _shared = None


def _chunks(pages: tuple[Page, ...]) -> list[tuple[int, ...]]:
    """Page indices in chunks: the searchable pages first, in path order (so that they come
    back in the order the search stage wants), then the rest."""
    searchable = sorted((i for i, p in enumerate(pages) if is_searchable(p.path)), key=lambda i: pages[i].path)
    rest = [i for i, p in enumerate(pages) if not is_searchable(p.path)]
    return ([tuple(searchable[k:k + _BRIEF_CHUNK]) for k in range(0, len(searchable), _BRIEF_CHUNK)]
            + [tuple(rest[k:k + _CHUNK]) for k in range(0, len(rest), _CHUNK)])


def _render_chunk(indices: tuple[int, ...]) -> Done:
    """Render and write the pages at ``indices`` (or take the output's bytes of those whose
    key is unchanged); return the searchable ones, as rendered for the search indexer, the
    records of the files and the keys of the pages."""
    assert _shared is not None
    env, site, pages, staging, page_keys, search_digests = _shared
    searchable, records, keys = [], {}, {}
    for i in indices:
        page = pages[i]
        key = page_keys.of(page) if page_keys is not None else None
        record = reuse_file(staging, page.path) if key and staging.last_keys.get(page.path) == key else None
        if record is None:
            record = write_files(staging, [(page.path, render_page(env, site, page))])[page.path]
        records[page.path] = record
        if key:
            keys[page.path] = key
        if is_searchable(page.path):  # the search indexer gets the page without what it ignores
            digest = search_digests.get((page.path, key)) if key else None
            html = render_page(env, site, page, for_search=True) if digest is None else None
            searchable.append((page.path, digest or digest_of(html), html, key))
    return searchable, records, keys
