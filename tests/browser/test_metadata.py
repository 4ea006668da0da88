"""Machine-readable metadata of the example site: feed, sitemap, canonical URLs, Open Graph,
JSON-LD and Highwire tags (read from the built files; no browser needed)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

BRIEF = "briefs/2024-05-24-negotiations/index.html"
URL = "https://briefs.example.org/briefs/2024-05-24-negotiations/"
ATOM = "{http://www.w3.org/2005/Atom}"


def metas(html: str, attr: str, name: str) -> list[str]:
    return re.findall(rf'<meta {attr}="{re.escape(name)}" content="([^"]*)">', html)


def test_atom_feed_is_well_formed_with_required_elements(example_built):
    feed = ET.parse(example_built / "feed.xml").getroot()
    assert feed.tag == ATOM + "feed"
    assert [feed.find(ATOM + t) is not None for t in ("id", "title", "updated")] == [True, True, True]
    [entry] = feed.findall(ATOM + "entry")
    assert entry.find(ATOM + "id").text == URL
    assert len(entry.findall(ATOM + "author")) == 5
    assert entry.find(ATOM + "updated").text == "2024-05-24T00:00:00Z"


def test_sitemap_lists_every_page_with_absolute_urls(example_built):
    root = ET.parse(example_built / "sitemap.xml").getroot()
    locs = [e.text for e in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    pages = sorted(p.relative_to(example_built).as_posix() for p in example_built.rglob("index.html"))
    assert len(locs) == len(pages) == 49
    assert URL in locs and "https://briefs.example.org/search/" in locs
    assert all(loc.startswith("https://briefs.example.org/") for loc in locs)


def test_brief_has_canonical_open_graph_and_highwire_tags(example_built):
    html = (example_built / BRIEF).read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{URL}">' in html
    assert metas(html, "property", "og:url") == [URL]
    assert metas(html, "property", "og:type") == ["article"]
    assert metas(html, "name", "citation_title") == ["Why Putin Remains Uninterested in Meaningful Negotiations with Ukraine"]
    assert metas(html, "name", "citation_author")[0] == "Riley Bailey"
    assert len(metas(html, "name", "citation_author")) == 5
    assert metas(html, "name", "citation_publication_date") == ["2024/05/24"]
    references = metas(html, "name", "citation_reference")
    assert len(references) == 39
    assert references[0].startswith("citation_title=Putin wants Ukraine ceasefire on current frontlines, sources say; "
                                    "citation_publisher=Reuters; citation_publication_date=2024/05/24; citation_url=https://")


def test_brief_json_ld_is_a_report_citing_each_source(example_built):
    html = (example_built / BRIEF).read_text(encoding="utf-8")
    [block] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(block)
    assert (data["@context"], data["@type"], data["url"], data["datePublished"]) == (
        "https://schema.org", "Report", URL, "2024-05-24")
    assert [a["name"] for a in data["author"]][-1] == "Frederick W. Kagan"
    assert len(data["citation"]) == 39
    assert data["citation"][0]["publisher"] == {"@type": "Organization", "name": "Reuters"}


def test_brief_lists_cite_files_and_new_sources(example_built):
    html = (example_built / BRIEF).read_text(encoding="utf-8")
    for name in ("cite.bib", "cite.ris", "cite.json", "sources.bib", "sources.ris", "sources.json"):
        assert f'href="{name}"' in html and (example_built / "briefs/2024-05-24-negotiations" / name).is_file()
    assert "This brief cites 39 sources from 5 publishers;\n39 are new to this site." in html


def test_no_page_loads_anything_from_another_host(example_built):
    pages = sorted(example_built.rglob("*.html"))
    assert len(pages) == 50
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert not re.search(r'<(?:script|img)[^>]+src="(?:https?:)?//', html), page
        assert not re.search(r'<link rel="stylesheet" href="(?:https?:)?//', html), page
