"""resolve_edit: the Site, Index and diagnostics of resolve_site over the edited corpus, or
None for an edit it cannot patch exactly."""

from __future__ import annotations

from dataclasses import replace

from briefgen.config import Config
from briefgen.resolve import resolve_indexed
from briefgen.resolve_edit import resolve_edit
from tests.support.factories import make_brief
from tests.unit.test_resolve import REUTERS, registry_entry

TASS_1 = "https://tass.ru/politika/100001"
BBC = "https://www.bbc.com/news/world-europe-68000001"
BBC_2 = "https://www.bbc.com/news/world-europe-68000002"   # wants BBC's id: bbc-world-europe


def corpus():
    return [make_brief("a", "2024-05-01", {1: [REUTERS], 2: [TASS_1]}),
            make_brief("b", "2024-05-02", {1: [TASS_1, BBC], 2: [REUTERS]}),
            make_brief("c", "2024-05-03", {1: ["@reuters-1"]})]


def same_as_whole(briefs, edited):
    """resolve_edit after replacing ``edited`` in ``briefs`` equals a whole resolve."""
    registry = [registry_entry()]
    site, index = resolve_indexed(Config(), briefs, registry)
    patched = resolve_edit(site, index, edited, config=Config())
    assert patched is not None
    new_site, new_index, edit = patched
    by_path = {b.path: b for b in edited}
    known = {b.path for b in briefs}
    whole_site, whole_index = resolve_indexed(
        Config(), [by_path.get(b.path, b) for b in briefs] + [b for b in edited if b.path not in known], registry)
    assert new_site == whole_site
    assert [s.location for s in new_site.sources] == [s.location for s in whole_site.sources]
    assert sorted(map(repr, new_index.diagnostics())) == sorted(map(repr, whole_index.diagnostics()))
    assert new_index.key_to_id == whole_index.key_to_id and new_index.inferred == whole_index.inferred
    assert new_index.claims == whole_index.claims
    return edit


def test_a_note_citing_a_new_url_adds_a_source():
    edit = same_as_whole(corpus(), [make_brief("c", "2024-05-03", {1: ["@reuters-1"], 2: [BBC + "2"]})])
    assert edit.briefs == {"c"} and len(edit.added) == 1 and not edit.removed


def test_the_last_citation_of_a_source_removed_removes_it():
    edit = same_as_whole(corpus(), [make_brief("b", "2024-05-02", {1: [TASS_1], 2: [REUTERS]})])
    assert len(edit.removed) == 1


def test_the_first_citation_moves_to_a_later_brief():
    briefs = corpus()
    same_as_whole(briefs, [make_brief("a", "2024-05-01", {1: [REUTERS]})])


def test_the_registry_entry_left_uncited_warns():
    briefs = corpus()[:2]
    edit = same_as_whole(briefs, [make_brief("a", "2024-05-01", {2: [TASS_1]}),
                                  make_brief("b", "2024-05-02", {1: [TASS_1, BBC]})])
    assert "reuters-1" in edit.sources


def test_a_suffixed_id_is_given_as_a_whole_resolve_gives_it():
    briefs = corpus()
    edit = same_as_whole(briefs, [make_brief("c", "2024-05-03", {1: ["@reuters-1"], 2: [BBC_2]})])
    assert len(edit.added) == 1 and next(iter(edit.added)).startswith("bbc-world-europe-")


def test_an_edit_that_would_hand_the_wanted_id_to_another_source_answers_none():
    briefs = corpus() + [make_brief("d", "2024-05-04", {1: [BBC_2]})]
    site, index = resolve_indexed(Config(), briefs, [registry_entry()])
    assert "bbc-world-europe" in index.collided
    assert resolve_edit(site, index, [make_brief("b", "2024-05-02", {1: [TASS_1], 2: [REUTERS]})]) is None


def test_an_unknown_id_gives_the_error_of_a_whole_resolve():
    same_as_whole(corpus(), [make_brief("c", "2024-05-03", {1: ["@no-such-entry"]})])


def test_edits_it_cannot_patch_answer_none():
    briefs = corpus()
    site, index = resolve_indexed(Config(), briefs, [registry_entry()])
    moved = replace(briefs[0], date=briefs[0].date.replace(day=9))
    assert resolve_edit(site, index, [moved]) is None
    renamed = replace(briefs[0], slug="z")
    assert resolve_edit(site, index, [renamed]) is None
    inferred_id = next(i for i in index.inferred)
    assert resolve_edit(site, index, [make_brief("c", "2024-05-03", {1: ["@" + inferred_id]})]) is None
    assert resolve_edit(site, index, [make_brief("d", "2024-05-04", {1: [REUTERS]})]) is None   # no config
    same_slug = replace(make_brief("d", "2024-05-04", {1: [REUTERS]}), slug="a")
    assert resolve_edit(site, index, [same_slug], config=Config()) is None
    cited = make_brief("d", "2024-05-04", {1: [REUTERS]}, shortlinks=(TASS_1,))      # notes cite it already
    assert resolve_edit(site, index, [cited], config=Config()) is None


def test_new_briefs_take_their_place_in_the_site():
    edit = same_as_whole(corpus(), [make_brief("d", "2024-05-09", {1: [REUTERS, BBC_2]}),      # the newest
                                    make_brief("0", "2024-05-02", {1: [TASS_1]}),              # same date as b
                                    make_brief("e", "2024-04-01", {1: ["@reuters-1"]}, shortlinks=("https://isw.pub/x1",))])
    assert edit.new_briefs == {"d", "0", "e"}


def test_a_new_brief_cited_by_its_shortlink_later():
    briefs = corpus()
    new = make_brief("e", "2024-04-01", {1: [REUTERS]}, shortlinks=("https://isw.pub/x1",))
    site, index = resolve_indexed(Config(), briefs, [registry_entry()])
    site, index, _ = resolve_edit(site, index, [new], config=Config())
    citing = make_brief("c", "2024-05-03", {1: ["@reuters-1"], 2: ["https://isw.pub/x1"]})
    patched = resolve_edit(site, index, [citing], config=Config())
    whole, _ = resolve_indexed(Config(), briefs[:2] + [citing, new], [registry_entry()])
    assert patched is not None and patched[0] == whole and patched[0].cites["c"] == ("e",)
