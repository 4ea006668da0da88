import datetime as dt

from briefgen.config import Config
from briefgen.model import Source
from briefgen import plan
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
                     "sources/index.html", "sources/index.json", "sources/r/index.html",
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


def test_a_source_views_citing_notes_are_made_when_first_read():
    site = site_of(make_brief("a", "2024-05-24", {1: [URL], 2: [URL]}), make_brief("b", "2024-05-24", {1: [URL]}))
    pages = plan_site(site)
    view = dict(next(p for p in pages if p.path == "sources/r/index.html").context)["view"]
    assert view.citing._made is None and view.count == 3 and view.citing._made is None   # a count makes nothing
    assert view.brief_count == 2 and view.citing._made is None       # two briefs: a cites it in two notes
    made = tuple(plan.Citing(site.briefs[0 if link.brief == site.briefs[0].slug else 1], link) for link in site.backlinks["r"])
    assert view.citing == made and tuple(view.citing) == made and view.citing[2] == made[2]
    assert [(c.brief.slug, c.backlink.note) for c in view.citing] == [("b", "1"), ("a", "1"), ("a", "2")]
    again = dict(next(p for p in plan_site(site) if p.path == "sources/r/index.html").context)["view"]
    assert again.citing == view.citing and again.citing is not view.citing
    made_view = plan.SourceView(view.source, made, None, "reuters", None, None, "", "")
    assert made_view.brief_count == 2                                  # citing made by hand, as a tuple
    brief = dict(next(p for p in pages if p.path == "briefs/a/index.html").context)["view"]
    assert [s.source.id for s in brief.new_sources] == ["r"]      # a's slug comes first on the same date


def test_safe_href_refuses_other_schemes():
    assert safe_href("javascript:alert(1)") == ""
    assert safe_href("data:text/html,x") == ""
    assert safe_href("https://example.org/a") == "https://example.org/a"


def test_paged_cuts_a_list_into_pages_of_rows_per_page(monkeypatch):
    monkeypatch.setattr(plan, "ROWS_PER_PAGE", 3)
    assert [(p.number, p.count, p.first, p.last, p.total, rows) for p, rows in plan.paged("s/", ())] == [(1, 1, 1, 0, 0, ())]
    cut = plan.paged("s/", tuple("abcdefg"))
    assert [rows for _, rows in cut] == [("a", "b", "c"), ("d", "e", "f"), ("g",)]
    assert [(p.first, p.last, p.count, p.total) for p, _ in cut] == [(1, 3, 3, 7), (4, 6, 3, 7), (7, 7, 3, 7)]
    pager = cut[1][0]
    assert (pager.href(1), pager.href(2), pager.path(3)) == ("s/", "s/page/2/", "s/page/3/index.html")
    assert [len(rows) for _, rows in plan.paged("s/", tuple("abcdef"))] == [3, 3]


def test_long_lists_are_planned_as_pages_of_the_same_rows(monkeypatch):
    monkeypatch.setattr(plan, "ROWS_PER_PAGE", 2)
    entries = [Source(f"s{n}", f"https://e.org/{n}", f"T{n}", ("Zed", "alpha")[n % 2], None, ("news", "Document")[n == 4])
               for n in range(5)]
    site, _ = resolve_site(Config(), [make_brief("a", "2024-05-24", {1: ["https://e.org/1"]})], entries)
    pages = {p.path: dict(p.context) for p in plan_site(site)}
    index = [pages[path] for path in ("sources/index.html", "sources/page/2/index.html", "sources/page/3/index.html")]
    assert "sources/page/4/index.html" not in pages
    assert tuple(row for page in index for row in page["sources"]) == pages["sources/index.json"]["sources"]
    assert [row.source.id for row in pages["sources/index.json"]["sources"]] == [f"s{n}" for n in range(5)]
    assert all(page["filters"] == index[0]["filters"] for page in index)
    assert index[0]["filters"].publishers == (("alpha", "alpha"), ("zed", "Zed"))     # by name, whatever its case
    assert index[0]["filters"].kinds == ("Document", "news")
    zed = [pages[path] for path in ("publishers/zed/index.html", "publishers/zed/page/2/index.html")]
    assert [[row.source.id for row in page["sources"]] for page in zed] == [["s0", "s2"], ["s4"]]
    assert zed[1]["view"].sources == zed[0]["view"].sources and zed[1]["pager"].number == 2
    assert "publishers/alpha/page/2/index.html" not in pages
