"""A site whose every brief, note and registry entry carries a script-injection payload,
and a checker of built HTML (``html.parser``) for script, handlers and unsafe URLs."""

from __future__ import annotations

import html
import json
import re
import urllib.parse
from html.parser import HTMLParser
from pathlib import Path

from tests.hostile.payloads import PAYLOADS

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "background", "cite",
                  "srcset", "xlink:href", "manifest", "codebase", "longdesc", "ping", "content"}
DANGEROUS_TAGS = {"iframe", "object", "embed", "base", "frame", "frameset", "applet", "svg", "math",
                  "form", "input", "button", "textarea", "isindex", "marquee", "video", "audio", "source"}
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_IGNORED = re.compile(r"[\x00-\x20\x7f]")


def write_poisoned_site(root: Path) -> Path:
    (root / "briefs").mkdir(parents=True)
    (root / "citations").mkdir()
    entries = []
    for index, payload in enumerate(PAYLOADS):
        (root / "briefs" / f"xss-{index:03d}.md").write_text(_brief(index, payload), encoding="utf-8")
        entries.append(f"xss-{index:03d}:\n  url: https://example.org/src/{index}\n"
                       f"  title: {json.dumps(payload)}\n  publisher: {json.dumps(payload)}\n"
                       f"  date: 2024-01-01\n")
    (root / "citations" / "xss.yaml").write_text("".join(entries), encoding="utf-8")
    (root / "briefgen.yaml").write_text(
        "title: Poisoned\nbase_url: https://briefs.example.org/\n"
        f"description: {json.dumps(PAYLOADS[20])}\nauthor: {json.dumps(PAYLOADS[22])}\n")
    return root


def _brief(index: int, payload: str) -> str:
    quoted = json.dumps(payload)
    query = urllib.parse.quote(payload, safe="")
    return "\n".join([
        "---", f"title: {quoted}", f"date: 2024-05-{index % 28 + 1:02d}", f"authors: [{quoted}, A. Analyst]",
        f"series: {quoted}", f"summary: {quoted}", f"tags: [{quoted}]", "---",
        f"Body: {payload}.[1] A link [{payload}](https://example.org/l/{index}) and a footnote.[^fn{index}]",
        "", f"## {payload}", "", f"> {payload}", "", f"- {payload}", "", f"{payload}[2] and the clobber[^a\"onclick=\"alert(1)]",
        "", f"[1] {payload} ; https://example.org/a/{index}",
        f"[2] @xss-{index:03d} ; [{payload}](https://example.org/b/{index}) ; https://example.org/c/{index}?q={query}",
        "", f"[^fn{index}]: {payload}", "", "[^a\"onclick=\"alert(1)]: https://example.org/fn", "",
    ])


def url_is_safe(value: str) -> bool:
    """http, https, mailto or relative, judged after entity decoding as a browser would."""
    text = _IGNORED.sub("", html.unescape(value))
    scheme = _SCHEME.match(text)
    return scheme is None or scheme.group(1).lower() in ("http", "https", "mailto")


class PageAudit(HTMLParser):
    """Every script, event handler, unsafe URL, dangerous tag and element id of one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[tuple[str, str]] = []      # (src, text) of scripts a browser runs
        self.data_blocks: list[str] = []              # text of <script type="application/ld+json">
        self.active: list[tuple[str, tuple]] = []     # frames, forms, plugins, svg...: (tag, attributes)
        self.problems: list[str] = []
        self.ids: list[str] = []
        self._in_script: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "script":
            self._in_script = [values.get("src", ""), values.get("type", "")]
        if tag in DANGEROUS_TAGS:
            self.active.append((tag, tuple(sorted(values.items()))))
        if tag == "meta" and "http-equiv" in values:
            self.problems.append(f"<meta http-equiv={values['http-equiv']!r}>")
        for name, value in values.items():
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...> event handler")
            if name in URL_ATTRIBUTES and name != "content" and not url_is_safe(value):
                self.problems.append(f"<{tag} {name}={value!r}> unsafe URL")
            if name == "style" and ("expression" in value or "url(" in value):
                self.problems.append(f"<{tag} style={value!r}>")
            if name in ("id", "name") and tag != "meta":
                self.ids.append(value)

    def handle_data(self, data: str) -> None:
        if self._in_script is not None:
            self._in_script.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._in_script is not None:
            src, kind, *text = self._in_script
            if kind == "application/ld+json" and not src:
                self.data_blocks.append("".join(text))
            else:
                self.scripts.append((src, "".join(text)))
            self._in_script = None


def audit(page: Path) -> PageAudit:
    parser = PageAudit()
    parser.feed(page.read_text(encoding="utf-8"))
    parser.close()
    return parser
