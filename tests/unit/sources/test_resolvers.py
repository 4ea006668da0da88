"""Identity keys, inferred sources, site rules; the example brief and the real corpus."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen.diagnostics import Location
from briefgen.sources import resolvers
from briefgen.sources.identity import clean_url, normalize_url
from briefgen.sources.resolvers import (
    Inferred,
    Rule,
    date_from_path,
    identity_key,
    infer_source,
    parse_rules,
    title_from_path,
)

SHARED = Path(__file__).resolve().parents[3] / ".." / "shared"
ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")

# --------------------------------------------------------------- identities
SAME = [
    ("https://isw.pub/UkrWar052424",
     "https://www.understandingwar.org/backgrounder/russian-offensive-campaign-assessment-may-24-2024"),
    ("https://isw.pub/ukrwar052424",
     "https://understandingwar.org/research/russia-ukraine/russian-offensive-campaign-assessment-may-24-2024/"),
    ("http://isw.pub/UkrWar022823",
     "https://www.understandingwar.org/backgrounder/russian-offensive-campaign-assessment-february-28-2023"),
    ("https://isw.pub/UkrWar031422",
     "https://www.understandingwar.org/backgrounder/russian-offensive-campaign-assessment-march-14-0"),
    ("https://isw.pub/UkrWar01192023",
     "https://www.understandingwar.org/backgrounder/russian-offensive-campaign-assessment-january-19-2023"),
    ("https://isw.pub/RusCampaignAugust6",
     "https://www.understandingwar.org/backgrounder/russian-offensive-campaign-assessment-august6"),
    ("https://twitter.com/GeoConfirmed/status/1516793740580605962?s=20&t=Xyz",
     "https://x.com/geoconfirmed/status/1516793740580605962"),
    ("https://mobile.twitter.com/a/status/1516793740580605962/photo/1",
     "https://x.com/i/web/status/1516793740580605962"),
    ("https://twitter.com/#!/a/status/1516793740580605962", "https://x.com/b/statuses/1516793740580605962"),
    ("https://t.me/s/Rybar/42533", "https://t.me/rybar/42533?single"),
    ("https://t.me/rybar/42533/", "https://telegram.me/RYBAR/42533"),
    ("https://www.youtube.com/watch?v=BvRyoIAVhtk&ab_channel=X", "https://youtu.be/BvRyoIAVhtk?si=abc"),
    ("https://www.reuters.com/world/x-2024-05-24/", "http://reuters.com/world/x-2024-05-24?utm_source=tw"),
]

DIFFERENT = [
    ("https://isw.pub/UkrWar052424", "https://isw.pub/UkrWar052524"),
    ("https://isw.pub/UkrWar052424", "https://isw.pub/UkrWar052423"),
    ("https://t.me/rybar/42533", "https://t.me/rybar/42534"),
    ("https://example.com/Path", "https://example.com/path"),
    ("https://example.com/a?id=1", "https://example.com/a?id=2"),
]

KEYS = [
    ("https://isw.pub/UkrWar052424", "isw-assessment:2024-05-24"),
    ("https://isw.pub/UkrWar122722", "isw-assessment:2022-12-27"),
    ("https://www.understandingwar.org/backgrounder/russia-ukraine-warning-update-russian-offensive"
     "-campaign-assessment-february-26", "isw-assessment:2022-02-26"),
    ("https://isw.pub/InitialRusCampaignAssessment", "isw-assessment:2022-02-24"),
    ("https://twitter.com/u/status/0123", "twitter:status:123"),
    ("https://t.me/s/Rybar/42533", "telegram:rybar/42533"),
    ("https://t.me/Rybar", "telegram:rybar"),
    ("https://t.me/c/1234/56", "telegram:c/1234/56"),
    ("https://youtube.com/shorts/abcDEF123", "youtube:abcDEF123"),
    ("https://isw.pub/UkrWar1115422", "https://isw.pub/UkrWar1115422"),
    ("https://isw.pub/UkrWar023024", "https://isw.pub/UkrWar023024"),
    ("https://www.understandingwar.org/backgrounder/how-delays", "https://understandingwar.org/backgrounder/how-delays"),
]


@pytest.mark.parametrize("a, b", SAME)
def test_same_identity(a: str, b: str) -> None:
    assert identity_key(a) == identity_key(b)


@pytest.mark.parametrize("a, b", DIFFERENT)
def test_different_identity(a: str, b: str) -> None:
    assert identity_key(a) != identity_key(b)


@pytest.mark.parametrize("url, key", KEYS)
def test_identity_key(url: str, key: str) -> None:
    assert identity_key(url) == key


# --------------------------------------------------------------- inference
INFERRED = [
    ("https://www.reuters.com/world/europe/putin-wants-ukraine-ceasefire-current-frontlines-sources-say-2024-05-24/",
     "reuters-2024-05-24-putin-wants-ukraine-ceasefire-current-frontlines-sources-say",
     "Putin wants ukraine ceasefire current frontlines sources say", "Reuters", dt.date(2024, 5, 24), "news"),
    ("https://www.nytimes.com/2023/12/23/world/europe/putin-russia-ukraine-war-cease-fire.html",
     "the-new-york-times-2023-12-23-putin-russia-ukraine-war-cease-fire",
     "Putin russia ukraine war cease fire", "The New York Times", dt.date(2023, 12, 23), "news"),
    ("https://www.bloomberg.com/news/articles/2024-01-25/russia-ukraine-putin-signals-interest-in-discussing-end-to-war",
     "bloomberg-2024-01-25-russia-ukraine-putin-signals-interest-in-02ff5bce",
     "Russia ukraine putin signals interest in discussing end to war", "Bloomberg", dt.date(2024, 1, 25), "news"),
    ("https://isw.pub/UkrWar052424", "isw-assessment-2024-05-24",
     "Russian Offensive Campaign Assessment, May 24, 2024", "Institute for the Study of War",
     dt.date(2024, 5, 24), "assessment"),
    ("https://understandingwar.org/backgrounder/america%E2%80%99s-stark-choice-ukraine-and-cost-letting-russia-win",
     "isw-americas-stark-choice-ukraine-and-cost-letting-russia-win",
     "America’s stark choice ukraine and cost letting russia win", "Institute for the Study of War",
     None, "backgrounder"),
    ("https://www.understandingwar.org/report/putins-likely-courses-action-ukraine-part-2",
     "isw-putins-likely-courses-action-ukraine-part-2", "Putins likely courses action ukraine part 2",
     "Institute for the Study of War", None, "backgrounder"),
    ("https://treaties.un.org/doc/Publication/UNTS/Volume%203007/Part/volume-3007-I-52241.pdf",
     "united-nations-treaty-collection-volume-3007-i-52241", "Volume 3007 I 52241",
     "United Nations Treaty Collection", None, "document"),
    ("https://t.me/s/Rybar/42533?single", "telegram-rybar-42533", "@Rybar, post 42533", "Telegram", None, "social"),
    ("https://t.me/rybar", "telegram-rybar", "@rybar", "Telegram", None, "social"),
    ("https://twitter.com/GeoConfirmed/status/1516793740580605962?s=20&t=abc", "x-1516793740580605962",
     "@GeoConfirmed, post 1516793740580605962", "X (Twitter)", dt.date(2022, 4, 20), "social"),
    ("https://x.com/i/web/status/1516793740580605962", "x-1516793740580605962",
     "Post 1516793740580605962", "X (Twitter)", dt.date(2022, 4, 20), "social"),
    ("https://www.youtube.com/watch?v=BvRyoIAVhtk", "youtube-bvryoiavhtk", "YouTube video BvRyoIAVhtk",
     "YouTube", None, "social"),
    ("https://www.facebook.com/watch/?v=1826143157720490", "facebook-video-1826143157720490",
     "Facebook video 1826143157720490", "Facebook", None, "social"),
    ("https://www.facebook.com/GeneralStaff.ua/posts/5081837135190847", "facebook-generalstaff-ua-5081837135190847",
     "GeneralStaff.ua, post 5081837135190847", "General Staff of the Armed Forces of Ukraine", None, "social"),
    ("https://vk.com/wall-123_456", "vk-wall-123-456", "VK post -123_456", "VK", None, "social"),
    ("https://kremlin.ru/events/president/news/68000", "president-of-russia-events-president-news-68000",
     "News 68000", "President of Russia", None, "document"),
    ("https://edition.cnn.com/2022/03/01/europe/russia-ukraine-war-news/index.html",
     "cnn-2022-03-01-russia-ukraine-war-news", "Russia ukraine war news", "CNN", dt.date(2022, 3, 1), "news"),
    ("https://www.mod.gov.ua/news/zayava-ministra", "ministry-of-defence-of-ukraine-zayava-ministra",
     "Zayava ministra", "Ministry of Defence of Ukraine", None, "document"),
    ("https://sprotyv.mod.gov.ua/2022/10/10/okupanty-tikayut/",
     "ministry-of-defence-of-ukraine-2022-10-10-okupanty-tikayut", "Okupanty tikayut",
     "Ministry of Defence of Ukraine", dt.date(2022, 10, 10), "document"),
    ("https://www.president.gov.ua/news/zvernennya-prezidenta", "president-of-ukraine-zvernennya-prezidenta",
     "Zvernennya prezidenta", "President of Ukraine", None, "document"),
    ("https://dniprorada.gov.ua/novyny/some-news", "government-of-ukraine-dniprorada-gov-ua-some-news",
     "Some news", "Government of Ukraine (dniprorada.gov.ua)", None, "document"),
    ("https://www.svoboda.org/a/белорусские-дипломаты/31761208.html", "radio-svoboda-belorusskie-diplomaty",
     "Белорусские дипломаты", "Radio Svoboda", None, "news"),
    ("https://example.org/some/page-about-things", "example-org-page-about-things", "Page about things",
     "example.org", None, "other"),
    ("https://example.org/reports/Annual-Report.pdf", "example-org-annual-report", "Annual Report",
     "example.org", None, "document"),
]


@pytest.mark.parametrize("url, source_id, title, publisher, date, kind", INFERRED)
def test_infer_source(url, source_id, title, publisher, date, kind) -> None:
    inferred = infer_source(url)
    assert inferred == Inferred(identity_key(url), source_id, url, title, publisher, date, kind)


def test_same_key_gives_same_id_whatever_the_variant() -> None:
    variants = ["https://isw.pub/UkrWar052424",
                "https://www.understandingwar.org/backgrounder/russian-offensive-campaign-assessment-may-24-2024",
                "https://understandingwar.org/research/russia-ukraine/russian-offensive-campaign-assessment-may-24-2024/"]
    assert {infer_source(v).id for v in variants} == {"isw-assessment-2024-05-24"}
    assert [infer_source(v).url for v in variants] == variants


@pytest.mark.parametrize("path, date", [
    ("/world/europe/x-2024-05-24", dt.date(2024, 5, 24)),
    ("/2023/12/23/world/x.html", dt.date(2023, 12, 23)),
    ("/news/articles/2024-01-25/x", dt.date(2024, 1, 25)),
    ("/20220324/ukraina-1779881296.html", dt.date(2022, 3, 24)),
    ("/world/2022/apr/28/moldova", dt.date(2022, 4, 28)),
    ("/politics/04/11/2022/6364d0aa9a79477df1db334c", dt.date(2022, 11, 4)),
    ("/live-updates/ukraine-talks-03-14-2022", dt.date(2022, 3, 14)),
    ("/2024/05/story", None),
    ("/2024/13/45/x", None),
    ("/news/12345678", None),
])
def test_date_from_path(path: str, date: dt.date | None) -> None:
    assert date_from_path(path) == date


@pytest.mark.parametrize("path, title", [
    ("/world/x/putin-says-no-2024-05-24", "Putin says no"),
    ("/a/b/these-militiamen-were-foes/2020/06/25/c7ceff8c-affa-11ea-98b5-279a6479a1e4_story.html",
     "These militiamen were foes"),
    ("/rubric-ato/3636805-v-vsu-scitaut-informacionnoj.html", "V vsu scitaut informacionnoj"),
    ("/card/russia-lost-troops-nato-estimates-xyZjWxinMDHzdeRZvAeD", "Russia lost troops nato estimates"),
    ("/news/68000", ""),
])
def test_title_from_path(path: str, title: str) -> None:
    assert title_from_path(path) == title


@pytest.mark.parametrize("url, title", [
    ("https://ria.ru/20220731/sevastopol-1806192932.html", "Sevastopol"),
    ("https://tass.ru/politika/14061833", "Politika 14061833"),
    ("https://www.rbc.ru/rbcfreenews/628217db9a7947f89b776ab5", "Rbcfreenews 628217db9a7947f89b776ab5"),
    ("https://lenta.ru/news/2022/11/21/obstrelenergodara/", "Obstrelenergodara"),
    ("https://www.interfax.ru/amp/847820", "Article 847820"),
    ("https://example.org/2022/11/21/", "example.org/2022/11/21"),
])
def test_titles_of_addresses_without_a_readable_slug(url: str, title: str) -> None:
    assert infer_source(url).title == title


def test_infer_source_never_raises_on_nonsense() -> None:
    for text in ["", " ", "Ukraine.", "twitter:status:abc", "isw-assessment:garbage", "https://", "\x00"]:
        inferred = infer_source(text)
        assert ID.match(inferred.id) and len(inferred.id) <= 80


# -------------------------------------------------------------------- rules
def test_rules_override_table_for_host_and_subdomains() -> None:
    rules = (Rule("cnn.com", publisher="CNN International"), Rule("example.org", "Example", "news"),
             Rule("edition.cnn.com", kind="other"))
    cnn = infer_source("https://edition.cnn.com/2022/03/01/europe/russia-ukraine-war-news/index.html", rules)
    assert (cnn.publisher, cnn.kind) == ("CNN", "other")   # the most specific rule wins
    www = infer_source("https://www.cnn.com/2022/03/01/europe/russia-ukraine-war-news/index.html", rules)
    assert (www.publisher, www.kind, www.id) == (
        "CNN International", "news", "cnn-international-2022-03-01-russia-ukraine-war-news")
    sub = infer_source("https://news.example.org/a/big-story-here", rules)
    assert (sub.publisher, sub.kind) == ("Example", "news")


def test_parse_rules() -> None:
    where = Location("briefgen.yaml", 7, 1)
    data = [{"host": "www.Example.org", "publisher": "Example"}, {"host": "tass.com", "kind": "news"}]
    assert parse_rules(data, where) == ((Rule("example.org", "Example", ""), Rule("tass.com", "", "news")), [])
    assert parse_rules(None, where) == ((), [])


@pytest.mark.parametrize("data, message", [
    ("example.com", "resolvers must be a list of mappings"),
    (["example.com"], "resolvers item 1 is not a mapping"),
    ([{"publisher": "X"}], "resolvers item 1: missing or invalid host"),
    ([{"host": "a.com", "kind": "blog"}], "resolvers item 1: unknown kind 'blog'"),
    ([{"host": "a.com", "titel": "x"}], "resolvers item 1: unknown key 'titel'"),
])
def test_parse_rules_errors(data: object, message: str) -> None:
    where = Location("briefgen.yaml", 7, 1)
    rules, diagnostics = parse_rules(data, where)
    assert rules == ()
    assert [(d.code, d.severity, d.location, d.message) for d in diagnostics] == [
        ("config.resolvers", "error", where, message)]


# --------------------------------------------------------- example + corpus
def _shared(path: str) -> Path:
    target = SHARED / path
    if not target.exists():
        pytest.skip(f"{target} is not available")
    return target


def test_example_brief_has_39_distinct_sources() -> None:
    text = _shared("examples/isw-2024-05-24-negotiations.txt").read_text(encoding="utf-8")
    urls = re.findall(r"https?://[^\s;]+", text)
    assert len(urls) == 65
    assert len({identity_key(u) for u in urls}) == 39
    assert len({infer_source(u).id for u in urls}) == 39


def _corpus_tokens() -> list[str]:
    tokens = []
    for path in sorted(_shared("corpus").glob("*.txt")):
        lines = path.read_text(encoding="utf-8").splitlines()
        start = next((i for i, line in enumerate(lines) if line.startswith("[1]")), len(lines))
        for line in lines[start:]:
            tokens += [t for t in re.split(r"[\s;]+", line) if "http" in t or "." in t]
    return tokens


def test_corpus_urls_never_break_the_resolvers() -> None:
    tokens = _corpus_tokens()
    assert len(tokens) > 10000
    cleaned = 0
    for token in tokens:
        url = clean_url(token)
        cleaned += url is not None
        for text in {token, url or token}:
            assert normalize_url(normalize_url(text)) == normalize_url(text)
            identity_key(text)
            inferred = resolvers._infer(text, ())   # the real logic, not the safety net
            assert ID.match(inferred.id) and len(inferred.id) <= 80, (token, inferred)
    assert cleaned > 0.6 * len(tokens)


@settings(max_examples=300)
@given(st.text())
def test_identity_key_never_raises(text: str) -> None:
    assert isinstance(identity_key(text), str)
    inferred = infer_source(text)
    assert ID.match(inferred.id) and len(inferred.id) <= 80
