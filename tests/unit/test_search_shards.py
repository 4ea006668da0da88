"""Shards of the search index: cut by the paths alone, so an edit changes one shard; a
rebuild runs Pagefind for the changed shards only; the bundle lists every shard."""

from __future__ import annotations

import json
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import briefgen.search as search
from briefgen import search_shards
from briefgen.search_shards import compose, split
from tests.unit.test_search import known, outputs


def paths(count: int, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    return sorted({f"briefs/{rng.getrandbits(64):016x}/index.html" for _ in range(count)})


def shards_of(names: list[str]) -> list[tuple[str, ...]]:
    return [tuple(page[0] for page in shard) for shard in split((name,) for name in names)]


def test_shards_hold_between_the_least_and_the_most_pages():
    shards = shards_of(paths(20_000))
    assert all(len(s) <= search_shards.MAX_PAGES for s in shards)
    assert all(len(s) >= search_shards.MIN_PAGES for s in shards[:-1])
    assert [p for s in shards for p in s] == paths(20_000)
    assert 20_000 / len(shards) < 2 * (search_shards.MIN_PAGES + search_shards.SPREAD)


def test_a_small_site_has_one_shard():
    assert len(shards_of(paths(search_shards.MIN_PAGES))) == 1


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 5_000), st.randoms(use_true_random=False))
def test_adding_or_removing_a_brief_leaves_all_but_a_shard_or_two_as_they_were(seed: int, rng):
    names = paths(3_000, seed)
    before = shards_of(names)
    changed = list(names)
    if rng.random() < 0.5:
        changed.insert(rng.randrange(len(names) + 1), "briefs/added/index.html")
        changed.sort()
    else:
        del changed[rng.randrange(len(names))]
    after = shards_of(changed)
    assert len(set(before) - set(after)) <= 2


def test_the_bundle_lists_every_shard_and_merged_shards_hold_index_files_only():
    first = {"pagefind.js": b"js", "pagefind-ui.css": b"css", "wasm.en.pagefind": b"w", "pagefind-entry.json": b"{}"}
    other = {**first, "index/en_1.pf_index": b"i", "fragment/en_2.pf_fragment": b"f"}
    files = compose([first, other, other])
    assert json.loads(files["shards.json"]) == {"shards": ["shard-1/", "shard-2/"]}
    assert {name for name in files if name.startswith("shard-2/")} == {
        "shard-2/pagefind-entry.json", "shard-2/index/en_1.pf_index", "shard-2/fragment/en_2.pf_fragment"}
    assert files["pagefind.js"] == b"js" and "shard-1/pagefind.js" not in files


@pytest.fixture
def small_shards(monkeypatch):
    """One brief page a shard."""
    monkeypatch.setattr(search_shards, "MIN_PAGES", 1)
    monkeypatch.setattr(search_shards, "SPREAD", 1)


def test_an_edit_runs_pagefind_for_its_shard_alone(small_shards, monkeypatch):
    pages = outputs()
    first = search.indexed(known(sorted(pages.items())))
    assert len(first.shards) == 3
    assert json.loads(first.bundle["pagefind/shards.json"]) == {"shards": ["shard-1/", "shard-2/"]}
    pages["briefs/b1/index.html"] = pages["briefs/b1/index.html"].replace(b"new front", b"second front")
    real, ran = search.run_to_completion, []

    def counted(given, meanwhile=None):
        given = list(given)
        ran.append([path for path, _ in given])
        return real(given, meanwhile)

    monkeypatch.setattr(search, "run_to_completion", counted)
    again = search.indexed(known(sorted(pages.items())), last=first)
    assert ran == [["briefs/b1/index.html"]]
    assert again.shards[0] is first.shards[0] and again.shards[2] is first.shards[2]
    monkeypatch.setattr(search, "run_to_completion", real)
    assert again == search.indexed(known(sorted(pages.items())))


def test_meanwhile_runs_once_whether_the_last_shard_is_indexed_or_reused(small_shards):
    pages = sorted(outputs().items())
    ran = []
    first = search.indexed(known(pages), meanwhile=lambda: ran.append("fresh"))
    search.indexed(known(pages), meanwhile=lambda: ran.append("reused"), last=first)
    assert ran == ["fresh", "reused"]
