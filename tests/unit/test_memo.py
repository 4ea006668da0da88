"""Memos of pure functions (memo.py) and the results a build keeps for the next one."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from briefgen import memo
from briefgen.build import build
from briefgen.memo import memoized
from briefgen.sources.identity import clean_url
from briefgen.bibstyle import format_source, inferred_label, load_style
from briefgen.sources.resolvers import _infer, _inferred, identity_key
from tests.conftest import generated_corpus


def test_a_memo_computes_each_argument_once_and_gives_what_the_function_gives():
    calls = []

    def double(text: str) -> str:
        calls.append(text)
        return text * 2

    remembered = memoized(double)
    assert [remembered("a"), remembered("b"), remembered("a")] == ["aa", "bb", "aa"]
    assert calls == ["a", "b"]


def test_an_unhashable_argument_is_computed_without_a_memo():
    remembered = memoized(len)
    assert remembered(["a", "b"]) == 2
    assert remembered(["a", "b"]) == 2


def test_the_memos_of_a_build_are_kept_and_each_kept_result_is_the_functions_own(tmp_path: Path):
    site = generated_corpus(tmp_path / "site", 4)
    build(site)
    kept = site / ".briefgen-cache" / memo.FILE
    _, results = pickle.loads(kept.read_bytes())
    urls = results[f"{clean_url.__module__}.{clean_url.__qualname__}"]
    keys = results[f"{identity_key.__module__}.{identity_key.__qualname__}"]
    assert urls and keys
    for argument, value in list(urls.items())[:2000]:
        assert value == clean_url.__wrapped__(argument)
    for argument, value in list(keys.items())[:2000]:
        assert value == identity_key.__wrapped__(argument)
    inferred = results[f"{_inferred.__module__}.{_inferred.__qualname__}"]
    labels = results[f"{inferred_label.__module__}.{inferred_label.__qualname__}"]
    assert inferred and labels
    for (url, rules), value in list(inferred.items())[:2000]:
        assert value == _infer(url, rules)
    for (style, source), (html, missing) in list(labels.items())[:2000]:
        assert source.inferred
        made = format_source(source, load_style(style.rsplit(":", 2)[0]))
        assert (html, missing) == (made.html, made.missing)


def test_known_gives_only_results_made_and_keep_records_one_made_elsewhere():
    calls = []
    remembered = memoized(lambda text: calls.append(text) or text.upper())
    assert remembered.known("a") is None
    remembered.keep("a", "made elsewhere")
    assert remembered.known("a") == remembered("a") == "made elsewhere"
    assert remembered("b") == "B" and remembered.known("b") == "B"
    assert calls == ["b"]


@pytest.fixture
def clean_urls():
    """clean_url's own results, emptied for a test and restored after it."""
    name = f"{clean_url.__module__}.{clean_url.__qualname__}"
    results, kept = memo._ALL[name], memo._KEPT[name]
    before = dict(results), dict(kept)
    results.clear()
    kept.clear()
    yield results
    for found, was in zip((results, kept), before):
        found.clear()
        found.update(was)


def test_kept_results_are_given_to_the_memos_of_the_next_build(tmp_path: Path, clean_urls: dict):
    folder = tmp_path / "cache"
    clean_urls["https://kept.example/a"] = "kept"
    memo.save(folder)
    clean_urls.clear()
    assert memo.load(folder) >= 1
    assert clean_url("https://kept.example/a") == "kept"     # the kept result, not computed again


@pytest.mark.parametrize("content", [b"", b"not a pickle", pickle.dumps((b"another briefgen", {}))])
def test_a_damaged_or_foreign_file_gives_nothing(tmp_path: Path, content: bytes):
    (tmp_path / memo.FILE).write_bytes(content)
    before = [{name: dict(results) for name, results in found.items()} for found in (memo._ALL, memo._KEPT)]
    assert memo.load(tmp_path) == 0
    assert [{name: dict(results) for name, results in found.items()} for found in (memo._ALL, memo._KEPT)] == before


def test_results_of_a_function_briefgen_no_longer_has_are_ignored(tmp_path: Path):
    from briefgen.parse_cache import code_identity
    (tmp_path / memo.FILE).write_bytes(pickle.dumps((code_identity(), {"gone.function": {"a": "b"}})))
    assert memo.load(tmp_path) == 0
    assert "gone.function" not in memo._ALL and "gone.function" not in memo._KEPT


def test_only_the_results_a_build_used_are_kept_again(tmp_path: Path, clean_urls: dict):
    folder = tmp_path / "cache"
    clean_urls.update({"https://cited.example/": "cited", "https://no-longer-cited.example/": "gone"})
    memo.save(folder)
    clean_urls.clear()
    memo.load(folder)
    assert clean_url("https://cited.example/") == "cited"
    memo.save(folder)
    _, kept = pickle.loads((folder / memo.FILE).read_bytes())
    urls = kept[f"{clean_url.__module__}.{clean_url.__qualname__}"]
    assert urls["https://cited.example/"] == "cited"
    assert "https://no-longer-cited.example/" not in urls


@pytest.fixture
def no_results():
    """Every memo emptied for a test (as in a new process), and restored after it."""
    before = [{name: dict(results) for name, results in found.items()} for found in (memo._ALL, memo._KEPT)]
    for found in (memo._ALL, memo._KEPT):
        for results in found.values():
            results.clear()
    yield
    for found, was in zip((memo._ALL, memo._KEPT), before):
        for name, results in found.items():
            results.clear()
            results.update(was[name])


def test_a_build_that_made_no_new_result_leaves_the_kept_file_as_it_is(tmp_path: Path, no_results, clean_urls):
    folder = tmp_path / "cache"
    clean_url("https://first.example/a")
    memo.save(folder)
    kept = folder / memo.FILE
    before = kept.stat().st_ino, kept.read_bytes()
    clean_urls.clear()
    memo.load(folder)
    clean_url("https://first.example/a")              # taken from the kept results
    memo.save(folder)
    assert (kept.stat().st_ino, kept.read_bytes()) == before
    clean_url("https://second.example/b")             # computed: the file is written again
    memo.save(folder)
    _, saved = pickle.loads(kept.read_bytes())
    assert "https://second.example/b" in saved[f"{clean_url.__module__}.{clean_url.__qualname__}"]
