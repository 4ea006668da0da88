"""A real browser (Debian's chromium) reloads itself after an edit, keeping its scroll position."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.serve.support import ServeProcess
from tests.support.browser import chromium_missing_reason, launch_browser

BRIEF = "briefs/2024-05-24-negotiations.md"


def test_page_reloads_after_an_edit_and_keeps_its_scroll(example_site: Path) -> None:
    reason = chromium_missing_reason()
    if reason:
        pytest.skip(reason)
    # its own thread: a session-wide Playwright of other tests may hold this thread's event loop
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(_reload_scenario, example_site).result(timeout=180)


def _reload_scenario(example_site: Path) -> None:
    server = ServeProcess(example_site)
    try:
        with launch_browser() as browser:
            context = browser.new_context(viewport={"width": 1000, "height": 600})
            page = context.new_page()
            page.goto(server.url + "briefs/2024-05-24-negotiations/")
            page.wait_for_function("() => document.body.scrollHeight > 3000")
            # manual: only the live-reload script (sessionStorage) may bring the position back
            page.evaluate("() => { history.scrollRestoration = 'manual'; window.scrollTo(0, 1500);"
                          " window.beforeEdit = true; }")
            page.wait_for_function("() => window.scrollY === 1500")
            generation = server.status()["generation"]
            path = example_site / BRIEF
            # text added to the last note: the page above the viewport keeps its layout
            path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + " Checked again on reload.\n",
                            encoding="utf-8")
            page.wait_for_function("() => window.beforeEdit === undefined"
                                   " && document.body.textContent.includes('Checked again on reload.')",
                                   timeout=20000)
            page.wait_for_function("() => Math.abs(window.scrollY - 1500) <= 2", timeout=10000)
            assert page.locator("script[data-generation]").get_attribute("data-generation") == str(generation + 1)
            assert page.locator("#briefgen-overlay").count() == 0
            context.close()
    finally:
        assert server.stop() == 0
