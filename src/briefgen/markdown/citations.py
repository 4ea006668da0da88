"""Sources inside the text of one note: URLs and registry keys, found by regexes over
the raw note text (never over HTML).

A source is a URL (``https://...``, ``<url>``, ``[text](url)``, a broken scheme such as
``ttps://``, a bare host ``www.example.com/...`` or ``t.me/...``), a URL the authors
disguised (``tass dot ru``, ``meduza [dot] io``: ``linked=False``), or a key ``@id``.
Sources are separated by ``;``, by ``,`` before another URL, by line breaks, or by
nothing at all (``.../abc/https://...``); archive URLs that embed another URL
(``web.archive.org/web/<time>/https://...``, ``?url=https://...``) stay whole.
"""

from __future__ import annotations

import re
from typing import Iterator, NamedTuple


class Source(NamedTuple):
    start: int            # offsets in the raw note text
    end: int
    url: str | None       # scheme repaired, disguise undone, brackets and punctuation removed
    key: str | None       # registry id of an ``@id``
    linked: bool          # False for a disguised URL


_SCHEME = (
    r"(?:https?:?//|(?<![A-Za-z])"
    r"(?:hhttps?|htts?|htps?|ttps?|tps|ps|s|ht ?t ?p ?s?|https?(?: |%20)):?//)"
)
_ANY_SCHEME = r"(?:[A-Za-z]{0,6}(?: ?[A-Za-z]{1,3})?(?: |%20)?://)"
_LABEL = r"[A-Za-z0-9][A-Za-z0-9-]*"
_HOST = rf"{_LABEL}(?:\.{_LABEL})*"
_DOT_WORD = (  # " dot ", "[dot]", "(dot)"
    r"[ \t\u00a0]+(?i:dot)[ \t\u00a0]+"
    r"|[ \t\u00a0]*(?:\[(?i:dot)\]|\((?i:dot)\))[ \t\u00a0]*"
)
_DOTS = re.compile(rf"(?:{_DOT_WORD}|%20(?i:dot)%20)(?=[A-Za-z0-9])")
_BEFORE_BARE = r"(?<![\w.@/:%+&=#~-])"
_START = re.compile(
    r"(?P<md>\[[^\[\]\n]*\]\()"
    rf"|(?P<angle><(?={_ANY_SCHEME}|www\.))"
    rf"|(?P<url>{_SCHEME})"
    rf"|(?P<disguised>{_BEFORE_BARE}{_HOST}(?=(?:{_DOT_WORD}){_LABEL}))"
    rf"|(?P<bare>{_BEFORE_BARE}(?:www\.{_HOST}|{_HOST}\.[A-Za-z]{{2,}}(?=/)))"
    r"|(?P<key>(?<![\w@.+/-])@[A-Za-z0-9][A-Za-z0-9._:-]*)"
)
_STOP = re.compile(r"[\s<>\"`]|[;,]|https?://")
_SOURCE_AFTER_SEPARATOR = re.compile(
    rf"\s|$|(?:%20|%C2%A0)*(?:{_SCHEME}|www\.|<|\[[^\]\n]*\]\()", re.IGNORECASE
)
_ARCHIVE_HOST = re.compile(
    r"[a-z ]*:?//(?:[^/\s]*\.)?"
    r"(?:archive\.(?:org|ph|is|today|li)|webcache\.googleusercontent\.com)/",
    re.IGNORECASE,
)
_EMBEDDING_TAIL = re.compile(r"(?:/web/[0-9a-z_*]*/|[?&=]|%3A%2F%2F)$", re.IGNORECASE)
_MD_DEST = re.compile(
    r"[ \t]*(?:<([^<>\n]*)>|((?:[^\s()]|\([^\s()]*\))+))"
    r"(?:[ \t]+(?:\"[^\"\n]*\"|'[^'\n]*'))?[ \t]*\)"
)
_ANGLE = re.compile(r"<([^<>\s]+)>")
_KNOWN_TLDS = frozenset(
    "ru ua by su kz md ge am az uz kg tj lt lv ee pl de fr uk eu io me tv info org "
    "net com gov mil edu news media online site ir cn tr".split()
)
_STOPWORDS = frozenset("a an the this that one each every of to and or in on at is".split())
_TRAILING = set(".,;:!?\"'”’»“‘")
_CLOSERS = {")": "(", "]": "["}
_SCHEME_PART = re.compile(r"^([A-Za-z %20]{0,12}?)(:?)//")
_SP = r"[ \t\u00a0]"
_HOST_GAP = re.compile(  # white space that breaks a host: "t.me /x", "kpdot ru/", "ria dotru/"
    rf"{_SP}+(?=/)|(?<=[A-Za-z](?i:dot)){_SP}+(?={_LABEL}[./])|{_SP}+(?=(?i:dot)[A-Za-z]{{2,}}[./])"
    rf"|{_SP}+(?i:dot){_SP}*(?=/)"
)
_DOT_BEFORE_SLASH = re.compile(rf"{_SP}+(?i:dot){_SP}*(?=/)")  # "meduza.i dot /feature": a stray word
_GLUED_DOT = re.compile(rf"(?<=[A-Za-z])(?i:dot){_SP}+(?=[A-Za-z0-9])|{_SP}+(?i:dot)(?=[A-Za-z])")
_GAP_BEFORE_TLD = re.compile(rf"{_SP}+([A-Za-z]{{2,}})/")
_DOUBLE_SCHEME = re.compile(r"^[A-Za-z]+://(?=https?://)", re.IGNORECASE)
_MAYBE_DISGUISED = re.compile(r"\s|%20|\[dot\]|\(dot\)", re.IGNORECASE)
_GAP_BEFORE_SLASH = re.compile(rf"{_SP}+(?=/)")
_WHITE = re.compile(r"\s+")


def find_sources(raw: str) -> Iterator[Source]:
    """Every source in the text of a note, in order: ``(start, end, url, key, linked)``."""
    pos = 0
    while True:
        match = _START.search(raw, pos)
        if match is None:
            return
        found = _source_at(raw, match)
        if found is None:
            pos = match.start() + 1
            continue
        yield found
        pos = max(found.end, match.start() + 1)


def _source_at(raw: str, match: re.Match) -> Source | None:
    kind, start = match.lastgroup, match.start()
    if kind == "key":
        text = match.group().rstrip(".:-")
        return Source(start, start + len(text), None, text[1:], True)
    if kind == "md":
        return _markdown_link(raw, match)
    if kind == "angle":
        angle = _ANGLE.match(raw, start)
        if angle is None:
            return None
        return Source(start, angle.end(), _repair(angle.group(1)), None, True)
    if kind == "disguised" and not _plausible_disguise(raw, match):
        return None
    end = _trim_end(raw, start, _url_end(raw, match.end(), start))
    if end <= match.end() and kind == "url":
        return None
    text = raw[start:end]
    url, disguised = _undisguise(text)
    return Source(start, end, _repair(url), None, not disguised)


def _markdown_link(raw: str, match: re.Match) -> Source | None:
    dest = _MD_DEST.match(raw, match.end())
    if dest is None:
        return None
    target = (dest.group(1) if dest.group(1) is not None else dest.group(2)).strip()
    if not re.match(rf"{_ANY_SCHEME}|www\.|{_HOST}\.[A-Za-z]{{2,}}/", target):
        return None
    url, disguised = _undisguise(target)
    return Source(match.start(), dest.end(), _repair(url), None, not disguised)


def _plausible_disguise(raw: str, match: re.Match) -> bool:
    """``tass dot ru`` and ``meduza [dot] io`` are URLs; ``connect the dot to`` is not."""
    dots = _DOTS.match(raw, match.end())
    if dots is None:
        return False
    if "[" in dots.group() or "(" in dots.group():
        return True
    if match.group().lower() in _STOPWORDS:
        return False
    label = re.match(_HOST, raw[dots.end():])
    if label is None:
        return False
    after = raw[dots.end() + label.end():dots.end() + label.end() + 1]
    return after == "/" or label.group().split(".")[0].lower() in _KNOWN_TLDS


def _url_end(raw: str, pos: int, start: int) -> int:
    """Where the URL that starts at ``start`` (its host at ``pos``) ends."""
    host = _HostScan(raw, pos)
    while True:
        stop = _STOP.search(raw, pos)
        if stop is None:
            return len(raw)
        at, char = stop.start(), raw[stop.start()]
        if char in ";,":
            if _SOURCE_AFTER_SEPARATOR.match(raw, at + 1):
                return at
            pos = at + 1
        elif char.isspace():
            gap = _DOTS.match(raw, at) or host.gap(at)
            if gap is None:
                return at
            pos = gap.end()
        elif char in "hH" and _keeps_embedded_scheme(raw[start:at]):
            pos = stop.end()
        else:
            return at


class _HostScan:
    """White space inside a host name (``www.kpdot ru/``, ``mod.gov ua/``), never in a path."""

    def __init__(self, raw: str, host: int):
        self.raw, self.scanned = raw, host
        self.in_path = self.has_dot = False

    def gap(self, at: int) -> re.Match | None:
        if not self.in_path:
            self.in_path = self.raw.find("/", self.scanned, at) >= 0
            self.has_dot = self.has_dot or self.raw.find(".", self.scanned, at) >= 0
            self.scanned = at
        if self.in_path:
            return None
        gap = _HOST_GAP.match(self.raw, at)
        if gap is None and self.has_dot:
            tld = _GAP_BEFORE_TLD.match(self.raw, at)
            gap = tld if tld and tld.group(1).lower() in _KNOWN_TLDS else None
        return gap


def _keeps_embedded_scheme(before: str) -> bool:
    """``.../web/2022/https://...`` and ``?url=https://...`` are one URL; a glued one is two."""
    return bool(
        _ARCHIVE_HOST.match(before)
        or _EMBEDDING_TAIL.search(before[-40:])
        or re.fullmatch(_ANY_SCHEME, before)
    )


def _trim_end(raw: str, start: int, end: int) -> int:
    """Drop trailing punctuation, quotes, stray spaces and unbalanced closing brackets."""
    if raw[end - 1] == "/" or (raw[end - 1].isalnum() and raw[end - 1] != "0"):
        return end  # the common case: nothing to trim
    opened = {close: raw.count(open_, start, end) for close, open_ in _CLOSERS.items()}
    closed = {close: raw.count(close, start, end) for close in _CLOSERS}
    while end > start:
        char = raw[end - 1]
        if char in _TRAILING or char.isspace():
            end -= 1
        elif char in _CLOSERS and opened[char] < closed[char]:
            closed[char] -= 1
            end -= 1
        elif raw.endswith("%20", start, end):
            end -= 3
        elif raw[max(start, end - 6):end].upper() == "%C2%A0":
            end -= 6
        else:
            break
    return end


def _undisguise(text: str) -> tuple[str, bool]:
    """``https://tass dot ru/x`` -> ``https://tass.ru/x``; True when the URL was disguised."""
    if not _MAYBE_DISGUISED.search(text):
        return text, False
    scheme = _SCHEME_PART.match(text)
    head, rest = (text[:scheme.end()], text[scheme.end():]) if scheme else ("", text)
    rest, stray = _DOT_BEFORE_SLASH.subn("", rest)
    rest, dots = _DOTS.subn(".", rest)
    rest, glued = _GLUED_DOT.subn(".", rest)
    rest, gaps = _GAP_BEFORE_SLASH.subn("", rest)
    rest, spaces = _WHITE.subn(".", rest)
    return "".join(head.split()) + rest, stray + dots + glued + gaps + spaces > 0


def _repair(url: str) -> str:
    """Repair a broken scheme (``ttps://``, ``htt ps://``) and give bare hosts ``https://``."""
    if url.startswith(("https://", "http://")) and not _DOUBLE_SCHEME.match(url):
        return url
    url = _DOUBLE_SCHEME.sub("", url)
    scheme = _SCHEME_PART.match(url)
    if scheme is None:
        return "https://" + url
    name = re.sub(r"%20|\s", "", scheme.group(1)).lower()
    if name in ("http", "https") and scheme.group(1) == name and scheme.group(2):
        return url
    fixed = "https" if name.endswith("s") else "http"
    return f"{fixed}://{url[scheme.end():]}"
