"""A sources index of several pages: each page lists its share of the sources with links to
the others, and the filters and sorting work over every source of the index (sources.js
fetches sources/index.json), not over the page alone. Publisher pages are cut the same way."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from briefgen.plan import ROWS_PER_PAGE
from tests.browser.checks import axe_violations, vnu_errors
from tests.support.browser import serve_directory

SOURCES = 2 * ROWS_PER_PAGE + 300
PUBLISHERS = ("Alpha Daily", "Beta Wire", "Gamma Post")


def registry() -> str:
    """SOURCES entries, ids in order; every 7th is Gamma Post's, the others Alpha's below 1,500, Beta's after."""
    entries = []
    for n in range(SOURCES):
        publisher = PUBLISHERS[2] if n % 7 == 0 else PUBLISHERS[n >= 1500]
        kind = "document" if n == SOURCES - 1 else "news"
        entries.append(f"s{n:05d}:\n  url: https://example.org/{n}\n  title: Report number {n:05d}\n"
                       f"  publisher: {publisher}\n  date: 2024-01-{1 + n % 28:02d}\n  kind: {kind}\n")
    return "\n".join(entries)


@pytest.fixture(scope="module")
def long_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from briefgen.build import build

    root = tmp_path_factory.mktemp("long-sources")
    (root / "briefs").mkdir()
    (root / "citations").mkdir()
    (root / "citations" / "sources.yaml").write_text(registry(), encoding="utf-8")
    (root / "briefs" / "a.md").write_text(
        "---\ntitle: A\ndate: 2024-05-24\n---\nA claim.[1] Another.[2]\n\n[1] @s02299\n\n[2] @s02299 ; @s00001\n",
        encoding="utf-8")
    (root / "briefgen.yaml").write_text("title: Long\nignore: [registry.unused]\n", encoding="utf-8")
    build(root)
    return root / "site"


@pytest.fixture(scope="module")
def long_url(long_site: Path) -> Iterator[str]:
    with serve_directory(long_site) as url:
        yield url


def test_the_index_is_cut_into_pages_linked_to_each_other(page, long_url):
    page.goto(long_url + "sources/")
    rows = page.locator("table.sources tbody tr")
    assert rows.count() == ROWS_PER_PAGE
    assert page.locator("table.sources tbody tr a[data-source]").first.inner_text() == "Report number 00000"
    page.locator("nav.pages a[rel=next]").first.click()
    assert page.url == long_url + "sources/page/2/"
    assert rows.count() == ROWS_PER_PAGE
    page.locator("nav.pages a", has_text="3").first.click()
    assert page.url == long_url + "sources/page/3/"
    assert rows.count() == SOURCES - 2 * ROWS_PER_PAGE
    assert page.locator("nav.pages a[rel=next]").count() == 0
    first = page.locator("table.sources tbody tr a[data-source]").first
    assert first.inner_text() == f"Report number {2 * ROWS_PER_PAGE:05d}"
    first.click()       # links from a later page reach the source's own page
    assert page.url == long_url + f"sources/s{2 * ROWS_PER_PAGE:05d}/"


def test_filters_search_every_page_of_the_index(page, long_url):
    page.goto(long_url + "sources/page/2/")
    page.select_option("#filter-kind", "document")      # the one document is on page 3
    visible = page.locator("table.sources tbody tr")
    # the page's own 1,000 rows stay until sources.js has fetched index.json and filtered it
    page.wait_for_function("document.querySelector('#source-count').textContent.startsWith('1 of')")
    assert visible.count() == 1
    assert visible.locator("a[data-source]").inner_text() == f"Report number {SOURCES - 1:05d}"
    assert page.inner_text("#source-count") == f"1 of {SOURCES} sources shown"
    assert page.locator("nav.pages").first.is_hidden()
    visible.locator("a[data-source]").click()            # rows made from the JSON link like the page's own
    assert page.url == long_url + f"sources/s{SOURCES - 1:05d}/"

    page.goto(long_url + "sources/")
    page.select_option("#filter-publisher", "gamma-post")
    gamma = len([n for n in range(SOURCES) if n % 7 == 0])
    page.wait_for_function(f"document.querySelector('#source-count').textContent.includes('{gamma} of')")
    assert page.inner_text("#source-count") == f"{gamma} of {SOURCES} sources shown"
    assert visible.count() == gamma
    page.fill("#filter-text", "02296")
    page.wait_for_function("document.querySelectorAll('table.sources tbody tr').length === 1")
    page.fill("#filter-text", "")
    page.select_option("#filter-publisher", "")
    page.wait_for_function(f"document.querySelectorAll('table.sources tbody tr').length === {ROWS_PER_PAGE}")
    assert page.locator("nav.pages").first.is_visible()   # no filter: this page of the index again


def test_sorting_orders_every_source_of_the_index(page, long_url):
    page.goto(long_url + "sources/")
    page.click("th[data-key=title] button")
    page.click("th[data-key=title] button")               # descending
    assert page.get_attribute("th[data-key=title]", "aria-sort") == "descending"
    page.wait_for_function(f"document.querySelector('table.sources tbody a').textContent.endsWith('{SOURCES - 1:05d}')")
    titles = page.locator("table.sources tbody tr a[data-source]").all_inner_texts()
    assert len(titles) == ROWS_PER_PAGE
    assert titles == [f"Report number {n:05d}" for n in range(SOURCES - 1, SOURCES - 1 - ROWS_PER_PAGE, -1)]
    assert "first 1000 of 2300 matching sources" in page.inner_text("#source-count")
    page.click("th[data-key=count] button")
    page.click("th[data-key=count] button")
    page.wait_for_function("document.querySelector('table.sources tbody td.count').textContent === '2'")
    assert page.locator("table.sources tbody td.count").first.inner_text() == "2"   # s02299: cited twice


def test_publisher_pages_are_cut_the_same_way(page, long_url):
    alpha = len([n for n in range(1500) if n % 7])
    page.goto(long_url + "publishers/alpha-daily/")
    assert page.locator("ul.publisher-sources li").count() == ROWS_PER_PAGE
    assert f"{alpha} sources from this publisher (this page: 1–{ROWS_PER_PAGE})" in page.inner_text("main")
    page.locator("nav.pages a[rel=next]").first.click()
    assert page.url == long_url + "publishers/alpha-daily/page/2/"
    assert page.locator("ul.publisher-sources li").count() == alpha - ROWS_PER_PAGE
    assert page.title().startswith(f"Alpha Daily ({ROWS_PER_PAGE + 1}–{alpha})")


def test_without_scripts_every_page_still_reads_and_links(browser, long_url):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(long_url + "sources/page/3/")
        assert page.locator("table.sources tbody tr").count() == SOURCES - 2 * ROWS_PER_PAGE
        hrefs = page.locator("nav.pages").first.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
        assert hrefs == ["../../../sources/page/2/", "../../../sources/", "../../../sources/page/2/"]
    finally:
        context.close()


LATER_PAGES = ("sources/page/2/index.html", "publishers/alpha-daily/page/2/index.html")


def test_later_pages_pass_the_nu_html_checker(long_site):
    assert vnu_errors([long_site / path for path in LATER_PAGES]) == []


def test_later_pages_have_no_axe_violations(page, long_url):
    found = {}
    for path in LATER_PAGES:
        page.goto(long_url + path.removesuffix("index.html"))
        found[path] = axe_violations(page)
    page.goto(long_url + "sources/page/2/")
    page.select_option("#filter-kind", "news")            # rows made from the JSON
    page.wait_for_function("document.querySelector('#source-count').textContent.includes('matching')")
    found["filtered"] = axe_violations(page)
    assert found == {path: [] for path in (*LATER_PAGES, "filtered")}


def test_filters_cleared_while_every_source_loads_leave_the_page_as_it_is(page, long_url):
    held = []
    page.route("**/sources/index.json", lambda route: held.append(route))
    page.goto(long_url + "sources/page/2/")
    page.select_option("#filter-kind", "document")       # asks for the JSON, held back
    page.wait_for_function("document.querySelector('#source-count').textContent.startsWith('Loading')")
    page.select_option("#filter-kind", "")                # cleared before it comes
    assert len(held) == 1
    held[0].continue_()
    page.wait_for_function("document.querySelector('#source-count').textContent === ''")
    page.wait_for_timeout(300)                            # the JSON has come and been read
    assert page.locator("table.sources tbody tr").count() == ROWS_PER_PAGE
    assert page.locator("table.sources tbody tr a[data-source]").first.inner_text() == f"Report number {ROWS_PER_PAGE:05d}"
    assert page.locator("nav.pages").first.is_visible()
