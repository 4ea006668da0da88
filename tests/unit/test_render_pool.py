"""Every fast path writes the same bytes: serial, parallel and forced rebuilds of one site."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

import pytest

from briefgen.build import build, compile_site
from briefgen.model import Page
from briefgen.read import read_site
from briefgen.render import make_environment, render_page
from briefgen.render_pool import PARALLEL_FROM_PAGES, _chunks
from briefgen.search import is_searchable, search_files
from briefgen.workers import worker_count
from tests.conftest import generated_corpus


def tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def bench_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 40-brief site from the benchmark generator (briefs, a registry of 60% of the sources)."""
    return generated_corpus(tmp_path_factory.mktemp("bench") / "corpus", 40)


def test_parallel_and_serial_builds_write_the_same_tree(bench_site: Path, tmp_path: Path):
    serial = build(bench_site, out=tmp_path / "serial", jobs=1)  # parse, labels and pages: one process
    parallel = build(bench_site, out=tmp_path / "parallel", jobs=2)
    assert serial.pages > 1000 and parallel.files == serial.files
    assert tree(tmp_path / "parallel") == tree(tmp_path / "serial")
    assert len(tree(tmp_path / "serial")) == serial.files


def test_a_forced_rebuild_and_a_no_op_keep_the_tree(example_site: Path):
    first = build(example_site, jobs=2)
    before = tree(example_site / "site")
    assert build(example_site).up_to_date and tree(example_site / "site") == before
    again = build(example_site, force=True, jobs=1)
    assert not again.up_to_date and again.files == first.files
    assert tree(example_site / "site") == before


def brief_pages_both_ways(root: Path) -> tuple[list[tuple[str, bytes]], list[tuple[str, bytes]]]:
    """Every brief page of the site at ``root``, in path order: as written, and as rendered
    for the search indexer."""
    files, diagnostics = read_site(root)
    compiled = compile_site(files, diagnostics)
    env = make_environment(files.templates)
    pages = sorted((p for p in compiled.pages if is_searchable(p.path)), key=lambda p: p.path)
    return ([(p.path, render_page(env, compiled.site, p)) for p in pages],
            [(p.path, render_page(env, compiled.site, p, for_search=True)) for p in pages])


def test_the_search_indexer_gets_smaller_pages_that_give_the_same_index(bench_site: Path, example_site: Path):
    for root in (bench_site, example_site):
        written, for_search = brief_pages_both_ways(root)
        assert sum(len(html) for _, html in for_search) < sum(len(html) for _, html in written) / 2
        assert search_files(for_search) == search_files(written)


def test_brief_pages_come_first_in_path_order_and_every_page_once():
    paths = ["index.html", "briefs/b/index.html", "sources/x/index.html", "briefs/a/index.html",
             "briefs/a/cite.bib"] + [f"sources/s{n}/index.html" for n in range(900)]
    pages = tuple(Page(p, "t.html") for p in paths)
    chunks = _chunks(pages)
    order = [pages[i].path for chunk in chunks for i in chunk]
    assert order[:2] == ["briefs/a/index.html", "briefs/b/index.html"]
    assert sorted(order) == sorted(paths)


def test_automatic_workers_only_for_a_large_site_and_never_beside_other_threads():
    assert worker_count(10, None, PARALLEL_FROM_PAGES) == 1
    assert worker_count(10, 3, PARALLEL_FROM_PAGES) == 3
    assert worker_count(PARALLEL_FROM_PAGES, None, PARALLEL_FROM_PAGES) >= 1
    blocker = threading.Event()
    other = threading.Thread(target=blocker.wait)
    other.start()
    try:
        assert worker_count(PARALLEL_FROM_PAGES, None, PARALLEL_FROM_PAGES) == 1
    finally:
        blocker.set()
        other.join()


def test_a_build_reports_its_progress_up_to_every_page(example_site: Path):
    heard = []
    report = build(example_site, progress=lambda step, done, total: heard.append((step, done, total)))
    rendering = [(done, total) for step, done, total in heard if step == "rendering"]
    assert heard[0] == ("reading and resolving", 0, 0)
    assert rendering[-1] == (report.pages, report.pages)
    assert [d for d, _ in rendering] == sorted(d for d, _ in rendering)
    assert heard[-1] == ("finishing the search index", 0, 0)


def test_no_workers_where_the_platform_does_not_fork(monkeypatch):
    import briefgen.workers as workers

    monkeypatch.setattr(workers.sys, "platform", "darwin")
    assert worker_count(10**6, 4, PARALLEL_FROM_PAGES) == 1
    assert list(workers.fork_map(abs, [-1, -2], worker_count(2, 2, 1))) == [1, 2]


def test_a_site_without_briefs_renders_in_workers_and_still_gets_its_search_files(example_site: Path, tmp_path: Path):
    for brief in (example_site / "briefs").glob("*.md"):
        brief.unlink()
    serial = build(example_site, out=tmp_path / "serial", jobs=1)
    parallel = build(example_site, out=tmp_path / "parallel", jobs=2)
    assert serial.briefs == 0 and serial.sources > 0
    assert tree(tmp_path / "parallel") == tree(tmp_path / "serial")
    assert (tmp_path / "parallel" / "pagefind" / "pagefind-entry.json").is_file()
    assert (tmp_path / "parallel" / "sources" / "index.html").is_file()
