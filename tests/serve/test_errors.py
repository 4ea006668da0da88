"""Errors never take the preview away: the last good site stays, with an overlay."""

from __future__ import annotations

from pathlib import Path

from briefgen.diagnostics import Diagnostic, Location
from briefgen.serve import State, decorate, overlay
from tests.serve.support import ServeProcess, clean_digest

BRIEF = "briefs/2024-05-24-negotiations.md"
PAGE = "/briefs/2024-05-24-negotiations/"
GOOD = "https://www.reuters.com/world/europe/putin-wants"   # first in note [1], line 31
BROKEN = "@no-such-source https://www.reuters.com/world/europe/putin-wants"


def test_overlay_escapes_every_field() -> None:
    hostile = Diagnostic("citation.unknown-key", "error", Location("briefs/<b>.md", 3, 7),
                         "no entry <script>alert(1)</script>", "add `x` & <i>y</i>")
    text = overlay((hostile,))
    assert "<script>alert" not in text and "<i>" not in text and "<b>.md" not in text
    assert "briefs/&lt;b&gt;.md:3:7" in text
    assert "no entry &lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "hint: add `x` &amp; &lt;i&gt;y&lt;/i&gt;" in text


def test_decorate_puts_the_script_before_the_last_body_end() -> None:
    page = b"<html><body><p>a</p><pre></body></pre></body></html>"
    served = decorate(page, State(outputs={}, generation=7)).decode()
    assert served == ('<html><body><p>a</p><pre></body></pre>'
                      '<script src="/__briefgen/livereload.js" data-generation="7"></script></body></html>')


def test_twenty_cycles_good_broken_good(example_site: Path) -> None:
    path = example_site / BRIEF
    good = path.read_text(encoding="utf-8")
    assert GOOD in good
    server = ServeProcess(example_site)
    try:
        for cycle in range(20):
            before = server.status()["rebuilds"]
            path.write_bytes((good.replace(GOOD, BROKEN, 1)).encode("utf-8"))
            status = server.wait_status(lambda s: s["rebuilds"] > before)
            assert status["ok"] is False
            [problem] = status["errors"]
            assert (problem["code"], problem["file"], problem["line"]) == ("citation.unknown-key", BRIEF, 31)
            code, body = server.get(PAGE)
            assert code == 200
            assert 'id="briefgen-overlay"' in body
            assert f"{BRIEF}:31:5" in body and "no-such-source" in body
            assert "Why Putin Remains Uninterested in Meaningful Negotiations" in body  # the last good page
            fixed = good.replace("Meaningful Negotiations", f"Meaningful Negotiations {cycle}", 1)
            path.write_bytes(fixed.encode("utf-8"))
            body = server.wait_page(PAGE, f"Meaningful Negotiations {cycle}")
            assert 'id="briefgen-overlay"' not in body
            assert server.proc.poll() is None
        path.write_bytes(good.encode("utf-8"))
        assert server.wait_status(lambda s: s["ok"] and s["rebuilds"] >= 42)["rebuilds"] == 42
        assert server.status(digest=True)["digest"] == clean_digest(example_site)
        assert sum("build failed" in line for line in server.log) + sum(
            "build failed" in line for line in _drain(server)) == 20
    finally:
        assert server.stop() == 0


def test_first_build_broken_then_fixed(example_site: Path) -> None:
    path = example_site / BRIEF
    good = path.read_text(encoding="utf-8")
    path.write_bytes((good.replace(GOOD, BROKEN, 1)).encode("utf-8"))
    server = ServeProcess(example_site)
    try:
        code, body = server.get("/")
        assert code == 503 and 'id="briefgen-overlay"' in body and "livereload.js" in body
        path.write_bytes(good.encode("utf-8"))
        body = server.wait_page("/", "Why Putin Remains Uninterested")
        assert 'id="briefgen-overlay"' not in body
    finally:
        assert server.stop() == 0


def _drain(server: ServeProcess) -> list[str]:
    lines = []
    while not server.lines.empty():
        lines.append(server.lines.get())
    return lines
