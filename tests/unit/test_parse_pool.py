"""The parse stage across processes gives what a serial parse gives."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

import briefgen.parse_pool as parse_pool
from briefgen.bibstyle import DEFAULT_STYLE, style_identity
from briefgen.read import read_site
from briefgen.workers import Turns, fork_map
from tests.conftest import generated_corpus


@pytest.fixture(scope="module")
def corpus_files(tmp_path_factory: pytest.TempPathFactory):
    files, _ = read_site(generated_corpus(tmp_path_factory.mktemp("parse") / "corpus", 30))
    return files


def test_two_processes_parse_what_one_does_in_the_same_order(corpus_files):
    serial = parse_pool.parse_all(corpus_files, DEFAULT_STYLE, jobs=1)
    parallel = parse_pool.parse_all(corpus_files, DEFAULT_STYLE, jobs=2)
    assert len(serial[0]) == 30 and len(serial[1]) > 100
    assert parallel == serial


def test_the_second_process_parses_registries_then_takes_the_briefs_left(corpus_files):
    chunks = [(0, 10), (10, 20), (20, 30)]
    parse_pool._sharing = (corpus_files.briefs, chunks, Turns(len(chunks)))
    try:
        registry, parsed = parse_pool._registries_then_briefs((corpus_files.registries, DEFAULT_STYLE))
    finally:
        parse_pool._sharing = None
    assert len(registry.labels) == len(registry.sources) > 100 and registry.style == style_identity(DEFAULT_STYLE)
    assert sorted(parsed) == [0, 1, 2]
    assert [b for n in range(3) for b, _ in parsed[n]] == parse_pool.parse_briefs(corpus_files.briefs)[0]


_turns: Turns | None = None


def _take(_: int) -> list[int]:
    assert _turns is not None
    return list(_turns)


def test_turns_hand_each_number_to_one_process_only():
    global _turns
    _turns = Turns(500)
    try:
        taken = list(fork_map(_take, [0, 1, 2], workers=3))
    finally:
        _turns = None
    assert sorted(n for part in taken for n in part) == list(range(500))


def test_parsed_briefs_pickle_as_their_fields(corpus_files):
    briefs, _ = parse_pool.parse_briefs(corpus_files.briefs[:3])
    assert pickle.loads(pickle.dumps(briefs)) == briefs
    assert briefs[0].__reduce__()[0] is type(briefs[0])
