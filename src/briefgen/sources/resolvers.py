"""Built-in resolvers: the identity of a URL, and a source for a URL nobody registered.

``identity_key`` says when two URLs are the same source (ISW's daily
assessment under ``isw.pub`` and two ``understandingwar.org`` paths, a post
on twitter.com and x.com, ``t.me/s/...`` and ``t.me/...``).  ``infer_source``
makes a readable source from the URL alone: publisher from the host, date
and title from the path.  Ids depend on the identity key only.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import unquote

from briefgen.diagnostics import Diagnostic, Location, error
from briefgen.memo import memoized
from briefgen.model import SOURCE_KINDS
from briefgen.sources import publishers
from briefgen.sources.identity import UrlParts, normalize_url, split_url, strip_host_prefix
from briefgen.sources.titles import _PAGE_EXT, id_title, title_from_path  # noqa: F401 (title_from_path re-exported)
from briefgen.text import short_hash, slugify

ISW = publishers.ISW
MONTHS = {
    name: number
    for number, names in enumerate(
        ("january jan", "february feb", "march mar", "april apr", "may",
         "june jun", "july jul", "august aug", "september sept sep",
         "october oct", "november nov", "december dec"), start=1)
    for name in names.split()
}
_MONTH_NAMES = [""] + [n.split()[0].capitalize() for n in (
    "january february march april may june july august september october november december"
).split()]
_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))

_ISW_PUB = re.compile(
    r"^/(?:ukrwar|rus)(?P<m>[0-9]{2})(?P<d>[0-9]{2})(?P<y>[0-9]{2}|20[0-9]{2})$"
    rf"|^/ruscampaign(?P<month>{_MONTH_RE})(?P<day>[0-9]{{1,2}})$"
    r"|^/(?P<initial>initialruscampaignassessment)$",
    re.IGNORECASE,
)
_ISW_PAGE = re.compile(
    r"^/(?:backgrounder|research/russia-ukraine)/(?:russia-ukraine-warning-update-)?"
    rf"russian-(?:offensive-)?campaign-assessment-(?P<month>{_MONTH_RE})-?(?P<day>[0-9]{{1,2}})"
    r"(?:-(?P<year>20[0-9]{2}))?(?:-[0-9])?$"
    r"|^/backgrounder/russia-ukraine-warning-update-(?P<initial>initial)-russian-offensive-"
    r"campaign-assessment$",
    re.IGNORECASE,
)
_TWITTER_HOSTS = frozenset({"twitter.com", "x.com", "fxtwitter.com", "vxtwitter.com", "fixupx.com"})
_TWEET = re.compile(
    r"^/(?:i/web|i|(?P<user>[A-Za-z0-9_]+))/status(?:es)?/(?P<id>[0-9]+)(?:/.*)?$"
)
_TELEGRAM_HOSTS = frozenset({"t.me", "telegram.me"})
_TELEGRAM = re.compile(
    r"^/(?:s/)?(?P<channel>c/[0-9]+|[A-Za-z][A-Za-z0-9_]{2,63})(?:/(?P<post>[0-9]+))?(?:/[0-9]+)?$"
)
_TELEGRAM_KEY = re.compile(r"^(?:c/[0-9]+|[^/]+)/[0-9]+\Z")
_YOUTUBE_PATH = re.compile(r"^/(?:shorts|embed|live|v)/(?P<id>[A-Za-z0-9_-]{6,})\Z")
_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{6,}\Z")
_DOC_EXT = re.compile(r"\.(?:pdf|docx?|xlsx?|pptx?|odt|rtf)$", re.IGNORECASE)
_DATE_PATTERNS = (
    (re.compile(r"/(?P<y>[0-9]{4})/(?P<m>[0-9]{1,2})/(?P<d>[0-9]{1,2})(?:/|$)"), "ymd"),
    (re.compile(rf"/(?P<y>[0-9]{{4}})/(?P<m>{_MONTH_RE})/(?P<d>[0-9]{{1,2}})(?:/|$)", re.I), "ymd"),
    (re.compile(r"(?:^|[/_-])(?P<y>[0-9]{4})-(?P<m>[0-9]{2})-(?P<d>[0-9]{2})(?=[/_.-]|$)"), "ymd"),
    (re.compile(r"/(?P<y>(?:19|20)[0-9]{2})(?P<m>[0-9]{2})(?P<d>[0-9]{2})(?=/|$|[-_.])"), "ymd"),
    (re.compile(r"/(?P<d>[0-9]{1,2})/(?P<m>[0-9]{1,2})/(?P<y>[0-9]{4})(?:/|$)"), "dmy"),
    (re.compile(r"-(?P<m>[0-9]{2})-(?P<d>[0-9]{2})-(?P<y>[0-9]{4})(?=[/.#]|$)"), "mdy"),
)
_TWITTER_EPOCH_MS = 1288834974657
_CYRILLIC = ("а a б b в v г g ґ g д d е e ё e є ye ж zh з z и i і i ї yi й y к k л l м m н n "
             "о o п p р r с s т t у u ф f х kh ц ts ч ch ш sh щ shch ъ _ ы y ь _ э e ю yu я ya")
_TRANSLIT = {
    ord(cyr): lat.strip("_")
    for cyr, lat in zip(_CYRILLIC.split()[::2], _CYRILLIC.split()[1::2])
} | {
    ord(cyr.upper()): lat.strip("_").capitalize()
    for cyr, lat in zip(_CYRILLIC.split()[::2], _CYRILLIC.split()[1::2])
}


@dataclass(frozen=True)
class Inferred:
    """A source made from a URL alone."""

    key: str
    id: str
    url: str
    title: str
    publisher: str
    date: dt.date | None
    kind: str


@dataclass(frozen=True)
class Rule:
    """A site rule from ``briefgen.yaml``: publisher and kind for a host and its subdomains."""

    host: str
    publisher: str = ""
    kind: str = ""


# ----------------------------------------------------------------- identity
@memoized  # pure: the same URL recurs across thousands of notes (and builds: memo.py)
def identity_key(url: str) -> str:
    """Equal keys mean the same source; usually the canonical URL."""
    return _special_key(split_url(_unhashbang(url))) or normalize_url(_unhashbang(url))


def _special_key(parts: UrlParts) -> str:
    isw = _isw_date(parts)
    if isw is not None:
        return f"isw-assessment:{isw.isoformat()}"
    return _tweet_key(parts) or _telegram_key(parts) or _youtube_key(parts)


def _unhashbang(url: str) -> str:
    """``twitter.com/#!/user/status/1`` is ``twitter.com/user/status/1``."""
    return url.replace("/#!/", "/", 1) if "twitter.com/#!/" in url.lower() else url


def _isw_date(parts: UrlParts) -> dt.date | None:
    if parts.host == "isw.pub":
        match = _ISW_PUB.match(parts.path)
    elif parts.host == "understandingwar.org":
        match = _ISW_PAGE.match(parts.path)
    else:
        return None
    if not match:
        return None
    if match.group("initial"):
        return dt.date(2022, 2, 24)
    groups = match.groupdict()
    if groups.get("m"):
        year = int(groups["y"]) + (2000 if len(groups["y"]) == 2 else 0)
        return _date(year, int(groups["m"]), int(groups["d"]))
    year = int(groups.get("year") or 2022)   # ISW's undated paths are all from 2022
    return _date(year, MONTHS[groups["month"].lower()], int(groups["day"]))


def _tweet_key(parts: UrlParts) -> str:
    match = _TWEET.match(parts.path) if parts.host in _TWITTER_HOSTS else None
    return f"twitter:status:{_number(match.group('id'))}" if match else ""


def _telegram_key(parts: UrlParts) -> str:
    match = _TELEGRAM.match(parts.path) if parts.host in _TELEGRAM_HOSTS else None
    if not match:
        return ""
    channel, post = match.group("channel").lower(), match.group("post")
    return f"telegram:{channel}/{_number(post)}" if post else f"telegram:{channel}"


def _number(digits: str) -> str:
    return digits.lstrip("0") or "0"


def _youtube_key(parts: UrlParts) -> str:
    video = ""
    if parts.host == "youtu.be":
        video = parts.path.strip("/")
    elif parts.host in ("youtube.com", "music.youtube.com", "youtube-nocookie.com"):
        match = _YOUTUBE_PATH.match(parts.path)
        video = match.group("id") if match else ""
        if parts.path == "/watch":
            video = dict(parts.params()).get("v", "")
    return f"youtube:{video}" if _YOUTUBE_ID.match(video) else ""


def _date(year: int, month: int, day: int) -> dt.date | None:
    if not 1990 <= year <= 2100:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


# ----------------------------------------------------------------- inference
def infer_source(url: str, rules: tuple[Rule, ...] = ()) -> Inferred:
    """A source for a URL with no registry entry; never raises."""
    return _inferred((url, rules))


@memoized  # pure: a site's inferred sources are the same from one build to the next (memo.py)
def _inferred(argument: tuple[str, tuple[Rule, ...]]) -> Inferred:
    url, rules = argument
    try:
        return _infer(url, rules)
    except Exception:  # noqa: BLE001 - a strange URL must still give a source
        text = url.strip() or "(empty)"
        return Inferred(text, "x-" + short_hash(text), url, text, "", None, "other")


def _infer(url: str, rules: tuple[Rule, ...]) -> Inferred:
    parts = split_url(_unhashbang(url))
    special = _special_key(parts)
    key = special or normalize_url(_unhashbang(url))
    if special:
        fields = _infer_special(special, parts)
    else:
        fields = _infer_social(key) or _infer_web(key, rules)
    title, publisher, date, kind, source_id = fields
    rule = _match_rule(parts.host, rules)
    if rule:
        publisher, kind = rule.publisher or publisher, rule.kind or kind
    return Inferred(key, slugify(source_id.translate(_TRANSLIT)), url, title, publisher, date, kind)


Fields = tuple[str, str, "dt.date | None", str, str]   # title, publisher, date, kind, id


def _infer_special(key: str, parts: UrlParts) -> Fields:
    scheme, _, rest = key.partition(":")
    if scheme == "isw-assessment":
        date = dt.date.fromisoformat(rest)
        title = f"Russian Offensive Campaign Assessment, {_long_date(date)}"
        return title, ISW, date, "assessment", f"isw-assessment-{rest}"
    if scheme == "twitter":
        return _infer_tweet(rest.rpartition(":")[2], parts)
    if scheme == "telegram":
        return _infer_telegram(rest, parts)
    return f"YouTube video {rest}", "YouTube", None, "social", f"youtube-{rest}"


def _long_date(date: dt.date) -> str:
    return f"{_MONTH_NAMES[date.month]} {date.day}, {date.year}"


def _infer_tweet(status: str, parts: UrlParts) -> Fields:
    match = _TWEET.match(parts.path)
    user = match.group("user") if match else None
    title = f"@{user}, post {status}" if user else f"Post {status}"
    publisher = _account(parts.host, user or "") or "X (Twitter)"
    return title, publisher, _snowflake_date(status), "social", f"x-{status}"


def _snowflake_date(status: str) -> dt.date | None:
    """Post ids since November 2010 carry their creation time."""
    if not 11 <= len(status) <= 20 or int(status) < 2**35:
        return None
    stamp = (int(status) >> 22) + _TWITTER_EPOCH_MS
    return dt.datetime.fromtimestamp(stamp / 1000, dt.timezone.utc).date()


def _infer_telegram(rest: str, parts: UrlParts) -> Fields:
    channel_key, _, post = rest.rpartition("/") if _TELEGRAM_KEY.match(rest) else (rest, "", "")
    match = _TELEGRAM.match(parts.path)
    channel = match.group("channel") if match else channel_key
    name = f"Channel {channel[2:]}" if channel.startswith("c/") else f"@{channel}"
    title = f"{name}, post {post}" if post else name
    publisher = _account("t.me", channel) or "Telegram"
    return title, publisher, None, "social", f"telegram-{channel_key}-{post}".rstrip("-")


def _account(host: str, account: str) -> str:
    host = "twitter.com" if host in _TWITTER_HOSTS else host
    return publishers.ACCOUNTS.get(f"{host}/{account.lower()}", "")


def _infer_social(key: str) -> Fields | None:
    parts = split_url(key)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    for host, pattern, title, source_id in publishers.SOCIAL_POSTS:
        if parts.host != host and not parts.host.endswith("." + host):
            continue
        match = re.match(pattern, target)
        if match:
            values = {k: unquote(v) for k, v in match.groupdict().items() if v is not None}
            short = {k: v if len(v) <= 24 else v[:20] + "…" for k, v in values.items()}
            account = _account(host, values.get("a", ""))
            publisher = account or (publishers.lookup(host) or (host, ""))[0]
            return title.format(**short), publisher, None, "social", source_id.format(**values)
    return None


def _infer_web(key: str, rules: tuple[Rule, ...]) -> Fields:
    parts = split_url(key)
    if not parts.host:
        return key or "(no URL)", "", None, "other", key or "no-url"
    path = unquote(parts.path, errors="replace")
    publisher, kind = publishers.lookup(parts.host) or (display_host(parts.host), "other")
    rule = _match_rule(parts.host, rules)
    if rule:
        publisher, kind = rule.publisher or publisher, rule.kind or kind
    document = bool(_DOC_EXT.search(path))
    kind = "document" if document and kind in ("news", "other", "backgrounder") else kind
    date = date_from_path(path)
    if publisher == ISW:
        return _infer_isw_page(parts, path, kind, date)
    title = title_from_path(path, keep_numbers=document)
    tail = title or unquote(_fallback_tail(parts), errors="replace")
    stamp = date.isoformat() if date else ""
    source_id = "-".join(p for p in (id_part(publisher), stamp, id_part(tail)) if p)
    return title or id_title(path) or _fallback_title(parts, path), publisher, date, kind, source_id


def _infer_isw_page(parts: UrlParts, path: str, kind: str, date: dt.date | None) -> Fields:
    title = title_from_path(path, keep_numbers=True)
    last = _PAGE_EXT.sub("", path.rstrip("/").rpartition("/")[2])
    return title or _fallback_title(parts, path), ISW, date, kind, f"isw-{last or 'home'}"


def id_part(text: str) -> str:
    """A slug for part of an id, with Cyrillic spelled in Latin letters."""
    return slugify(text.translate(_TRANSLIT), max_length=200)


def _fallback_title(parts: UrlParts, path: str) -> str:
    query = unquote(parts.query, errors="replace")
    return f"{display_host(parts.host)}{path}" + (f"?{query}" if query else "")


def display_host(host: str) -> str:
    """A host as readers know it: ``xn--`` labels shown in their own script."""
    if "xn--" not in host:
        return host
    try:
        return host.encode("ascii").decode("idna")
    except (UnicodeError, ValueError):
        return host


def _fallback_tail(parts: UrlParts) -> str:
    tail = f"{parts.path}-{parts.query}".strip("/-")
    return tail or "home"


def _match_rule(host: str, rules: tuple[Rule, ...]) -> Rule | None:
    matching = [r for r in rules if host == r.host or host.endswith("." + r.host)]
    return max(matching, key=lambda r: len(r.host)) if matching else None


# -------------------------------------------------------------------- dates
def date_from_path(path: str) -> dt.date | None:
    """The publication date written in a URL path, when day, month and year are all there."""
    for pattern, _order in _DATE_PATTERNS:
        for match in pattern.finditer(path):
            month = match.group("m")
            number = MONTHS.get(month.lower()) if month.isalpha() else int(month)
            date = _date(int(match.group("y")), number or 0, int(match.group("d")))
            if date:
                return date
    return None


# -------------------------------------------------------------------- rules
_RULE_KEYS = ("host", "publisher", "kind")
_RULE_HOST = re.compile(r"^(?:[a-z0-9-]+\.)*[a-z0-9-]+\Z")


def parse_rules(data: object, location: Location) -> tuple[tuple[Rule, ...], list[Diagnostic]]:
    """Site rules from the ``resolvers:`` list of ``briefgen.yaml``."""
    if data is None:
        return (), []
    if not isinstance(data, list):
        return (), [error("config.resolvers", location, "resolvers must be a list of mappings",
                          "write '- host: example.com' items with publisher and kind")]
    rules, diagnostics = [], []
    for index, item in enumerate(data, start=1):
        rule, problems = _parse_rule(item, index, location)
        diagnostics += problems
        if rule:
            rules.append(rule)
    return tuple(rules), diagnostics


def _parse_rule(item: object, index: int, location: Location) -> tuple[Rule | None, list[Diagnostic]]:
    where = f"resolvers item {index}"
    if not isinstance(item, dict):
        return None, [error("config.resolvers", location, f"{where} is not a mapping",
                            "write 'host: example.com' with publisher and/or kind")]
    problems = [error("config.resolvers", location, f"{where}: unknown key '{k}'",
                      f"allowed keys: {', '.join(_RULE_KEYS)}") for k in item if k not in _RULE_KEYS]
    host = strip_host_prefix(str(item.get("host") or "").strip().lower().rstrip("."))
    host = re.sub(r"^[a-z]+://", "", host).split("/")[0]
    if not _RULE_HOST.match(host):
        problems.append(error("config.resolvers", location, f"{where}: missing or invalid host",
                              "write a host name such as 'example.com'"))
    kind = str(item.get("kind") or "")
    if kind and kind not in SOURCE_KINDS:
        problems.append(error("config.resolvers", location, f"{where}: unknown kind '{kind}'",
                              f"use one of: {', '.join(SOURCE_KINDS)}"))
    if problems:
        return None, problems
    return Rule(host, str(item.get("publisher") or "").strip(), kind), []
