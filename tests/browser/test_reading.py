"""A reader in chromium: note previews, back-links, search, dark mode, a phone, screenshots."""

from __future__ import annotations

import pytest

from tests.browser.checks import EXAMPLE_PAGES

BRIEF = "briefs/2024-05-24-negotiations/"
REUTERS_TITLE = "Putin wants Ukraine ceasefire on current frontlines, sources say"


def open_brief(page, example_url):
    page.goto(example_url + BRIEF)
    page.wait_for_load_state("load")
    return page


def test_hovering_a_reference_shows_its_note_sources_in_a_card(page, example_url):
    open_brief(page, example_url)
    before = page.evaluate("window.scrollY")
    page.hover("#ref-1-1")
    card = page.locator("#note-preview")
    card.wait_for(state="visible")
    assert card.get_attribute("role") == "tooltip"
    assert page.get_attribute("#ref-1-1", "aria-describedby") == "note-preview"
    text = card.inner_text()
    assert text.startswith("Note 1")
    assert "Reuters" in text and REUTERS_TITLE in text and "May 24, 2024" in text
    assert page.evaluate("window.scrollY") == before and page.url.endswith(BRIEF)


def test_the_card_can_be_hovered_and_stays(page, example_url):
    open_brief(page, example_url)
    page.hover("#ref-2-1")
    card = page.locator("#note-preview")
    card.wait_for(state="visible")
    card.hover()
    page.wait_for_timeout(600)
    assert card.is_visible()
    assert "The New York Times" in card.inner_text()
    page.mouse.move(0, 0)
    card.wait_for(state="hidden")


def test_focusing_a_reference_shows_the_card_and_escape_closes_it(page, example_url):
    open_brief(page, example_url)
    page.focus("#ref-12-1")
    card = page.locator("#note-preview")
    card.wait_for(state="visible")
    assert card.inner_text().startswith("Note 12")
    assert "Bloomberg" in card.inner_text()
    page.keyboard.press("Escape")
    card.wait_for(state="hidden")
    assert page.evaluate("document.activeElement.id") == "ref-12-1"
    assert page.get_attribute("#ref-12-1", "aria-describedby") is None


def test_without_javascript_a_reference_jumps_to_its_highlighted_note(browser, example_url):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(example_url + BRIEF)
        page.click("#ref-5-1")
        assert page.url.endswith("#note-5")
        target = page.evaluate("getComputedStyle(document.querySelector('#note-5')).backgroundColor")
        plain = page.evaluate("getComputedStyle(document.querySelector('#note-6')).backgroundColor")
        assert target == "rgb(255, 243, 196)" and plain == "rgba(0, 0, 0, 0)"
        assert page.locator("#note-preview").count() == 0
    finally:
        context.close()


def test_back_link_returns_to_the_exact_reference(page, example_url):
    open_brief(page, example_url)
    page.click("#ref-17-1")
    assert page.url.endswith("#note-17")
    page.keyboard.press("Escape")
    page.click('#note-17 a.backlink[href="#ref-17-1"]')
    assert page.url.endswith("#ref-17-1")
    box = page.locator("#ref-17-1").bounding_box()
    assert 0 <= box["y"] <= page.viewport_size["height"]
    assert page.evaluate("document.querySelector(':target').id") == "ref-17-1"


def test_search_finds_the_example_brief(page, example_url):
    page.goto(example_url + "search/")
    page.fill(".pagefind-ui__search-input", "Budapest")
    result = page.locator(".pagefind-ui__result-link").first
    result.wait_for()
    assert result.inner_text() == "Why Putin Remains Uninterested in Meaningful Negotiations with Ukraine"
    assert result.get_attribute("href").endswith("/briefs/2024-05-24-negotiations/")
    filters = page.locator(".pagefind-ui__filter-name").all_inner_texts()
    assert sorted(f.strip().lower() for f in filters) == ["author", "publisher", "series", "tag"]


def test_search_links_open_the_brief(page, example_url):
    page.goto(example_url + "search/?q=reflexive")
    result = page.locator(".pagefind-ui__result-link").first
    result.wait_for()
    result.click()
    page.wait_for_url("**/briefs/2024-05-24-negotiations/**")
    assert page.title().startswith("Why Putin Remains")


def test_dark_mode_uses_light_text_on_a_dark_background(browser, example_url):
    context = browser.new_context(color_scheme="dark")
    try:
        page = context.new_page()
        page.goto(example_url + BRIEF)
        style = page.evaluate("(() => { const s = getComputedStyle(document.body);"
                              " return [s.backgroundColor, s.color]; })()")
        assert style == ["rgb(21, 22, 26)", "rgb(232, 230, 225)"]
    finally:
        context.close()


def test_light_mode_uses_dark_text_on_a_light_background(page, example_url):
    page.goto(example_url + BRIEF)
    style = page.evaluate("[getComputedStyle(document.body).backgroundColor, getComputedStyle(document.body).color]")
    assert style == ["rgb(253, 252, 250)", "rgb(29, 29, 31)"]


@pytest.mark.parametrize("name,path", EXAMPLE_PAGES, ids=[n for n, _ in EXAMPLE_PAGES])
def test_a_phone_never_scrolls_sideways(browser, example_url, name, path):
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2,
                                  is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        page.goto(example_url + path)
        widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert widths[0] <= widths[1], f"{name}: content {widths[0]}px wide in a {widths[1]}px viewport"
    finally:
        context.close()


def test_sources_index_filters_and_sorts_in_the_page(page, example_url):
    page.goto(example_url + "sources/")
    rows = page.locator("table.sources tbody tr")
    total = rows.count()
    page.select_option("#filter-publisher", "reuters")
    visible = page.locator("table.sources tbody tr:not([hidden])")
    assert visible.count() == 2
    assert page.inner_text("#source-count") == f"2 of {total} sources shown"
    page.select_option("#filter-publisher", "")
    page.select_option("#filter-kind", "news")
    assert visible.count() == 4
    page.select_option("#filter-kind", "")
    page.click("th[data-key=count] button")
    page.click("th[data-key=count] button")
    assert page.get_attribute("th[data-key=count]", "aria-sort") == "descending"
    counts = [int(c) for c in page.locator("table.sources tbody td.count").all_inner_texts()]
    assert counts == sorted(counts, reverse=True) and counts[0] == 7


SHOTS = [(name, path, scheme, width) for name, path in EXAMPLE_PAGES
         for scheme, width in (("light", 1280), ("dark", 1280), ("phone", 360))]


def test_screenshots_of_every_page_type(browser, example_url, screenshots):
    saved = []
    for name, path, kind, width in SHOTS:
        context = browser.new_context(viewport={"width": width, "height": 900},
                                      color_scheme="dark" if kind == "dark" else "light")
        try:
            page = context.new_page()
            page.goto(example_url + path)
            if name == "search":
                page.fill(".pagefind-ui__search-input", "ceasefire")
                page.locator(".pagefind-ui__result").first.wait_for()
            if name == "brief" and kind == "light":
                page.hover("#ref-2-1")
                page.locator("#note-preview").wait_for(state="visible")
            file = screenshots / f"example-{name}-{kind}.png"
            page.screenshot(path=str(file), full_page=name not in ("brief", "sources", "source"))
            saved.append(file)
        finally:
            context.close()
    page_print = browser.new_page()
    page_print.goto(example_url + BRIEF)
    page_print.emulate_media(media="print")
    page_print.screenshot(path=str(screenshots / "example-brief-print.png"))
    page_print.close()
    assert all(f.stat().st_size > 5000 for f in saved) and len(saved) == len(SHOTS)


def test_search_filters_narrow_by_publisher(page, example_url):
    page.goto(example_url + "search/")
    page.fill(".pagefind-ui__search-input", "ceasefire")
    page.locator(".pagefind-ui__result").first.wait_for()
    block = page.locator(".pagefind-ui__filter-block", has_text="Publisher")
    block.locator("summary").click()
    labels = [t.strip() for t in block.locator("label").all_inner_texts()]
    assert sorted(label.split("(")[0].strip() for label in labels) == [
        "Bloomberg", "Institute for the Study of War", "Reuters", "The New York Times", "United Nations Treaty Series"]
    block.locator("label", has_text="Bloomberg").click()
    page.wait_for_timeout(300)
    assert page.locator(".pagefind-ui__result").count() == 1



def test_print_hides_navigation_and_prints_source_urls(page, example_url):
    open_brief(page, example_url)
    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden() and page.locator(".site-footer").is_hidden()
    after = page.evaluate("getComputedStyle(document.querySelector('#note-1 a.source-link'), '::after').content")
    assert after == '" <https://www.reuters.com/world/europe/putin-wants-ukraine-ceasefire-current-frontlines-sources-say-2024-05-24/>"'
    assert page.evaluate("getComputedStyle(document.querySelector('.notes')).breakBefore") == "page"
