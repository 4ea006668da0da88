"""Readable titles from URL paths: the slug as a sentence, or section and item number.

Part of the built-in resolvers (``resolvers.py``); pure, never raises.
"""

from __future__ import annotations

import re

_PAGE_EXT = re.compile(r"\.(?:s?html?|php[0-9]?|aspx?|jsp|cms|cfm|pdf|docx?|xlsx?|pptx?|odt|rtf)$",
                       re.IGNORECASE)
_WORD_SPLIT = re.compile(r"[\s_+-]+")
_WORD = re.compile(r"^[^\W\d_]+(?:['’][^\W\d_]+)*$")
_ID_LIKE = re.compile(r"^(?=.*[0-9])(?=.*[^\W\d_])\w{5,}$|^[0-9]{5,}$")
_SLUG_DATE = re.compile(r"(?:^|[-_])(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{2}-[0-9]{2}-[0-9]{4}|[0-9]{8})(?=$|[-_])")
_CAMEL_ID = re.compile(r"^(?=(?:.*[A-Z]){3})(?=.*[a-z][A-Z])[A-Za-z]{8,}$")


def title_from_path(path: str, keep_numbers: bool = False) -> str:
    """A sentence-case title from the last readable segment of a decoded path."""
    for segment in reversed([s for s in path.split("/") if s]):
        words = _segment_words(segment, keep_numbers)
        if sum(1 for w in words if _WORD.match(w)) >= max(2, (len(words) + 1) // 2):
            return _sentence(words)
    return ""


def _segment_words(segment: str, keep_numbers: bool) -> list[str]:
    segment = _PAGE_EXT.sub("", segment)
    if not keep_numbers:
        segment = _SLUG_DATE.sub("-", segment)
    words = [w for w in _WORD_SPLIT.split(segment) if w]
    if keep_numbers:
        return words
    while words and _is_id(words[-1]):
        words.pop()
    while words and _is_id(words[0]):
        words.pop(0)
    return words


def _is_id(word: str) -> bool:
    return bool(_ID_LIKE.match(word) or _CAMEL_ID.match(word))


def _sentence(words: list[str]) -> str:
    text = " ".join(words)
    if text == text.lower() or text == text.upper():
        text = text.lower()
    return text[:1].upper() + text[1:]


_ID_SEGMENT = re.compile(r"^(?:[0-9]{3,}|(?=[0-9a-f]*[0-9])[0-9a-f]{12,})$", re.IGNORECASE)
_SECTION = re.compile(r"^[^\W\d_]{3,}$")
_NOT_SECTIONS = frozenset("amp doc docs html php index rus eng ukr text page pages item view".split())


def id_title(path: str) -> str:
    """A readable title for an address without a readable slug: the one word of the
    slug (``/20220731/sevastopol-1806192932.html`` -> "Sevastopol"), or the section and
    the item number (``/events/president/news/67843`` -> "News 67843")."""
    segments = [_PAGE_EXT.sub("", s) for s in path.split("/") if s]
    if not segments:
        return ""
    words = _segment_words(segments[-1], keep_numbers=False)
    if len(words) == 1 and _SECTION.match(words[0]) and not _ID_SEGMENT.match(segments[-1]):
        return words[0].capitalize()
    if not _ID_SEGMENT.match(segments[-1]):
        return ""
    section = next((s for s in reversed(segments[:-1])
                    if _SECTION.match(s) and s.lower() not in _NOT_SECTIONS), "")
    return f"{section.capitalize() or 'Article'} {segments[-1]}"
