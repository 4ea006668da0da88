import datetime as dt

from briefgen.config import Config
from briefgen.model import Source
from briefgen.plan import plan_site, safe_href
from briefgen.resolve import resolve_site
from tests.support.factories import make_brief

URL = "https://www.reuters.com/world/a-2024-05-24/"


def site_of(*briefs, base_url=""):
    entry = Source("r", URL, "T", "Reuters", dt.date(2024, 5, 24), "news")
    site, _ = resolve_site(Config(base_url=base_url), list(briefs), [entry])
    return site


def test_pages_of_a_site():
    site = site_of(make_brief("a", "2024-05-24", {1: [URL, "ISW cannot confirm this."]}), base_url="https://e.org/")
    paths = [p.path for p in plan_site(site)]
    assert paths == ["index.html", "briefs/a/index.html",
                     "briefs/a/cite.bib", "briefs/a/sources.bib", "briefs/a/cite.ris", "briefs/a/sources.ris",
                     "briefs/a/cite.json", "briefs/a/sources.json",
                     "sources/index.html", "sources/r/index.html",
                     "publishers/index.html", "publishers/reuters/index.html", "search/index.html", "404.html",
                     "feed.xml", "sitemap.xml"]


def test_no_feed_without_base_url():
    site = site_of(make_brief("a", "2024-05-24", {1: [URL]}))
    assert "feed.xml" not in [p.path for p in plan_site(site)]


def test_note_items_keep_reading_order_and_link_sources():
    site = site_of(make_brief("a", "2024-05-24", {1: ["See", URL, "@missing"]}))
    brief_page = next(p for p in plan_site(site) if p.template == "brief.html")
    (note,) = dict(brief_page.context)["view"].notes
    kinds = [(i.kind, i.source.id if i.source else None, i.href) for i in note.items]
    assert kinds == [("text", None, ""), ("source", "r", URL), ("source", None, "")]
    assert [r.anchor for r in note.references] == ["ref-1-1"]


def test_source_view_has_first_and_last_cited():
    site = site_of(make_brief("a", "2024-05-24", {1: [URL]}), make_brief("b", "2024-06-01", {1: [URL]}))
    page = next(p for p in plan_site(site) if p.path == "sources/r/index.html")
    view = dict(page.context)["view"]
    assert (view.first_cited, view.last_cited, view.count) == (dt.date(2024, 5, 24), dt.date(2024, 6, 1), 2)
    assert [c.brief.slug for c in view.citing] == ["b", "a"]


def test_safe_href_refuses_other_schemes():
    assert safe_href("javascript:alert(1)") == ""
    assert safe_href("data:text/html,x") == ""
    assert safe_href("https://example.org/a") == "https://example.org/a"
