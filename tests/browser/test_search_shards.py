"""The search page merges every shard of the index: a site whose index is cut into several
shards finds everything the same site indexed whole finds, ranked first, with the same
filters. (A shard without a word of the query may also offer pages holding its parts, as
Pagefind does for a word a whole index lacks: "ceasefire" -> "cease" and "fire"; those
come after.)"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest

from briefgen import search_shards
from tests.browser.conftest import import_corpus_site
from tests.support.browser import serve_directory


@pytest.fixture(scope="module")
def sharded_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 135 assessments of ../shared/corpus, their index cut into shards of 16 to 48 briefs."""
    from briefgen.build import build
    from tests.conftest import shared_path

    root = import_corpus_site(shared_path("corpus"), tmp_path_factory.mktemp("sharded-site"))
    with mock.patch.multiple(search_shards, MIN_PAGES=16, SPREAD=16, MAX_PAGES=48):
        build(root)
    assert len(list((root / "site" / "pagefind").glob("shard-*/pagefind-entry.json"))) >= 2
    return root / "site"


@pytest.fixture(scope="module")
def sharded_url(sharded_site: Path) -> Iterator[str]:
    with serve_directory(sharded_site) as url:
        yield url


SEARCH = """async (query) => {
  const pagefind = await import(location.origin + "/pagefind/pagefind.js");
  const listed = await fetch(location.origin + "/pagefind/shards.json").then((r) => r.json());
  for (const folder of listed.shards) { await pagefind.mergeIndex(location.origin + "/pagefind/" + folder); }
  const found = await pagefind.search(query);
  const urls = [];
  for (const result of found.results) { urls.push(new URL((await result.data()).url, location.href).pathname); }
  return [urls, Object.keys(await pagefind.filters()).sort()];
}"""


def found(page, url: str, query: str) -> tuple[list[str], list[str]]:
    """The pages ``query`` finds, best first, and the names of the filters, as search.js
    sets Pagefind up (every shard listed in shards.json merged)."""
    page.goto(url + "search/")
    return page.evaluate(SEARCH, query)


@pytest.mark.parametrize("query", ["ceasefire", "Kupyansk", "Zelensky", "Budapest Memorandum"])
def test_a_sharded_index_finds_what_a_whole_one_finds_first(page, sharded_url, corpus_url, query):
    whole, whole_filters = found(page, corpus_url, query)
    sharded, sharded_filters = found(page, sharded_url, query)
    assert whole
    assert set(sharded[:len(whole)]) == set(whole)
    assert sharded_filters == whole_filters and "publisher" in whole_filters


def test_the_search_page_shows_results_from_every_shard(page, sharded_url, corpus_url):
    whole, _ = found(page, corpus_url, "Kupyansk")
    page.goto(sharded_url + "search/?q=Kupyansk")
    page.locator(".pagefind-ui__result").first.wait_for()
    message = page.locator(".pagefind-ui__message").inner_text()
    assert message == f"{len(whole)} results for Kupyansk"
    page.get_by_text("Load more results").click()
    links = page.locator(".pagefind-ui__result-link")
    links.nth(5).wait_for()
    hrefs = [link.get_attribute("href") for link in links.all()]
    assert len(hrefs) > 5 and all(href.startswith("/briefs/") for href in hrefs)
    assert set(hrefs) <= set(whole)


def test_results_of_every_shard_link_inside_a_site_served_from_a_sub_folder(page, sharded_site):
    with serve_directory(sharded_site.parent) as url:
        page.goto(url + "site/search/?q=Kupyansk")
        page.locator(".pagefind-ui__result").first.wait_for()
        page.get_by_text("Load more results").click()
        links = page.locator(".pagefind-ui__result-link")
        links.nth(5).wait_for()
        hrefs = [link.get_attribute("href") for link in links.all()]
        assert len(hrefs) > 5 and all(href.startswith("/site/briefs/") for href in hrefs)
        page.goto(url + hrefs[-1].lstrip("/"))
        assert page.locator("article.brief h1").is_visible()
