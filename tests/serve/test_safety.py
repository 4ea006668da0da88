"""Only the site, only to this machine: traversal, encoded separators, NUL, foreign Host."""

from __future__ import annotations

import threading
import time
import urllib.request
from pathlib import Path

import pytest

from briefgen.serve import Serve, host_allowed, lookup, site_path


@pytest.mark.parametrize("raw,expected", [
    ("/", ""), ("/briefs/x/", "briefs/x/"), ("/assets/style.css?v=1", "assets/style.css"),
    ("/sources/a%20b/", "sources/a b/"), ("/feed.xml#top", "feed.xml"),
])
def test_site_paths(raw: str, expected: str) -> None:
    assert site_path(raw) == expected


@pytest.mark.parametrize("raw", [
    "/../etc/passwd", "/briefs/../../etc/passwd", "/%2e%2e/etc/passwd", "/%2E%2E/%2e%2e/etc/passwd",
    "/briefs%2f..%2f..%2fetc", "/briefs%5c..%5cetc", "/..%5c..%5cetc", "//etc/passwd", "/etc//passwd",
    "/briefs\\..\\x", "/a%00b", "/./index.html", "etc/passwd", "/%ff%fe", "http://evil.example/../x",
])
def test_paths_outside_the_site_are_refused(raw: str) -> None:
    assert site_path(raw) is None


def test_lookup_never_lists_a_folder() -> None:
    outputs = {"index.html": b"", "briefs/a/index.html": b"", "assets/style.css": b""}
    assert lookup(outputs, "") == ("file", "index.html")
    assert lookup(outputs, "briefs/a") == ("redirect", "briefs/a/")
    assert lookup(outputs, "briefs/") == ("missing", None)
    assert lookup(outputs, "assets") == ("missing", None)
    assert lookup(outputs, "assets/style.css") == ("file", "assets/style.css")


@pytest.mark.parametrize("host,allowed", [
    ("127.0.0.1:8000", True), ("localhost:8000", True), ("[::1]:8000", True), ("LOCALHOST:8000", True),
    ("evil.example:8000", False), ("127.0.0.1:9000", False), ("127.0.0.1", False), ("", False), (None, False),
    ("127.0.0.1.evil.example:8000", False),
])
def test_hosts(host: str | None, allowed: bool) -> None:
    assert host_allowed(host, "127.0.0.1", 8000) is allowed


def test_served_requests(example_site: Path) -> None:
    from tests.serve.support import ServeProcess

    server = ServeProcess(example_site)
    try:
        for raw in ("/../briefgen.yaml", "/%2e%2e/briefgen.yaml", "/briefs%2f..%2f..%2fbriefgen.yaml",
                    "/..%5cbriefgen.yaml", "/briefs\\..\\briefgen.yaml", "/a%00b", "//etc/passwd",
                    "/briefs/", "/sources/does-not-exist/", "/__briefgen/nothing"):
            code, body = server.get(raw)
            assert code == 404, raw
            assert "Research Briefings" in body    # the site's own 404 page
        assert server.get("/", host="evil.example")[0] == 400
        assert server.get("/", host=f"rebind.example:{server.port}")[0] == 400
        assert server.get("/", host=f"localhost:{server.port}")[0] == 200
        assert server.get("/briefs/2024-05-24-negotiations")[0] == 301
    finally:
        assert server.stop() == 0


def test_stop_joins_every_thread(example_site: Path) -> None:
    before = set(threading.enumerate())
    serve = Serve(example_site, port=0, log=lambda line: None).start()
    events = urllib.request.urlopen(serve.url + "__briefgen/events", timeout=10)
    assert events.readline() == b"event: generation\n"
    assert events.readline() == b"data: 1\n"
    brief = example_site / "briefs" / "2024-05-24-negotiations.md"
    brief.write_text(brief.read_text(encoding="utf-8").replace("Why Putin", "Why, then, Putin", 1), encoding="utf-8")
    lines = [events.readline() for _ in range(3)]
    assert lines == [b"\n", b"event: generation\n", b"data: 2\n"]
    assert len(set(threading.enumerate()) - before) >= 3    # http, watcher, observer, the event stream
    serve.stop()
    events.close()
    deadline = time.monotonic() + 10
    while set(threading.enumerate()) - before and time.monotonic() < deadline:
        time.sleep(0.01)   # a thread that is finishing its last line
    assert set(threading.enumerate()) - before == set()
