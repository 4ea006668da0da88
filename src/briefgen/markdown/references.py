"""References in the body: ``[N]`` naming note N, and standard footnotes ``[^label]``.

``references_plugin`` adds
- an inline rule ``noteref`` (before ``link``): ``[N]`` becomes a ``noteref`` token when
  note N exists, else a ``noteref_literal`` token that renders as the literal text;
- a wrapper around the footnote plugin's ``footnote_ref`` rule that records where
  the reference stands;
- a core rule ``footnote_defs`` (after ``block``) that takes the footnote definitions
  out of the token stream (the brief template renders all notes) and numbers them
  after the numbered notes;
- a core rule ``noteref_index`` (after ``inline``) that gives every reference its
  file line/column and its rank among the references to the same note;
- the render rule: ``<a class="noteref" role="doc-noteref" id="ref-N-K" href="#note-N">[N]</a>``.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml, normalizeReference
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.link import link as link_rule
from markdown_it.token import Token
from mdit_py_plugins.footnote.index import footnote_ref

from briefgen.markdown.notes import notes_env
from briefgen.text import slugify

_NOTEREF = re.compile(r"\[(\d{1,9})\]")
_NEWLINE = re.compile("\n")
_LIST_MARKER = re.compile(r"^[ \t>]*(?:(?:[-+*]|\d{1,9}[.)])(?=[ \t]|$))?")


def references_plugin(md: MarkdownIt) -> None:
    md.inline.ruler.before("link", "noteref", noteref_rule)
    md.add_render_rule("noteref", render_noteref)
    md.add_render_rule("noteref_literal", render_literal)
    if "footnote_ref" in md.inline.ruler.get_all_rules():
        md.inline.ruler.at("footnote_ref", footnote_ref_rule)
        md.add_render_rule("footnote_ref", render_noteref)
        md.core.ruler.after("block", "footnote_defs", footnote_defs_rule)
    md.core.ruler.after("inline", "noteref_index", noteref_index_rule)


# ---------------------------------------------------------------- inline rules
def noteref_rule(state: StateInline, silent: bool) -> bool:
    if state.src[state.pos] != "[":
        return False
    match = _NOTEREF.match(state.src, state.pos, state.posMax)
    if match is None or _is_link(state, match.end()):
        return False
    number = int(match.group(1))
    exists = number in notes_env(state.env)["numbers"]
    if not exists and normalizeReference(match.group(1)) in state.env.get("references", {}):
        return False  # [2] with a link reference definition [2]: url is a link
    if not silent:
        token = state.push("noteref" if exists else "noteref_literal", "", 0)
        token.content = match.group()
        token.meta = {"number": number, "offset": state.pos}
        if exists:
            token.meta["note"] = str(number)
    state.pos = match.end()
    return True


def _is_link(state: StateInline, after: int) -> bool:
    """``[2](url)`` and ``[2][label]`` are links, not references."""
    if after >= state.posMax or state.src[after] not in "([":
        return False
    pos, pos_max = state.pos, state.posMax
    found = link_rule(state, True)
    state.pos, state.posMax = pos, pos_max
    return found


def footnote_ref_rule(state: StateInline, silent: bool) -> bool:
    """The footnote plugin's ``[^label]`` rule, remembering where the reference stands."""
    start, count = state.pos, len(state.tokens)
    found = footnote_ref(state, silent)
    if found and not silent and len(state.tokens) > count:
        state.tokens[-1].meta["offset"] = start
    return found


# ------------------------------------------------------------------ core rules
def footnote_defs_rule(state: StateCore) -> None:
    """Take ``[^label]: text`` definitions out of the body; number them after the notes."""
    data = notes_env(state.env)
    kept: list[Token] = []
    definitions: list[dict] = []
    depth = 0
    for token in state.tokens:
        if token.type == "footnote_reference_open":
            depth += 1
            if depth == 1:
                definitions.append({"label": token.meta["label"], "map": token.map})
        elif token.type == "footnote_reference_close":
            depth -= 1
        elif depth == 0:
            kept.append(token)
    state.tokens = kept
    if definitions:
        lines = state.src.split("\n")
        for definition in definitions:
            definition["source"] = lines[definition["map"][0]:definition["map"][1]]
    data["footnotes"] = _number_footnotes(definitions, data["numbers"])


def _number_footnotes(definitions: list[dict], numbers: set[int]) -> list[dict]:
    """Ids ``fn-<slug>``; numbers after the highest numbered note, in definition order."""
    first: dict[str, dict] = {}
    ids: set[str] = set()
    number = max(numbers, default=0)
    for definition in definitions:
        label = definition["label"]
        if label in first:
            definition["duplicate_of"] = first[label]
            continue
        number += 1
        note_id = base = "fn-" + slugify(label)
        suffix = 1
        while note_id in ids:
            suffix += 1
            note_id = f"{base}-{suffix}"
        ids.add(note_id)
        definition.update(id=note_id, number=number)
        first[label] = definition
    return definitions


def noteref_index_rule(state: StateCore) -> None:
    """Line/column of every reference; rank K among the references to the same note."""
    footnotes = {
        d["label"]: d for d in notes_env(state.env).get("footnotes", []) if "id" in d
    }
    counts: dict[str, int] = {}
    lines: list[str] | None = None
    for token in state.tokens:
        children = [
            child for child in token.children or ()
            if child.type in ("noteref", "noteref_literal", "footnote_ref")
        ]
        if token.type != "inline" or not children:
            continue
        lines = lines if lines is not None else state.src.split("\n")
        locate = InlinePositions(token, lines)
        for child in children:
            child.meta["line"], child.meta["column"] = locate(child.meta.get("offset", 0))
            _identify(child, footnotes)
            if "note" in child.meta:
                note = child.meta["note"]
                counts[note] = counts.get(note, 0) + 1
                child.meta["index"] = counts[note]


def _identify(child: Token, footnotes: dict[str, dict]) -> None:
    if child.type != "footnote_ref":
        return
    definition = footnotes.get(child.meta.get("label", ""))
    if definition is not None:
        child.meta.update(note=definition["id"], number=definition["number"])


class InlinePositions:
    """File line and column (1-based) of offsets in the content of one inline token.

    markdown-it keeps an inline token's content with its line breaks; line k of it
    is the end of source line ``map[0] + k`` (container markers and indentation cut
    off, the first line left-trimmed, the last right-trimmed).
    """

    def __init__(self, inline: Token, lines: list[str]):
        self.content = inline.content
        self.lines = lines
        self.first = _first_content_line(inline, lines)
        self.breaks = [match.start() for match in _NEWLINE.finditer(self.content)]
        self.prefixes: dict[int, int] = {}

    def __call__(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_left(self.breaks, offset)
        line_start = self.breaks[index - 1] + 1 if index else 0
        return self.first + index + 1, self._prefix(index, line_start) + offset - line_start + 1

    def _prefix(self, index: int, line_start: int) -> int:
        """How many characters of the source line precede the content line."""
        if index not in self.prefixes:
            end = self.breaks[index] if index < len(self.breaks) else len(self.content)
            text = self.content[line_start:end]
            number = self.first + index
            source = self.lines[number] if number < len(self.lines) else ""
            stripped = text.strip()
            if stripped and source.rstrip().endswith(text.rstrip()):
                self.prefixes[index] = len(source.rstrip()) - len(text.rstrip())
            elif stripped and stripped in source:  # e.g. a tab partly expanded to spaces
                self.prefixes[index] = source.find(stripped) - (len(text) - len(text.lstrip()))
            else:
                self.prefixes[index] = 0
        return self.prefixes[index]


def _first_content_line(inline: Token, lines: list[str]) -> int:
    """The source line of the content's first line: markdown-it trims leading lines
    that hold only white space it does not count as blank (NBSP...)."""
    if not inline.map:
        return 0
    first, end = inline.map
    while first < min(end, len(lines)) - 1 and not _LIST_MARKER.sub("", lines[first]).strip():
        first += 1
    return first


# ---------------------------------------------------------------------- render
def render_noteref(self, tokens: Sequence[Token], idx: int, options, env) -> str:
    meta = tokens[idx].meta
    note = meta.get("note")
    if note is None:  # a footnote reference we could not number
        return escapeHtml(f"[^{meta.get('label', '')}]")
    anchor = f' id="ref-{note}-{meta["index"]}"' if "index" in meta else ""
    return (
        f'<a class="noteref" role="doc-noteref"{anchor} href="#note-{note}">'
        f"[{meta['number']}]</a>"
    )


def render_literal(self, tokens: Sequence[Token], idx: int, options, env) -> str:
    return escapeHtml(tokens[idx].content)
