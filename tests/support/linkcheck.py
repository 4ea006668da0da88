"""A link checker for built sites: every internal href, src and #fragment must resolve."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"])
        if tag == "a" and values.get("name"):
            self.ids.add(values["name"])
        for attr in ("href", "src"):
            if values.get(attr) is not None and tag in ("a", "link", "script", "img", "area"):
                self.links.append(values[attr])


def _parse(path: Path) -> _Collector:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    return collector


def _target_file(site: Path, page: PurePosixPath, path: str) -> Path:
    target = (page.parent / unquote(path)) if path else page
    parts: list[str] = []
    for part in target.parts:
        if part == "..":
            if not parts:
                raise ValueError("escapes the site")
            parts.pop()
        elif part not in (".", ""):
            parts.append(part)
    file = site.joinpath(*parts) if parts else site
    if path.endswith("/") or file.is_dir():
        file = file / "index.html"
    return file


def broken_links(site: Path) -> list[str]:
    """'page: link (why)' for each internal link that does not resolve."""
    pages = {p: _parse(p) for p in sorted(site.rglob("*.html"))}
    problems = []
    for file, collector in pages.items():
        page = PurePosixPath(file.relative_to(site).as_posix())
        for link in collector.links:
            parts = urlsplit(link)
            if parts.scheme or link.startswith("//"):
                continue
            try:
                target = _target_file(site, page, parts.path)
            except ValueError as exc:
                problems.append(f"{page}: {link} ({exc})")
                continue
            if not target.is_file():
                problems.append(f"{page}: {link} (no file {target.relative_to(site) if target.is_relative_to(site) else target})")
            elif parts.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else _parse(target).ids
                if unquote(parts.fragment) not in ids:
                    problems.append(f"{page}: {link} (no #{parts.fragment} in {target.relative_to(site)})")
    return problems


def internal_link_count(site: Path) -> int:
    return sum(
        1
        for p in site.rglob("*.html")
        for link in _parse(p).links
        if not urlsplit(link).scheme and not link.startswith("//")
    )
