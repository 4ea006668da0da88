"""URL identity: repair a URL as written in a note, and reduce it to a canonical form.

``clean_url`` turns what an analyst pasted (``ttps://``, ``<...>``, a bare host,
a trailing full stop, ``&amp;``) into a usable absolute http(s) URL, or None.
``normalize_url`` maps every spelling of the same address to one string, so
that equal strings mean the same source.  Both are pure and never raise.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from urllib.parse import unquote

from briefgen.memo import memoized

# ------------------------------------------------------------------ constants
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_AMP = re.compile(r"&amp;", re.IGNORECASE)
_ENCODED_SPACE = re.compile(r"^(?:%20|%C2%A0|%09)+", re.IGNORECASE)
_OPENERS = "<([{\"'“‘«`.…"
_TRAILERS = ".,;:!?)]}>'\"”’»…\\`"
_PAIRS = {")": "(", "]": "[", "}": "{"}
_SCHEME = re.compile(
    r"^(https?|ttps?|htps?|htttps?|hxxps?|tps)(?::+[/\\]*|[/\\]{2,})", re.IGNORECASE
)
_NOTE_NUMBER = re.compile(r"^\[[0-9]{1,4}\]\s*")
_BARE_HOST = re.compile(
    r"^(?P<host>(?:[^\W_][\w-]*\.)+(?P<tld>[^\W\d_]{2,24}|xn--[a-z0-9-]+))\.?"
    r"(?::[0-9]{1,5})?(?:[/?#]|$)"
)
_HOST = re.compile(r"^(?:[^\W_][\w-]*\.)+(?:[^\W\d_]{2,63}|xn--[a-z0-9-]+)\.?\Z")
_IPV4 = re.compile(r"^[0-9]{1,3}(?:\.[0-9]{1,3}){3}\Z")
_GENERIC_TLDS = frozenset(
    """com net org edu gov mil int info biz name pro io co me tv media news online
    site pub press live app dev ai xyz top club blog world today space website tech
    store shop ly gl gd la fm am ws cc su museum aero coop jobs mobi travel asia cat
    tel post eus global digital agency network center studio report reviews review
    rocks one life link zone moscow berlin london wiki family legal
    рф рус укр бел срб қаз мон""".split()
)

_URL = re.compile(
    r"^(?P<scheme>https?):(?://)(?P<netloc>[^/?#]*)(?P<path>[^?#]*)"
    r"(?:\?(?P<query>[^#]*))?(?:#(?P<fragment>.*))?$",
    re.IGNORECASE | re.DOTALL,
)
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_PATH_SAFE = _UNRESERVED | frozenset("!$&'()*+,;=:@/")
_QUERY_SAFE = (_PATH_SAFE | frozenset("?")) - frozenset("&")
_PORT = re.compile(r"^[0-9]*\Z")
_ASCII_HOST = re.compile(r"^[a-z0-9._-]*\Z")
_HOST_PREFIXES = ("www.", "m.", "mobile.")

TRACKING_PARAMS = frozenset(
    """fbclid gclid dclid gclsrc msclkid igshid igsh mc_cid mc_eid ref_src ref_url
    _ga _gl yclid cmpid cmp ocid __cft__ __cft__[0] __tn__ mibextid smid smtyp
    wt.mc_id _hsenc _hsmi mkt_tok oly_enc_id oly_anon_id vero_id rb_clickid s_cid
    ns_mchannel ns_source ns_campaign ns_linkname ns_fee at_medium at_campaign
    reflink sfnsn""".split()
)
HOST_TRACKING_PARAMS: dict[str, frozenset[str]] = {
    "twitter.com": frozenset({"s", "t", "ref_src", "ref_url", "lang"}),
    "x.com": frozenset({"s", "t", "ref_src", "ref_url", "lang"}),
    "youtube.com": frozenset({"si", "feature", "ab_channel", "pp", "embeds_euri",
                              "embeds_referring_euri", "source_ve_path"}),
    "youtu.be": frozenset({"si", "feature"}),
    "t.me": frozenset({"single", "embed"}),
    "wsj.com": frozenset({"st", "mod"}),
    "facebook.com": frozenset({"mibextid", "rdid", "sfnsn", "__xts__[0]"}),
}


# ------------------------------------------------------------------ clean_url
@memoized  # pure: the same URL recurs across thousands of notes (and builds: memo.py)
def clean_url(text: str) -> str | None:
    """A usable absolute http(s) URL from a URL as written in a note, or None."""
    s = _unwrap(_NOTE_NUMBER.sub("", _strip_text(text)))
    s = _ENCODED_SPACE.sub("", s)
    while "&amp;" in s.lower():
        s = _AMP.sub("&", s)
    s = _strip_trailing(s)
    scheme, rest = _split_scheme(s)
    if scheme is None:
        rest = s.lstrip("/")
        if not _is_bare_host(rest):
            return None
        scheme = "https"
    return _assemble(scheme, rest)


def _strip_text(text: str) -> str:
    return _INVISIBLE.sub("", text).strip()


def _unwrap(s: str) -> str:
    while s and s[0] in _OPENERS:
        s = s[1:].lstrip()
    return s


def _strip_trailing(s: str) -> str:
    while s and s[-1] in _TRAILERS:
        last = s[-1]
        opener = _PAIRS.get(last)
        if opener and s.count(opener) >= s.count(last):
            break
        s = s[:-1].rstrip()
    return s


def _split_scheme(s: str) -> tuple[str | None, str]:
    """Repair ``ttps://``, ``http//``, ``hxxps://`` and doubled schemes."""
    scheme = None
    match = _SCHEME.match(s)
    while match:
        scheme = "https" if match.group(1).lower().endswith("s") else "http"
        s = s[match.end():].lstrip("/\\")
        match = _SCHEME.match(s)
    return scheme, s


def _is_bare_host(s: str) -> bool:
    match = _BARE_HOST.match(s)
    if not match:
        return False
    tld, host = match.group("tld"), match.group("host")
    if tld.lower() in _GENERIC_TLDS or tld.startswith("xn--"):
        return True
    return len(tld) == 2 and (tld.islower() or host.lower().startswith("www."))


def _assemble(scheme: str, rest: str) -> str | None:
    end = min([len(rest)] + [rest.find(sep) for sep in "/?#" if sep in rest])
    userinfo, at, hostport = rest[:end].rpartition("@")
    host, _, port = hostport.partition(":")
    if hostport.startswith("["):
        host, port = hostport, ""
    if port and not _PORT.match(port):
        return None
    if not (_HOST.match(host) or _IPV4.match(host) or host.startswith("[")):
        host = complete_host(host)
        if not host:
            return None
    netloc = f"{userinfo}{at}{host.lower()}" + (f":{port}" if port else "")
    tail = re.sub(r"\s", lambda m: _quote_char(m.group()), rest[end:])
    return f"{scheme}://{netloc}{tail}"


def complete_host(host: str) -> str:
    """A host whose last label lost letters (``meduza.i``), completed when exactly one
    publisher host of the table starts with it; else ""."""
    from briefgen.sources.publishers import PUBLISHERS

    bare = strip_host_prefix(host.lower())
    if "." not in bare or len(bare.rpartition(".")[2]) > 1:
        return ""
    found = [known for known in PUBLISHERS if known.startswith(bare) and known.count(".") == bare.count(".")]
    return host.lower()[: len(host) - len(bare)] + found[0] if len(found) == 1 else ""


def _quote_char(char: str) -> str:
    return "".join(f"%{b:02X}" for b in char.encode("utf-8", "surrogatepass"))


# -------------------------------------------------------------- normalize_url
@dataclass(frozen=True)
class UrlParts:
    """A canonical URL taken apart: host without ``www.``, normalised path and query."""

    host: str
    path: str
    query: str

    def params(self) -> list[tuple[str, str]]:
        pairs = [p.partition("=") for p in self.query.split("&") if p]
        return [(unquote(name), unquote(value)) for name, _, value in pairs]


@functools.lru_cache(maxsize=1 << 18)  # pure: the same URL recurs across thousands of notes
def normalize_url(url: str) -> str:
    """The canonical form of a URL for identity matching; idempotent, never raises.

    One pass is already idempotent for real URLs; the loop settles the odd
    malformed host (``http://: /``) whose first pass still changes on a second.
    """
    text = _normalize_once(url)
    for _ in range(8):
        again = _normalize_once(text)
        if again == text:
            break
        text = again
    return text


def _normalize_once(url: str) -> str:
    text = _strip_text(url)
    if text.startswith("//"):
        text = "https:" + text
    match = _URL.match(text)
    if not match:
        return text
    netloc = _normalize_netloc(match.group("netloc"))
    host = netloc.rpartition("@")[2]
    path = _normalize_percent(match.group("path"), _PATH_SAFE).rstrip("/")
    query = _normalize_query(match.group("query") or "", host.partition(":")[0])
    return f"https://{netloc}{path}" + (f"?{query}" if query else "")


def split_url(url: str) -> UrlParts:
    """Normalise ``url`` and take it apart (host is empty for non-URLs)."""
    match = _URL.match(normalize_url(url))
    if not match:
        return UrlParts("", "", "")
    host = match.group("netloc").rpartition("@")[2]
    if not host.startswith("["):
        host = host.partition(":")[0]
    return UrlParts(host, match.group("path"), match.group("query") or "")


def _normalize_netloc(netloc: str) -> str:
    userinfo, at, hostport = netloc.rpartition("@")
    return f"{userinfo}{at}{_normalize_hostport(hostport)}"


def _normalize_hostport(hostport: str) -> str:
    """Host and port; anything that is not ``host[:digits]`` is only lower-cased."""
    host, colon, port = hostport.partition(":")
    if hostport.startswith("[") or not _PORT.match(port):
        return hostport.lower()
    port = port.lstrip("0") or ("0" if port else "")
    port = "" if port in ("", "80", "443") else f":{port}"
    return _normalize_host(host) + port


def _normalize_host(host: str) -> str:
    host = _trim_host(host.lower())
    try:
        encoded = host.encode("idna").decode("ascii").lower()
    except (UnicodeError, ValueError):
        encoded = host
    if _ASCII_HOST.match(encoded):
        host = _trim_host(encoded)
    return strip_host_prefix(host)


def _trim_host(host: str) -> str:
    while True:
        trimmed = host.strip().rstrip(".")
        if trimmed == host:
            return host
        host = trimmed


def strip_host_prefix(host: str) -> str:
    """Drop ``www.``, ``m.`` and ``mobile.`` while a dotted host remains."""
    changed = True
    while changed:
        changed = False
        for prefix in _HOST_PREFIXES:
            rest = host[len(prefix):]
            if host.startswith(prefix) and "." in rest.strip("."):
                host, changed = rest, True
    return host


def _normalize_percent(text: str, safe: frozenset[str]) -> str:
    """Escapes in one case, unreserved characters unescaped, others escaped (characters
    that are already safe are left where they are, untouched)."""
    def repl(match: re.Match[str]) -> str:
        if match.group(1) is not None:
            byte = int(match.group(1), 16)
            char = chr(byte)
            return char if char in _UNRESERVED else f"%{byte:02X}"
        return _quote_char(match.group(2))

    return _unsafe_pattern(safe).sub(repl, text)


@functools.lru_cache(maxsize=8)
def _unsafe_pattern(safe: frozenset[str]) -> re.Pattern[str]:
    """An escape, or one character outside ``safe``."""
    return re.compile(r"%([0-9A-Fa-f]{2})|([^" + "".join(re.escape(c) for c in sorted(safe)) + "])", re.DOTALL)


def _normalize_query(query: str, host: str) -> str:
    dropped = _host_params(host)
    kept = []
    for param in query.split("&"):
        param = _normalize_percent(param, _QUERY_SAFE)
        name = unquote(param.partition("=")[0]).lower()
        if not param or name.startswith("utm_") or name in TRACKING_PARAMS or name in dropped:
            continue
        kept.append(param)
    return "&".join(sorted(kept))


def _host_params(host: str) -> frozenset[str]:
    for known, params in HOST_TRACKING_PARAMS.items():
        if host == known or host.endswith("." + known):
            return params
    return frozenset()
