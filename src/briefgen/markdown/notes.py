"""The notes section and the inside of one note.

``notes_plugin`` adds a block rule: from the first line ``[1] ...`` to the end of the
document every non-blank line is a note (``[N]`` at the line start) or a continuation
of the previous one.  Each note becomes a hidden ``note`` token whose ``meta`` holds
its number, position and raw text; ``env["briefgen"]["numbers"]`` lists the numbers
so that the inline ``[N]`` rule knows which notes exist.

``split_note`` cuts the raw text of one note into citations (found by ``citations.py``)
and the analyst's commentary.
"""

from __future__ import annotations

import re
from typing import Callable

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock

from briefgen.diagnostics import Diagnostic, Location, warning
from briefgen.markdown.citations import find_sources
from briefgen.model import Citation, NotePart

ENV_KEY = "briefgen"

_WS = r"[^\S\n]"  # white space inside one line: space, tab, NBSP, ...
NOTE_LINE = re.compile(rf"{_WS}*\[(\d{{1,9}})\]")
FIRST_NOTE = re.compile(rf"{_WS}*\[1\](?:{_WS}+\S|(?=[^\W\d_]|[<@]))")
FOOTNOTE_DEF = re.compile(r" {0,3}\[\^[^\]\s]+\]:")
NOTES_HEADING = re.compile(  # Notes, **Endnotes:**, References, Sources (any case)
    r"(?:\*\*|__)?\s*(?:notes|endnotes|references|sources)\s*:?\s*(?:\*\*|__)?\s*:?",
    re.IGNORECASE,
)


def notes_env(env: dict) -> dict:
    """Our part of the markdown-it ``env``: note numbers, footnotes, section state."""
    data = env.setdefault(ENV_KEY, {})
    data.setdefault("numbers", set())
    data.setdefault("started", False)
    return data


def notes_plugin(md: MarkdownIt) -> None:
    md.block.ruler.before(
        "table", "notes", notes_rule, {"alt": ["paragraph", "reference", "blockquote"]}
    )


# ----------------------------------------------------------------- block rule
def _line(state: StateBlock, line: int) -> str:
    return state.src[state.bMarks[line] : state.eMarks[line]]


def _may_start(state: StateBlock, line: int, silent: bool) -> bool:
    outdented = silent and state.sCount[line] < state.blkIndent
    if state.level != 0 and not outdented:
        return False
    text = _line(state, line)
    if notes_env(state.env)["started"] and NOTE_LINE.match(text):
        return True
    if state.sCount[line] - state.blkIndent >= 4:
        return False
    return FIRST_NOTE.match(text) is not None


def notes_rule(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    if not _may_start(state, start_line, silent):
        return False
    if silent:
        return True
    data = notes_env(state.env)
    data["started"] = True
    heading = _take_heading(state, start_line)
    stop = _section_end(state, start_line, end_line)
    opening = state.push("notes_open", "section", 1)
    opening.map = [heading["heading_line"] - 1 if heading else start_line, stop]
    opening.meta = heading or {}
    pushed = [opening]
    for note in _collect_notes(state, start_line, stop):
        data["numbers"].add(note["number"])
        token = state.push("note", "", 0)
        token.map = [note["line"] - 1, note["end"]]
        token.content = note["raw"]
        token.meta = note
        pushed.append(token)
    pushed.append(state.push("notes_close", "section", -1))
    for token in pushed:
        token.hidden = True
    state.line = stop
    return True


def _section_end(state: StateBlock, start_line: int, end_line: int) -> int:
    for line in range(start_line + 1, end_line):
        if FOOTNOTE_DEF.match(_line(state, line)):
            return line
    return end_line


def _collect_notes(state: StateBlock, start_line: int, stop: int) -> list[dict]:
    """Each note's number, 1-based ``line``, ``column`` of ``[``, ``raw`` text after ``[N]``
    (which starts at ``raw_column``) and ``end`` (its last non-blank line)."""
    notes: list[dict] = []
    for line in range(start_line, stop):
        text = _line(state, line)
        match = NOTE_LINE.match(text)
        if match:
            notes.append({
                "number": int(match.group(1)),
                "line": line + 1,
                "column": match.start(1),
                "raw_column": match.end() + 1,
                "lines": [text[match.end():]],
                "end": line + 1,
            })
        elif notes:
            notes[-1]["lines"].append(text)
            if text.strip():
                notes[-1]["end"] = line + 1
    for note in notes:
        kept = note.pop("lines")[: note["end"] - note["line"] + 1]
        note["raw"] = "\n".join(kept)
    return notes


def _take_heading(state: StateBlock, start_line: int) -> dict | None:
    """Remove a ``Notes``/``References`` heading just above the first note."""
    if len(state.tokens) < 3:
        return None
    opening, inline, _closing = state.tokens[-3:]
    if (
        opening.type not in ("heading_open", "paragraph_open")
        or inline.type != "inline"
        or opening.level != 0
        or not opening.map
        or not is_notes_heading(inline.content)
    ):
        return None
    if any(_line(state, line).strip() for line in range(opening.map[1], start_line)):
        return None
    del state.tokens[-3:]
    return {"heading": inline.content.strip(), "heading_line": opening.map[0] + 1}


def is_notes_heading(text: str) -> bool:
    return NOTES_HEADING.fullmatch(text.strip()) is not None


# ------------------------------------------------------------- splitting a note
Render = Callable[[str], str]
_SEPARATOR_CHARS = frozenset(";,|\u200b\u200c\u200d\u200e\u200f\u2060\ufeff")
_ENCODED_SPACES = ("%20", "%C2%A0", "%c2%a0")


def split_note(
    raw: str, first_line: int, path: str, first_column: int = 1, render: Render | None = None
) -> tuple[tuple[NotePart, ...], tuple[Citation, ...]]:
    """Cut a note into commentary and citations, in reading order.

    ``raw`` is the note text after ``[N]`` (continuation lines joined with "\\n");
    its first character stands at ``first_line``:``first_column`` of ``path``.
    Commentary becomes a "text" part rendered as inline Markdown.
    """
    render = render or _default_render
    parts: list[NotePart] = []
    citations: list[Citation] = []
    locate = _Locator(raw, first_line, first_column, path)
    done = 0
    for source in find_sources(raw):
        _add_text(parts, raw[done:source.start], render)
        text = raw[source.start:source.end]
        location = locate(source.start)
        url = text if source.url == text else source.url   # one string where they are equal (most)
        citations.append(Citation(text, url, source.key, location, source.linked))
        parts.append(NotePart("citation", citation=len(citations) - 1))
        done = source.end
    _add_text(parts, raw[done:], render)
    return tuple(parts), tuple(citations)


def _default_render(text: str) -> str:
    from briefgen.markdown.setup import markdown_parser  # setup imports this module

    return markdown_parser().renderInline(text)


def _add_text(parts: list[NotePart], text: str, render: Render) -> None:
    text = strip_separators(text)
    if any(char.isalnum() for char in text):
        parts.append(NotePart("text", html=render(text).strip()))


def strip_separators(text: str) -> str:
    """Commentary without the separators around it (``;``, ``,``, spaces, ``%20``...)."""
    start, end = 0, len(text)
    while start < end:
        if _is_separator(text[start]) or text[start] in ".:":
            start += 1
        elif text.startswith(_ENCODED_SPACES, start):
            start += 3 if text.startswith("%20", start) else 6
        else:
            break
    while end > start:
        if _is_separator(text[end - 1]):
            end -= 1
        elif text.endswith(_ENCODED_SPACES, start, end):
            end -= 3 if text.endswith("%20", start, end) else 6
        else:
            break
    return text[start:end]


def _is_separator(char: str) -> bool:
    return char.isspace() or char in _SEPARATOR_CHARS or "\ufdd0" <= char <= "\ufdef"


class _Locator:
    """File locations of increasing offsets in a note's raw text."""

    def __init__(self, raw: str, first_line: int, first_column: int, path: str):
        self.raw, self.path, self.first_column = raw, path, first_column
        self.line, self.line_start, self.scanned = first_line, 0, 0

    def __call__(self, offset: int) -> Location:
        while True:
            newline = self.raw.find("\n", self.scanned, offset)
            if newline < 0:
                break
            self.line, self.line_start, self.scanned = self.line + 1, newline + 1, newline + 1
        self.scanned = max(self.scanned, offset)
        column = offset - self.line_start + (self.first_column if self.line_start == 0 else 1)
        return Location(self.path, self.line, column)


def duplicate_urls(number: int, citations: tuple[Citation, ...]) -> list[Diagnostic]:
    """A warning for every URL that a note cites a second time."""
    seen: dict[str, Citation] = {}
    found = []
    for citation in citations:
        if citation.url is None:
            continue
        first = seen.setdefault(citation.url, citation)
        if first is not citation:
            found.append(warning(
                "note.duplicate-url", citation.location,
                f"note [{number}] cites {citation.url} twice "
                f"(first at line {first.location.line}, column {first.location.column})",
                "remove the repeated URL from the note",
            ))
    return found
