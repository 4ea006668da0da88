"""Exports of a brief: cite.* (the brief) and sources.* (what it cites) in BibTeX, RIS, CSL-JSON."""

from __future__ import annotations

import datetime as dt
import json

from briefgen.config import Config
from briefgen.exports import EXPORT_FILES, brief_exports
from briefgen.model import Source
from briefgen.plan import plan_site
from briefgen.resolve import resolve_site
from briefgen.sources.registry import parse_bibtex
from tests.support.factories import make_brief

URL = "https://www.reuters.com/world/a-2024-05-24/"
POST = "https://t.me/rybar/42533"


def _site():
    entry = Source("reuters-a", URL, "Ceasefire & talks: 50% done", "Reuters", dt.date(2024, 5, 24), "news")
    brief = make_brief("b", "2024-05-24", {1: [URL, POST], 2: [URL]}, series="Assessments")
    site, _ = resolve_site(Config(title="Briefs", base_url="https://e.org/"), [brief], [entry])
    return site, site.briefs[0]


def test_six_files_per_brief_are_planned():
    site, _ = _site()
    pages = {p.path: p for p in plan_site(site)}
    assert [f"briefs/b/{name}" in pages for name in EXPORT_FILES] == [True] * 6
    assert pages["briefs/b/cite.ris"].template == "export.ris"


def test_cite_bib_is_the_brief_and_reads_back():
    site, brief = _site()
    text = brief_exports(site, brief)["cite.bib"]
    assert text == (
        "@techreport{b,\n  author = {Analyst, A.},\n  title = {Brief b},\n  type = {Assessments},\n"
        "  institution = {Briefs},\n  year = {2024},\n  month = {may},\n  day = {24},\n  date = {2024-05-24},\n"
        "  url = {https://e.org/briefs/b/},\n}\n")


def test_sources_bib_holds_every_cited_source_once_and_reads_back_as_a_registry():
    site, brief = _site()
    text = brief_exports(site, brief)["sources.bib"]
    sources, diagnostics = parse_bibtex(text, "citations/sources.bib")
    assert [d.code for d in diagnostics if d.severity == "error"] == []
    assert [(s.id, s.url, s.title, s.publisher, s.date) for s in sources] == [
        ("reuters-a", URL, "Ceasefire & talks: 50% done", "Reuters", dt.date(2024, 5, 24)),
        ("telegram-rybar-42533", POST, "@rybar, post 42533", "Telegram", None),
    ]


def test_ris_records():
    site, brief = _site()
    exports = brief_exports(site, brief)
    assert exports["cite.ris"] == (
        "TY  - RPRT\nID  - b\nTI  - Brief b\nAU  - Analyst, A.\nT3  - Assessments\nPB  - Briefs\nPY  - 2024\n"
        "DA  - 2024/05/24\nUR  - https://e.org/briefs/b/\nAB  - Summary.\nER  - \n")
    records = exports["sources.ris"].split("ER  - \n")
    assert records[0].startswith("TY  - NEWS\nID  - reuters-a\nTI  - Ceasefire & talks: 50% done\nPB  - Reuters\n")
    assert "TY  - ELEC\nID  - telegram-rybar-42533\n" in records[1] and "N1  - inferred from the URL" in records[1]


def test_csl_json():
    site, brief = _site()
    exports = brief_exports(site, brief)
    (cite,) = json.loads(exports["cite.json"])
    assert cite == {"id": "b", "type": "report", "title": "Brief b", "author": [{"given": "A.", "family": "Analyst"}],
                    "collection-title": "Assessments", "publisher": "Briefs",
                    "issued": {"date-parts": [[2024, 5, 24]]}, "URL": "https://e.org/briefs/b/", "abstract": "Summary."}
    sources = json.loads(exports["sources.json"])
    assert [s["type"] for s in sources] == ["article-newspaper", "post"]
    assert sources[0]["container-title"] == "Reuters" and "issued" not in sources[1]


def test_sources_bib_writes_each_source_as_its_pybtex_entry_reads():
    from briefgen.bibstyle import source_entry
    from briefgen.exports import _bib_entry, source_bibtex

    sources = [Source("a", URL, "Ceasefire & talks: {50%}", "Reuters", dt.date(2024, 5, 24), "news"),
               Source("b", POST, "@rybar, post 42533", "Telegram", None, "social", inferred=True),
               Source("c", "https://isw.pub/UkrWar052424", "Assessment", "", dt.date(2024, 5, 24), "assessment"),
               Source("d", "https://a.org/x?q={y}", "Doc", "Ministry", None, "document")]
    for source in sources:
        assert source_bibtex(source) == _bib_entry(source.id, source_entry(source))
