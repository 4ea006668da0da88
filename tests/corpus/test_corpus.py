"""The 135 real assessments of ../shared/corpus: import all, build once, assert the acceptance figures.

Skipped when the shared folder is absent (it is present in CI). The figures are printed
by ``python3 benchmarks/corpus_figures.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.importer import body_and_notes
from tests.conftest import shared_path
from tests.corpus.measure import Figures, measure, note_urls, report, split_input

CORPUS_SIZE = 135


@pytest.fixture(scope="module")
def corpus() -> Path:
    return shared_path("corpus")


@pytest.fixture(scope="module")
def figures(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Figures:
    return measure(corpus, tmp_path_factory.mktemp("corpus-site"))


def test_every_document_imports_and_builds(figures: Figures):
    assert figures.crashes == []
    assert figures.documents == CORPUS_SIZE


def test_no_broken_internal_links(figures: Figures):
    assert figures.broken_links == []


def test_every_reference_to_an_existing_note_is_a_noteref(figures: Figures):
    assert figures.noteref_mismatches == []


def test_every_note_with_a_url_shows_a_source(figures: Figures):
    assert figures.notes_with_url > 7000
    assert figures.notes_without_data_source == []


def test_sources_per_note_match_an_independent_count(figures: Figures):
    assert figures.source_count_agreement >= 0.99, report(figures)


def test_sources_have_publisher_and_readable_title(figures: Figures):
    assert figures.sources > 10000
    assert figures.publisher_title_share >= 0.95, report(figures)


def test_manifest_note_counts_match_the_import(corpus: Path):
    rows = [line.split("\t") for line in (corpus / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()[1:]]
    assert len(rows) == CORPUS_SIZE
    for name, *_rest, n_notes, _n_urls in rows:
        _body, notes = split_input(body_and_notes((corpus / name).read_text(encoding="utf-8")))
        assert len(notes) == int(n_notes), name


def test_independent_url_count_reads_disguises_and_glued_urls():
    note = ("\u00a0https://t dot me/a_shtirlitz/17714?single; https://t.me/a_shtirlitz/17714 "
            "2https://www.reuters.com/x/;https://meduza [dot] io/news/1")
    assert note_urls(note) == {"t.me/a_shtirlitz/17714", "reuters.com/x", "meduza.io/news/1"}
