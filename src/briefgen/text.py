"""Small text helpers shared by every stage: slugs that are safe as one path segment."""

from __future__ import annotations

import functools
import hashlib
import html
import re
import unicodedata

_NON_SLUG = re.compile(r"[^a-z0-9]+")
_URL_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_IGNORED_BY_BROWSERS = re.compile(r"[\x00-\x20\x7f]")
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
MAX_SLUG = 80


@functools.lru_cache(maxsize=1 << 14)   # pure: a publisher's name is slugged for each of its sources
def slugify(text: str, max_length: int = MAX_SLUG) -> str:
    """Lower-case ASCII words joined by '-': always a safe single path segment.

    Non-Latin text is transliterated where Unicode allows; what is left is
    dropped.  An empty result becomes a short hash of the input so that no
    slug is ever empty.  Long slugs are cut at a word boundary and given a
    hash suffix so that distinct inputs stay distinct.
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = _NON_SLUG.sub("-", ascii_text.lower()).strip("-")
    if not slug:
        return "x-" + short_hash(text)
    if len(slug) > max_length:
        cut = slug[: max_length - 9].rstrip("-")
        if "-" in cut:
            cut = cut.rsplit("-", 1)[0]
        slug = f"{cut}-{short_hash(text)}"
    return slug


def short_hash(text: str, length: int = 8) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:length]


def is_safe_url(url: str) -> bool:
    """True for a URL whose scheme is http, https or mailto, or a relative URL.

    Judged the way a browser reads an ``href``: after entity decoding and without the
    white space and control characters it ignores (``java&#x09;script:`` is a scheme).
    """
    text = _IGNORED_BY_BROWSERS.sub("", html.unescape(url))
    scheme = _URL_SCHEME.match(text)
    return scheme is None or scheme.group(1).lower() in SAFE_SCHEMES
