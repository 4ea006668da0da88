"""A real browser for tests: Debian's chromium driven by Playwright, and a local static server."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def chromium_missing_reason() -> str | None:
    """Why browser tests cannot run here, or None when they can."""
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is absent (bash scripts/test.sh installs Debian's chromium)"
    return None


_local = threading.local()   # per thread: the Playwright driver while some launch_browser() is open


def _running() -> list[object]:
    if not hasattr(_local, "drivers"):
        _local.drivers = []
    return _local.drivers


@contextmanager
def launch_browser() -> Iterator["object"]:
    """A Playwright sync Browser running Debian's chromium; closed on exit.

    Nested uses in one thread (a session-wide browser, and a test launching its own)
    share one Playwright driver: the sync API allows only one per thread. Another
    thread gets a driver of its own.
    """
    from playwright.sync_api import sync_playwright

    running = _running()
    if running:
        browser = running[-1].chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
        return
    with sync_playwright() as playwright:
        running.append(playwright)
        try:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                yield browser
            finally:
                browser.close()
        finally:
            running.remove(playwright)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass


@contextmanager
def serve_directory(path: Path | str) -> Iterator[str]:
    """Serve a folder over HTTP on 127.0.0.1 (a free port); yields the base URL ending in '/'."""
    handler = functools.partial(_QuietHandler, directory=str(path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="serve-directory", daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host}:{port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
