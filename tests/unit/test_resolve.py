import datetime as dt

from briefgen.config import Config
from briefgen.diagnostics import Location
from briefgen.model import Source
from briefgen.resolve import resolve_site
from tests.support.factories import make_brief

REUTERS = "https://www.reuters.com/world/europe/putin-wants-ukraine-ceasefire-current-frontlines-sources-say-2024-05-24/"
ROCA = "Russian Offensive Campaign Assessment"


def registry_entry(source_id="reuters-1", url=REUTERS):
    return Source(source_id, url, "Putin wants a ceasefire", "Reuters", dt.date(2024, 5, 24), "news",
                  location=Location("citations/s.yaml", 1, 1))


def codes(diags):
    return sorted(d.code for d in diags)


def test_url_variants_resolve_to_the_registry_entry():
    brief = make_brief("a", "2024-05-24", {1: [REUTERS], 2: [REUTERS.replace("https://www.", "http://") + "#x"]})
    site, diags = resolve_site(Config(), [brief], [registry_entry()])
    assert site.note_sources[("a", "1")] == ("reuters-1",)
    assert site.note_sources[("a", "2")] == ("reuters-1",)
    assert [(b.brief, b.number) for b in site.backlinks["reuters-1"]] == [("a", 1), ("a", 2)]
    assert diags == []


def test_isw_short_link_and_page_are_one_inferred_source_without_warning():
    brief = make_brief("a", "2024-05-24", {1: ["https://isw.pub/UkrWar052324"],
                                           2: ["https://www.understandingwar.org/backgrounder/russian-offensive-campaign-assessment-may-23-2024"]})
    site, diags = resolve_site(Config(), [brief], [])
    (first,), (second,) = site.note_sources[("a", "1")], site.note_sources[("a", "2")]
    assert first == second
    source = {s.id: s for s in site.sources}[first]
    assert source.inferred and source.kind == "assessment"
    assert "source.inferred" not in codes(diags)


def test_unregistered_news_url_is_inferred_with_a_warning_at_its_first_citation():
    brief = make_brief("a", "2024-05-24", {1: [REUTERS]})
    site, diags = resolve_site(Config(), [brief], [])
    assert [d.code for d in diags] == ["source.inferred"]
    assert diags[0].location == Location("briefs/a.md", 21, 5)
    assert site.sources[0].publisher == "Reuters" and site.sources[0].inferred


def test_unknown_key_is_an_error_and_unused_entry_a_warning():
    brief = make_brief("a", "2024-05-24", {1: ["@nope"]})
    site, diags = resolve_site(Config(), [brief], [registry_entry()])
    assert codes(diags) == ["citation.unknown-key", "registry.unused"]
    assert site.note_sources[("a", "1")] == (None,)


def test_backlinks_are_the_exact_inverse_of_note_citations_newest_first():
    old = make_brief("old", "2024-01-01", {1: [REUTERS], 2: [REUTERS, REUTERS]})
    new = make_brief("new", "2024-02-01", {3: ["@reuters-1"]})
    site, _ = resolve_site(Config(), [old, new], [registry_entry()])
    assert [(b.brief, b.number) for b in site.backlinks["reuters-1"]] == [("new", 3), ("old", 1), ("old", 2)]
    pairs = {(slug, note) for (slug, note), ids in site.note_sources.items() if "reuters-1" in ids}
    assert pairs == {(b.brief, b.note) for b in site.backlinks["reuters-1"]}


def test_briefs_cite_each_other_by_shortlink_and_by_assessment_date():
    target = make_brief("target", "2024-05-24", {1: [REUTERS]}, series=ROCA)
    by_date = make_brief("by-date", "2024-06-01", {1: ["https://isw.pub/UkrWar052424"]})
    other = make_brief("other", "2024-03-01", {1: [REUTERS]}, shortlinks=("https://example.org/o",))
    by_link = make_brief("by-link", "2024-06-02", {1: ["https://example.org/o/"]})
    site, _ = resolve_site(Config(), [target, by_date, other, by_link], [registry_entry()])
    assert site.cites["by-date"] == ("target",)
    assert site.cites["by-link"] == ("other",)
    assert site.cited_by["target"] == ("by-date",)
    assert site.cited_by["other"] == ("by-link",)
    assert [b.slug for b in site.briefs] == ["by-link", "by-date", "target", "other"]


def test_duplicate_slugs_are_an_error():
    a = make_brief("same", "2024-01-01", {1: [REUTERS]})
    _, diags = resolve_site(Config(), [a, a], [registry_entry()])
    assert "brief.duplicate-slug" in codes(diags)


def test_publishers_group_sources():
    brief = make_brief("a", "2024-05-24", {1: [REUTERS, "https://t.me/rybar/123"]})
    site, _ = resolve_site(Config(), [brief], [registry_entry()])
    assert site.publishers["reuters"] == ("reuters-1",)
    assert site.publisher_names["reuters"] == "Reuters"
