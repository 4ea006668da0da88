"""No injection: payloads in every field give pages with no script but the theme's, no
event handler, no URL outside http/https/mailto/relative, and ids that cannot clobber
the page's own elements."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from briefgen.build import build
from briefgen.markdown.setup import markdown_parser
from briefgen.read import THEME_DIR
from briefgen.render import make_environment
from briefgen.model import InputFile
from tests.hostile.payloads import MARKDOWN_IT_XSS, PAYLOADS
from tests.hostile.poisoned import audit, url_is_safe, write_poisoned_site

REPO = Path(__file__).resolve().parents[2]
GENERATED_ID = re.compile(r"(?:note|ref)-[a-z0-9-]+")
# Every `|safe` in the theme: HTML that briefgen itself rendered from Markdown (raw HTML off,
# links checked by the scheme check) and nothing else.
# Markup made by briefgen itself: markdown-it's output for the body and note text, and the
# citation style's output (pybtex's HTML backend escapes every field it formats).
SAFE_ALLOWLIST = {("brief.html", "brief.body_html"), ("brief.html", "item.html"),
                  ("brief.html", "item.label_html"), ("brief.html", "v.label_html")}


@pytest.fixture(scope="module")
def poisoned(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_poisoned_site(tmp_path_factory.mktemp("poisoned") / "site-root")
    report = build(root)
    assert report.briefs == len(PAYLOADS)
    return root / "site"


@pytest.fixture(scope="module")
def theme_baseline(tmp_path_factory: pytest.TempPathFactory) -> tuple[set, set]:
    """Scripts, fixed ids and forms of the theme, from a build of the example site."""
    root = tmp_path_factory.mktemp("clean")
    for name in ("briefs", "citations", "briefgen.yaml"):
        source = REPO / name
        target = root / name
        if source.is_dir():
            import shutil
            shutil.copytree(source, target)
        else:
            target.write_bytes(source.read_bytes())
    build(root)
    scripts, ids, active = set(), set(), set()
    for page in (root / "site").rglob("*.html"):
        found = audit(page)
        scripts.update(found.scripts)
        active.update(found.active)
        ids.update(i for i in found.ids if not GENERATED_ID.fullmatch(i))
    return scripts, ids, active


def test_at_least_sixty_payloads_including_markdown_its_own():
    assert len(PAYLOADS) >= 60
    assert len(set(PAYLOADS)) == len(PAYLOADS)
    assert len(MARKDOWN_IT_XSS) == 20


def test_pages_hold_no_script_handler_or_unsafe_url(poisoned: Path, theme_baseline):
    theme_scripts, _, theme_active = theme_baseline
    pages = sorted(poisoned.rglob("*.html"))
    assert len(pages) > 2 * len(PAYLOADS)  # briefs, sources, publishers, tags...
    for page in pages:
        found = audit(page)
        assert found.problems == [], page
        assert set(found.scripts) <= theme_scripts, page
        assert set(found.active) <= theme_active, page  # the theme's own search form and the like
        for block in found.data_blocks:  # JSON-LD: data a payload could not break out of
            assert isinstance(json.loads(block), dict), page
            assert "<" not in block, page


def test_generated_ids_are_prefixed(poisoned: Path, theme_baseline):
    _, theme_ids, _ = theme_baseline
    for page in sorted(poisoned.rglob("*.html")):
        for value in audit(page).ids:
            assert value in theme_ids or GENERATED_ID.fullmatch(value), (page, value)
    brief = (poisoned / "briefs" / "xss-001" / "index.html").read_text()
    assert 'id="note-1"' in brief and 'id="ref-1-1"' in brief
    assert 'id="note-fn-a-onclick-alert-1"' in brief  # a footnote label made safe


def test_payloads_are_shown_as_text(poisoned: Path):
    template = PAYLOADS.index("{{ 7*7 }}{% for x in range(3) %}{{ x }}{% endfor %}")
    page = (poisoned / "briefs" / f"xss-{template:03d}" / "index.html").read_text()
    assert "{{ 7*7 }}{% for x in range(3) %}{{ x }}{% endfor %}" in page
    assert "49" not in page
    script = PAYLOADS.index("<script>alert(1)</script>")
    page = (poisoned / "briefs" / f"xss-{script:03d}" / "index.html").read_text()
    assert "<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>" in page
    assert "<p>Body: &lt;script&gt;alert(1)&lt;/script&gt;." in page


def test_feed_and_sitemap_are_well_formed_and_script_free(poisoned: Path):
    for name in ("feed.xml", "sitemap.xml"):
        tree = ET.parse(poisoned / name)
        tags = {element.tag.rsplit("}", 1)[-1] for element in tree.iter()}
        assert "script" not in tags
        for element in tree.iter():
            for key, value in element.attrib.items():
                assert not key.startswith("on")
                if key == "href":
                    assert url_is_safe(value), value


def test_raw_html_is_off_and_unsafe_links_stay_text():
    md = markdown_parser()
    assert md.options["html"] is False
    assert md.render("<script>alert(1)</script>") == "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"
    assert md.renderInline("[x](javascript:alert(1))") == "[x](javascript:alert(1))"
    assert md.renderInline("![x](data:image/png;base64,AA)") == "![x](data:image/png;base64,AA)"
    assert md.renderInline("[x](https://example.org/a)") == '<a href="https://example.org/a">x</a>'
    assert md.renderInline("[x](../b/)") == '<a href="../b/">x</a>'


@pytest.mark.parametrize("url, safe", [
    ("https://example.org/", True), ("http://x", True), ("mailto:a@b.org", True), ("../a/", True),
    ("#note-1", True), ("/javascript:link", True), ("javascript:alert(1)", False),
    ("JaVaScRiPt:alert(1)", False), ("java\tscript:x", False), ("&#106;avascript:x", False),
    ("\x01javascript:x", False), ("data:text/html,x", False), ("vbscript:x", False), ("file:///etc", False),
])
def test_the_scheme_check(url: str, safe: bool):
    from briefgen.text import is_safe_url
    assert is_safe_url(url) is safe
    assert url_is_safe(url) is safe


def test_autoescape_is_on_and_every_safe_filter_is_allowed():
    templates = tuple(InputFile(p.name, p.read_text()) for p in sorted((THEME_DIR / "templates").iterdir()))
    env = make_environment(templates)
    for name in ("brief.html", "index.html", "source.html", "feed.xml", "sitemap.xml"):
        assert env.autoescape(name) is True, name
    used = {(t.path, match.strip()) for t in templates
            for match in re.findall(r"\{\{\s*([^{}|]+?)\s*\|\s*safe\s*\}\}", t.text)}
    assert used <= SAFE_ALLOWLIST
    assert sum(len(re.findall(r"\|\s*safe\b", t.text)) for t in templates) == len(used)


def test_the_page_audit_sees_what_it_looks_for(tmp_path: Path):
    page = tmp_path / "bad.html"
    page.write_text('<a href="jav&#x09;ascript:x" onclick="go()">x</a><script>alert(1)</script>'
                    '<iframe src="https://x"></iframe><img src="data:image/png,AA"><p id="main">')
    found = audit(page)
    assert found.problems == [
        "<a href='jav\\tascript:x'> unsafe URL", "<a onclick=...> event handler",
        "<img src='data:image/png,AA'> unsafe URL",
    ]
    assert found.active == [("iframe", (("src", "https://x"),))]
    assert found.scripts == [("", "alert(1)")]
    assert found.ids == ["main"]
