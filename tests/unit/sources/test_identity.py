"""URL repair (clean_url) and canonical form (normalize_url)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen.sources.identity import clean_url, normalize_url, split_url

CLEAN_CASES = [
    ("https://example.com/a", "https://example.com/a"),
    ("  https://example.com/a\u00a0", "https://example.com/a"),
    ("\u200bhttps://example.com/a\u200d", "https://example.com/a"),
    ("<https://example.com/a>", "https://example.com/a"),
    ("https://example.com/a.", "https://example.com/a"),
    ("https://example.com/a),", "https://example.com/a"),
    ("https://example.com/a;", "https://example.com/a"),
    ("https://example.com/a”", "https://example.com/a"),
    ("“https://example.com/a’", "https://example.com/a"),
    ("https://example.com/forbes-says...", "https://example.com/forbes-says"),
    ("https://en.wikipedia.org/wiki/Foo_(bar)", "https://en.wikipedia.org/wiki/Foo_(bar)"),
    ("(https://en.wikipedia.org/wiki/Foo_(bar))", "https://en.wikipedia.org/wiki/Foo_(bar)"),
    ("ttps://t.me/rybar/1", "https://t.me/rybar/1"),
    ("htps://t.me/rybar/1", "https://t.me/rybar/1"),
    ("http//example.com/x", "http://example.com/x"),
    ("https//example.com/x", "https://example.com/x"),
    ("hxxps://example.com/x", "https://example.com/x"),
    ("HTTPS://Example.COM/Path", "https://example.com/Path"),
    ("ttps://http://www.facebook.com/x", "http://www.facebook.com/x"),
    ("www.example.com/x", "https://www.example.com/x"),
    ("t.me/foo/1", "https://t.me/foo/1"),
    ("kremlin.ru/events/president/news/68000", "https://kremlin.ru/events/president/news/68000"),
    ("Facebook.com/GeneralStaff.ua/posts/1", "https://facebook.com/GeneralStaff.ua/posts/1"),
    ("президент.рф/news", "https://президент.рф/news"),
    ("https://a.com/x?a=1&amp;b=2", "https://a.com/x?a=1&b=2"),
    ("%C2%A0https://t.me/izvestia/99588", "https://t.me/izvestia/99588"),
    ("%20https://t.me/rybar/42533", "https://t.me/rybar/42533"),
    ("[10]https://t.me/rybar/42533", "https://t.me/rybar/42533"),
    (".../www.facebook.com/x/posts/3.", "https://www.facebook.com/x/posts/3"),
    ("https://example.com/a b", "https://example.com/a%20b"),
]

NOT_URLS = [
    "", "   ", "Ukraine.", "U.S.", "e.g.", "i.e.", "2022.pdf", "Kherson.The", "tass dot ru",
    "javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,<script>", "mailto:a@b.com",
    "ftp://example.com/file", "https://zakon.rada.gov(dot)ua/laws", "https://", "@reuters-2024",
]


@pytest.mark.parametrize("text, expected", CLEAN_CASES)
def test_clean_url(text: str, expected: str) -> None:
    assert clean_url(text) == expected


@pytest.mark.parametrize("text", NOT_URLS)
def test_clean_url_rejects(text: str) -> None:
    assert clean_url(text) is None


NORMALIZE_CASES = [
    ("http://example.com/a", "https://example.com/a"),
    ("HTTPS://EXAMPLE.COM/Path", "https://example.com/Path"),
    ("https://www.example.com/a", "https://example.com/a"),
    ("https://m.example.com/a", "https://example.com/a"),
    ("https://mobile.twitter.com/a", "https://twitter.com/a"),
    ("https://www.www.example.com/a", "https://example.com/a"),
    ("https://www.com/a", "https://www.com/a"),
    ("https://example.com:443/a", "https://example.com/a"),
    ("http://example.com:80/a", "https://example.com/a"),
    ("https://example.com:8080/a", "https://example.com:8080/a"),
    ("https://example.com./a", "https://example.com/a"),
    ("https://example.com/a/", "https://example.com/a"),
    ("https://example.com/", "https://example.com"),
    ("https://example.com", "https://example.com"),
    ("https://example.com//a//b", "https://example.com//a//b"),
    ("https://example.com/a#section", "https://example.com/a"),
    ("https://example.com/a?utm_source=x&utm_medium=y", "https://example.com/a"),
    ("https://example.com/a?b=2&a=1", "https://example.com/a?a=1&b=2"),
    ("https://example.com/a?id=5&fbclid=abc&gclid=d", "https://example.com/a?id=5"),
    ("https://example.com/a?", "https://example.com/a"),
    ("https://example.com/a?&&x=1", "https://example.com/a?x=1"),
    ("https://example.com/%7euser/%41", "https://example.com/~user/A"),
    ("https://example.com/a%2fb", "https://example.com/a%2Fb"),
    ("https://example.com/a%2Fb/", "https://example.com/a%2Fb"),
    ("https://example.com/новости", "https://example.com/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8"),
    ("https://example.com/%d0%bd%d0%be%d0%b2%d0%be%d1%81%d1%82%d0%b8",
     "https://example.com/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8"),
    ("https://example.com/a b", "https://example.com/a%20b"),
    ("https://example.com/100%", "https://example.com/100%25"),
    ("https://президент.рф/news", "https://xn--d1abbgf6aiiy.xn--p1ai/news"),
    ("https://twitter.com/u/status/1?s=20&t=AbC", "https://twitter.com/u/status/1"),
    ("https://x.com/u/status/1?s=46", "https://x.com/u/status/1"),
    ("https://example.com/a?s=20&t=5", "https://example.com/a?s=20&t=5"),
    ("https://youtu.be/abcdefgh?si=xyz", "https://youtu.be/abcdefgh"),
    ("https://www.youtube.com/watch?v=abc&feature=share", "https://youtube.com/watch?v=abc"),
    ("https://www.theguardian.com/a?CMP=share_btn_tw", "https://theguardian.com/a"),
    ("https://www.facebook.com/p/posts/1?__cft__[0]=AZ&__tn__=%2CO", "https://facebook.com/p/posts/1"),
    ("https://example.com/Path/CASE", "https://example.com/Path/CASE"),
    ("  https://example.com/a\u00a0", "https://example.com/a"),
    ("//example.com/a", "https://example.com/a"),
    ("not a url", "not a url"),
    ("mailto:a@b.com", "mailto:a@b.com"),
]


@pytest.mark.parametrize("url, expected", NORMALIZE_CASES)
def test_normalize_url(url: str, expected: str) -> None:
    assert normalize_url(url) == expected
    assert normalize_url(expected) == expected


def test_cyrillic_and_percent_encoded_are_equal() -> None:
    raw = "https://www.svoboda.org/a/белорусские-дипломаты/31761208.html"
    encoded = ("https://svoboda.org/a/%D0%B1%D0%B5%D0%BB%D0%BE%D1%80%D1%83%D1%81%D1%81%D0%BA"
               "%D0%B8%D0%B5-%D0%B4%D0%B8%D0%BF%D0%BB%D0%BE%D0%BC%D0%B0%D1%82%D1%8B/31761208.html")
    assert normalize_url(raw) == normalize_url(encoded.lower().replace("https://", "http://www."))


def test_split_url() -> None:
    parts = split_url("https://www.Example.com:8080/a/?b=2&a=1#x")
    assert (parts.host, parts.path, parts.query) == ("example.com", "/a", "a=1&b=2")
    assert parts.params() == [("a", "1"), ("b", "2")]
    assert split_url("nonsense").host == ""


# ------------------------------------------------------------------ properties
_HOSTS = st.sampled_from([
    "example.com", "www.example.com", "WWW.Example.COM", "t.me", "twitter.com", "x.com",
    "mobile.twitter.com", "isw.pub", "www.understandingwar.org", "youtube.com", "youtu.be",
    "m.facebook.com", "президент.рф", "www.", "m.m", "a..b", "[::1]", "xn--d1abbgf6aiiy.xn--p1ai",
])
_LABELS = st.lists(st.text(min_size=1, max_size=8), min_size=1, max_size=4).map(".".join)
_SEGMENT = st.one_of(
    st.text(max_size=10),
    st.sampled_from(["%41", "%2f", "%e2%80%99", "%", "%zz", "%C2%A0", "status", "s", "UkrWar052424",
                     "backgrounder", "russian-offensive-campaign-assessment-may-24-2024", "watch"]),
)
_PARAM = st.tuples(
    st.one_of(st.text(max_size=5), st.sampled_from(["utm_source", "s", "t", "v", "si", "fbclid", "a"])),
    st.text(max_size=5),
).map(lambda kv: f"{kv[0]}={kv[1]}")
URLS = st.builds(
    lambda scheme, host, port, path, query, fragment: (
        f"{scheme}{host}{port}/{'/'.join(path)}" + (f"?{'&'.join(query)}" if query else "") + fragment
    ),
    st.sampled_from(["http://", "https://", "HTTPS://", "//", "ttps://", "hxxps://", "", " https://"]),
    st.one_of(_HOSTS, _LABELS),
    st.sampled_from(["", ":80", ":443", ":8080", ":0443", ":", ":x"]),
    st.lists(_SEGMENT, max_size=5),
    st.lists(_PARAM, max_size=4),
    st.one_of(st.just(""), st.text(max_size=6).map(lambda f: "#" + f)),
)


@settings(max_examples=300)
@given(st.text())
def test_normalize_is_idempotent_on_any_text(text: str) -> None:
    once = normalize_url(text)
    assert normalize_url(once) == once


@settings(max_examples=300)
@given(URLS)
def test_normalize_is_idempotent_on_urls(url: str) -> None:
    once = normalize_url(url)
    assert normalize_url(once) == once
    if url.lower().startswith(("http://", "https://")):
        assert once.startswith("https://")


@settings(max_examples=300)
@given(st.one_of(URLS, st.text()))
def test_clean_url_gives_http_or_none(text: str) -> None:
    cleaned = clean_url(text)
    assert cleaned is None or cleaned.startswith(("http://", "https://"))
    if cleaned is not None:
        assert clean_url(cleaned) == cleaned
