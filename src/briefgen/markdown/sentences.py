"""Plain text of a paragraph, and the sentence that carries each reference in it.

Works on the children of an ``inline`` token (text, soft breaks, code spans, link
text...), never on HTML.  A reference right after sentence-final punctuation
(``Putin wants a ceasefire.[1]``) belongs to the sentence it closes; any other
reference belongs to the sentence around it.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable

from markdown_it.token import Token

REFERENCE_TYPES = frozenset({"noteref", "footnote_ref"})
MAX_SENTENCE = 600

_CLOSERS = "\"'”’»)]"
_PUNCTUATION = frozenset(".,;:!?)")
_OPENERS = "\"'“‘«(["
_END = re.compile(rf"[.!?][{re.escape(_CLOSERS)}]*(\s+)")
_LAST_WORD = re.compile(r"\S*$")
_INITIALS = re.compile(r"(?:[A-Za-z]\.){2,}|[A-Z]\.")
ABBREVIATIONS = frozenset(
    "mr mrs ms dr st gen lt col maj capt cpt sgt adm gov sen rep pres prof jr sr "
    "vol vs approx mt ft inc co corp ltd fig al jan feb mar apr jun jul aug sep sept "
    "oct nov dec".split()
)


def plain_text(children: Iterable[Token]) -> tuple[str, list[tuple[int, Token]]]:
    """The text of inline tokens without markup, and where each reference stood in it.

    White space left before punctuation by a removed reference goes too:
    ``again [1].`` reads ``again.``.
    """
    pieces: list[str] = []
    references: list[list] = []
    size = 0
    after_reference = False
    for token in children:
        if token.type in REFERENCE_TYPES:
            references.append([size, token])
            after_reference = True
            continue
        piece = _token_text(token)
        if after_reference and piece[:1] in _PUNCTUATION:
            size = _rstrip_pieces(pieces, size)
            for reference in reversed(references):
                if reference[0] <= size:
                    break
                reference[0] = size
        after_reference = after_reference and not piece
        pieces.append(piece)
        size += len(piece)
    return "".join(pieces), [(at, token) for at, token in references]


def _rstrip_pieces(pieces: list[str], size: int) -> int:
    """Strip trailing white space off the pieces; the new total size."""
    while pieces:
        stripped = pieces[-1].rstrip()
        size -= len(pieces[-1]) - len(stripped)
        if stripped:
            pieces[-1] = stripped
            break
        pieces.pop()
    return size


def _token_text(token: Token) -> str:
    if token.type in ("text", "code_inline", "noteref_literal"):
        return token.content
    if token.type in ("softbreak", "hardbreak"):
        return " "
    if token.type == "image":
        return plain_text(token.children or [])[0]
    return ""


def collapse(text: str) -> str:
    """White space (NBSP included) collapsed to single spaces, ends stripped."""
    return " ".join(text.split())


def cut_words(text: str, limit: int) -> str:
    """``text`` if it fits in ``limit`` characters, else cut at a word boundary + "…"."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > 0:
        cut = cut[:space]
    return cut.rstrip(" ,;:-–—") + "…"


def sentence_bounds(text: str) -> tuple[list[int], list[int]]:
    """Start and end offsets of the sentences of ``text`` (parallel lists)."""
    starts, ends = [0], []
    for match in _END.finditer(text):
        following = text[match.end():match.end() + 1]
        if not following or not _starts_sentence(following):
            continue
        if _is_abbreviation(text, match.start()):
            continue
        ends.append(match.start(1))
        starts.append(match.end())
    ends.append(len(text))
    return starts, ends


def _starts_sentence(char: str) -> bool:
    return char.isupper() or char.isdigit() or char in _OPENERS


def _is_abbreviation(text: str, dot: int) -> bool:
    """Is the ``.`` at ``dot`` the end of ``Mr.``, ``U.S.``, ``e.g.`` or an initial ``W.``?"""
    if text[dot] != ".":
        return False
    word = _LAST_WORD.search(text, max(0, dot - 40), dot + 1).group().lstrip(_OPENERS)
    if _INITIALS.fullmatch(word) or word in ("No.", "Nos."):  # "no." may end a sentence
        return True
    return word[:-1].lower() in ABBREVIATIONS


def sentence_at(text: str, position: int, bounds: tuple[list[int], list[int]] | None = None) -> str:
    """The sentence that carries a reference standing at ``position`` of ``text``."""
    starts, ends = bounds or sentence_bounds(text)
    end = _closed_sentence_end(text, position)
    if end is not None:
        start = starts[bisect.bisect_left(starts, end) - 1]
    else:
        index = bisect.bisect_right(starts, position) - 1
        start, end = starts[index], ends[index]
    # only the first MAX_SENTENCE characters survive the cut: bound the work
    return cut_words(collapse(text[start:min(end, start + 4 * MAX_SENTENCE)]), MAX_SENTENCE)


def _closed_sentence_end(text: str, position: int) -> int | None:
    """End of the sentence that the punctuation just before ``position`` closes, if any."""
    window_start = max(0, position - 200)
    window = text[window_start:position].rstrip()
    stop = len(window) - 1
    while stop > 0 and window[stop] in _CLOSERS:
        stop -= 1
    if stop < 0 or window[stop] not in ".!?" or _is_abbreviation(text, window_start + stop):
        return None
    return window_start + len(window)


def reference_sentences(inline: Token) -> list[tuple[Token, str]]:
    """Each reference among the children of ``inline`` with its sentence."""
    text, references = plain_text(inline.children or [])
    if not references:
        return []
    bounds = sentence_bounds(text)
    found: dict[int, str] = {}
    for position, _token in references:
        if position not in found:
            found[position] = sentence_at(text, position, bounds)
    return [(token, found[position]) for position, token in references]
