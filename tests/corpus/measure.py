"""The corpus acceptance figures: import every pasted assessment, build, and count.

The counts of references, notes and URLs are made here independently of briefgen's
parser (plain regexes over the input text), and compared with what the built pages show.
Used by tests/corpus/test_corpus.py and benchmarks/corpus_figures.py.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from briefgen.build import build
from briefgen.cli_import import build_site_model
from briefgen.importer import import_text

NOTE_LINE = re.compile(r"^[ \t\u00a0]*\[(\d{1,9})\]", re.MULTILINE)
FIRST_NOTE = re.compile(r"^[ \t\u00a0]*\[1\]", re.MULTILINE)
BODY_REF = re.compile(r"\[(\d{1,9})\]")
_DISGUISE = re.compile(r"[ \t\u00a0]*[\[(]dot[\])][ \t\u00a0]*|[ \t\u00a0]+dot[ \t\u00a0]+(?=[a-z0-9])",
                       re.IGNORECASE)
_URL_START = re.compile(r"(?:h?t?tps?://|(?<![\w./@-])www\.|(?<![\w./@-])[a-z0-9-]+\.(?:ru|ua|com|org|net|me|io|by|info|news)/)",
                        re.IGNORECASE)
_URL_STOP = re.compile(r"[\s;<>\"]|,(?=\s|h?t?tps?://|www\.)|(?<=[^/=])h?t?tps?://", re.IGNORECASE)
_TRACKING = re.compile(r"^(?:utm_\w+|fbclid|s|t|ref_src|igshid|si|feature|mibextid|single)$")


@dataclass
class Figures:
    documents: int = 0
    crashes: list[str] = field(default_factory=list)
    broken_links: list[str] = field(default_factory=list)
    noteref_mismatches: list[str] = field(default_factory=list)
    notes_with_url: int = 0
    notes_without_data_source: list[str] = field(default_factory=list)
    notes_compared: int = 0
    source_count_exceptions: list[str] = field(default_factory=list)
    sources: int = 0
    with_publisher_and_title: int = 0
    with_date: int = 0
    seconds_import: float = 0.0
    seconds_build: float = 0.0

    @property
    def source_count_agreement(self) -> float:
        return 1 - len(self.source_count_exceptions) / max(1, self.notes_compared)

    @property
    def publisher_title_share(self) -> float:
        return self.with_publisher_and_title / max(1, self.sources)

    @property
    def date_share(self) -> float:
        return self.with_date / max(1, self.sources)


# ------------------------------------------------------------ independent counts
def split_input(text: str) -> tuple[str, dict[int, str]]:
    """(body, {note number: note text}) of a pasted assessment, by plain regexes."""
    first = FIRST_NOTE.search(text)
    if first is None:
        return text, {}
    body, notes_text = text[:first.start()], text[first.start():]
    notes: dict[int, str] = {}
    matches = list(NOTE_LINE.finditer(notes_text))
    for match, following in zip(matches, matches[1:] + [None]):
        end = following.start() if following else len(notes_text)
        notes.setdefault(int(match.group(1)), notes_text[match.end():end])
    return body, notes


def body_reference_count(body: str, numbers: set[int]) -> int:
    return sum(1 for m in BODY_REF.finditer(body) if int(m.group(1)) in numbers)


def note_urls(note: str) -> set[str]:
    """Distinct normalised URLs written in a note (disguised ones undone)."""
    text = _DISGUISE.sub(".", note.replace("&amp;", "&"))
    found = set()
    for start in _URL_START.finditer(text):
        stop = _URL_STOP.search(text, start.end())
        raw = text[start.start(): stop.start() if stop else len(text)].rstrip(".,:)]'\"”’")
        key = _normal(raw)
        if key:
            found.add(key)
    return found


def _normal(raw: str) -> str:
    raw = re.sub(r"^h?t?tps?://", "", raw, flags=re.IGNORECASE)
    parts = urlsplit("https://" + raw)
    host = (parts.hostname or "").lower()
    for prefix in ("www.", "m.", "mobile."):
        host = host.removeprefix(prefix)
    if "." not in host:
        return ""
    host = {"x.com": "twitter.com", "telegram.me": "t.me"}.get(host, host)
    path = unquote(parts.path).rstrip("/")
    if host == "t.me":
        path = path.removeprefix("/s")
    query = "&".join(sorted(p for p in parts.query.split("&")
                            if p and not _TRACKING.match(p.partition("=")[0].lower())))
    return f"{host}{path}" + (f"?{unquote(query)}" if query else "")


# ------------------------------------------------------------------- the pages
class _NoteCollector(HTMLParser):
    """``doc-noteref`` links, and the ``data-source`` values inside each note."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.noterefs = 0
        self.note_sources: dict[str, set[str]] = {}
        self.current: str | None = None
        self.depth = 0

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if values.get("role") == "doc-noteref":
            self.noterefs += 1
        if tag == "li" and "note" in (values.get("class") or "").split():
            self.current, self.depth = (values.get("id") or "").removeprefix("note-"), 0
            self.note_sources[self.current] = set()
        elif tag == "li" and self.current is not None:
            self.depth += 1
        if self.current is not None and values.get("data-source"):
            self.note_sources[self.current].add(values["data-source"])

    def handle_endtag(self, tag):
        if tag == "li" and self.current is not None:
            if self.depth == 0:
                self.current = None
            else:
                self.depth -= 1


def brief_page(site: Path, slug: str) -> _NoteCollector:
    collector = _NoteCollector()
    collector.feed((site / "briefs" / slug / "index.html").read_text(encoding="utf-8"))
    return collector


# --------------------------------------------------------------------- running
def import_corpus(corpus: Path, root: Path) -> tuple[dict[str, tuple[str, str]], list[str], float]:
    """Import every ``*.txt`` of ``corpus`` into ``root/briefs``: {slug: (input name, input text)}."""
    started = time.perf_counter()
    (root / "briefs").mkdir(parents=True, exist_ok=True)
    imported, crashes = {}, []
    for path in sorted(corpus.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        try:
            brief, diagnostics = import_text(text, path.name)
        except Exception as exc:  # noqa: BLE001 - a crash is a figure to report
            crashes.append(f"{path.name}: {type(exc).__name__}: {exc}")
            continue
        if brief is None:
            crashes.append(f"{path.name}: " + "; ".join(d.message for d in diagnostics))
            continue
        (root / "briefs" / brief.file_name).write_text(brief.text, encoding="utf-8")
        imported[brief.file_name.removesuffix(".md")] = (path.name, text)
    return imported, crashes, time.perf_counter() - started


def measure(corpus: Path, root: Path) -> Figures:
    from tests.support.linkcheck import broken_links

    figures = Figures()
    imported, figures.crashes, figures.seconds_import = import_corpus(corpus, root)
    figures.documents = len(imported)
    started = time.perf_counter()
    try:
        build(root)
    except Exception as exc:  # noqa: BLE001
        figures.crashes.append(f"build: {type(exc).__name__}: {str(exc)[:2000]}")
        return figures
    figures.seconds_build = time.perf_counter() - started
    figures.broken_links = broken_links(root / "site")
    for slug, (name, text) in sorted(imported.items()):
        _measure_brief(figures, root / "site", slug, name, text)
    _measure_sources(figures, root)
    return figures


def _measure_brief(figures: Figures, site: Path, slug: str, name: str, text: str) -> None:
    from briefgen.importer import body_and_notes

    body, notes = split_input(body_and_notes(text))
    page = brief_page(site, slug)
    expected = body_reference_count(body, set(notes))
    if page.noterefs != expected:
        figures.noteref_mismatches.append(f"{name}: {page.noterefs} doc-noteref links, {expected} [N] markers")
    for number, note in sorted(notes.items()):
        urls = note_urls(note)
        shown = page.note_sources.get(str(number), set())
        if not urls:
            continue
        figures.notes_with_url += 1
        figures.notes_compared += 1
        if not shown:
            figures.notes_without_data_source.append(f"{name} [{number}]")
        if len(shown) != len(urls):
            figures.source_count_exceptions.append(
                f"{name} [{number}]: {len(shown)} sources shown, {len(urls)} distinct URLs written")


def is_raw_url_title(title: str, url: str) -> bool:
    """A title that is only the address: the URL itself, or host/path without a space."""
    bare = re.sub(r"^https?://(?:www\.)?", "", url).rstrip("/")
    return not title.strip() or title in (url, bare) or (" " not in title.strip() and "/" in title)


def _measure_sources(figures: Figures, root: Path) -> None:
    site, _ = build_site_model(root)
    cited = [s for s in site.sources if s.id in site.backlinks]
    figures.sources = len(cited)
    figures.with_publisher_and_title = sum(
        1 for s in cited if s.publisher.strip() and not is_raw_url_title(s.title, s.url))
    figures.with_date = sum(1 for s in cited if s.date is not None)


def report(figures: Figures, limit: int = 15) -> str:
    lines = [
        f"documents imported and built: {figures.documents} (crashes: {len(figures.crashes)})",
        f"broken internal links: {len(figures.broken_links)}",
        f"documents whose doc-noteref count differs from their [N] markers: {len(figures.noteref_mismatches)}",
        f"notes with a URL: {figures.notes_with_url}; without a data-source element: "
        f"{len(figures.notes_without_data_source)}",
        f"distinct sources per note == distinct normalised URLs: "
        f"{figures.notes_compared - len(figures.source_count_exceptions)}/{figures.notes_compared} "
        f"({100 * figures.source_count_agreement:.2f}%)",
        f"distinct sources: {figures.sources}; publisher and readable title: {figures.with_publisher_and_title} "
        f"({100 * figures.publisher_title_share:.1f}%); date: {figures.with_date} ({100 * figures.date_share:.1f}%)",
        f"time: import {figures.seconds_import:.2f} s, build {figures.seconds_build:.2f} s",
    ]
    for title, items in (("crashes", figures.crashes), ("broken links", figures.broken_links),
                         ("noteref mismatches", figures.noteref_mismatches),
                         ("notes without data-source", figures.notes_without_data_source),
                         ("source count exceptions", figures.source_count_exceptions)):
        if items:
            lines.append(f"{title}:")
            lines += [f"  {item}" for item in items[:limit]]
            if len(items) > limit:
                lines.append(f"  ... and {len(items) - limit} more")
    return "\n".join(lines)
