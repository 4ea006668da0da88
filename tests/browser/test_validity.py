"""Every page type is valid HTML (vnu: 0 errors) and accessible (axe-core: 0 WCAG 2 A/AA violations)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.checks import EXAMPLE_PAGES, axe_violations, vnu_errors


def corpus_pages(site: Path) -> list[tuple[str, str]]:
    """A sample of the big site: one of each page type (the first brief, source and publisher)."""
    first = lambda folder: next(p for p in sorted((site / folder).iterdir()) if p.is_dir())  # noqa: E731
    return [
        ("index", "index.html"),
        ("brief", f"briefs/{first('briefs').name}/index.html"),
        ("sources", "sources/index.html"),
        ("source", f"sources/{first('sources').name}/index.html"),
        ("publisher", f"publishers/{first('publishers').name}/index.html"),
        ("search", "search/index.html"),
    ]


def test_example_pages_pass_the_nu_html_checker(example_built):
    assert vnu_errors([example_built / path for _, path in EXAMPLE_PAGES]) == []


@pytest.mark.parametrize("name,path", EXAMPLE_PAGES, ids=[n for n, _ in EXAMPLE_PAGES])
def test_example_pages_have_no_axe_violations(page, example_url, name, path):
    page.goto(example_url + path)
    if name == "search":
        page.fill(".pagefind-ui__search-input", "ceasefire")
        page.wait_for_selector(".pagefind-ui__result")
    assert axe_violations(page) == []


def test_example_pages_in_dark_mode_have_no_axe_violations(browser, example_url):
    context = browser.new_context(color_scheme="dark")
    try:
        page = context.new_page()
        for name, path in EXAMPLE_PAGES[:4]:
            page.goto(example_url + path)
            assert axe_violations(page) == [], name
    finally:
        context.close()


def test_corpus_pages_pass_the_nu_html_checker(corpus_built):
    assert vnu_errors([corpus_built / path for _, path in corpus_pages(corpus_built)]) == []


def test_corpus_pages_have_no_axe_violations(page, corpus_built, corpus_url):
    found = {}
    for name, path in corpus_pages(corpus_built):
        page.goto(corpus_url + path)
        found[name] = axe_violations(page)
    assert found == {name: [] for name, _ in corpus_pages(corpus_built)}
