"""Every poisoned page loaded in chromium: no dialog (alert, confirm, prompt) ever opens."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.build import build
from tests.hostile.payloads import PAYLOADS
from tests.hostile.poisoned import write_poisoned_site
from tests.support.browser import chromium_missing_reason, launch_browser, serve_directory


@pytest.fixture(scope="module")
def poisoned_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_poisoned_site(tmp_path_factory.mktemp("poisoned-browser") / "site-root")
    build(root)
    return root / "site"


def carries_a_field(path: str) -> bool:
    """Pages showing a poisoned field: briefs, publishers, indexes and registry sources (the
    other source pages show sources inferred from note URLs, already shown on brief pages)."""
    return not path.startswith("sources/") or path.startswith(("sources/xss-", "sources/index.html"))


@pytest.mark.slow
def test_no_dialog_opens_on_any_poisoned_page(poisoned_site: Path):
    reason = chromium_missing_reason()
    if reason:
        pytest.skip(reason)
    pages = [path for path in sorted(p.relative_to(poisoned_site).as_posix() for p in poisoned_site.rglob("*.html"))
             if carries_a_field(path)]
    dialogs: list[str] = []
    with launch_browser() as browser, serve_directory(poisoned_site) as base:
        context = browser.new_context(java_script_enabled=True)
        page = context.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(f"{page.url}: {dialog.message}"), dialog.dismiss()))
        for path in pages:
            page.goto(base + path, wait_until="load")
        visited = len(pages)
        page.set_content("<script>alert('control')</script>")  # the watch itself works
        context.close()
    assert visited > 2 * len(PAYLOADS)  # every brief and registry source page at least
    assert dialogs == [dialogs[-1]] and dialogs[-1].endswith(": control")
