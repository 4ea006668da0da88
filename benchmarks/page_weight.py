"""Bytes a reader's browser transfers for a brief page, first view, without search.

    python3 benchmarks/page_weight.py [SITE_DIR] [BRIEF_PATH]

Builds the example site when SITE_DIR is not given, serves it on 127.0.0.1, opens
the brief in Debian's chromium with an empty cache and counts every response's bytes
(Playwright's network events). Prints the brief's own HTML, everything else it pulls
in, and the budget (100 KB beyond the HTML).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.support.browser import launch_browser, serve_directory  # noqa: E402

BUDGET = 100 * 1024


def measure(site: Path, brief: str) -> dict[str, int]:
    """URL path -> bytes transferred (headers and body) for the first view of ``brief``."""
    sizes: dict[str, int] = {}
    with serve_directory(site) as base, launch_browser() as browser:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()

        def record(request) -> None:
            transfer = request.sizes()
            sizes[request.url.removeprefix(base)] = transfer["responseBodySize"] + transfer["responseHeadersSize"]

        page.on("requestfinished", record)
        page.goto(base + brief, wait_until="networkidle")
        context.close()
    return sizes


def main(argv: list[str]) -> int:
    brief = argv[2] if len(argv) > 2 else "briefs/2024-05-24-negotiations/"
    if len(argv) > 1:
        return report(measure(Path(argv[1]), brief), brief)
    from tests.golden.regenerate import build_example

    with tempfile.TemporaryDirectory() as tmp:
        build_example(Path(tmp) / "site")
        return report(measure(Path(tmp) / "site", brief), brief)


def report(sizes: dict[str, int], brief: str) -> int:
    html = sizes.get(brief, 0)
    extra = sum(size for url, size in sizes.items() if url != brief)
    for url, size in sorted(sizes.items()):
        print(f"{size:>9,d}  {url}")
    print(f"brief HTML: {html:,d} bytes")
    print(f"beyond the HTML: {extra:,d} bytes ({extra / 1024:.1f} KB; budget {BUDGET // 1024} KB: "
          f"{'within' if extra <= BUDGET else 'OVER'})")
    return 0 if extra <= BUDGET else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
