"""The parse cache: only changed files are parsed again, and a cached parse gives what a
fresh one does."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import briefgen.parse_pool as parse_pool
from briefgen import parse_cache
from briefgen.bibstyle import DEFAULT_STYLE, style_identity
from briefgen.read import read_site
from tests.conftest import generated_corpus


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generated_corpus(tmp_path_factory.mktemp("cache") / "corpus", 12)


@pytest.fixture
def site(corpus: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(corpus, tmp_path / "site"))


class Counting:
    """Stands in for the parsers and counts the files they are given."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.briefs: list[str] = []
        self.registries: list[str] = []
        real_brief, real_registry = parse_pool.parse_brief_file, parse_pool.parse_registries
        monkeypatch.setattr(parse_pool, "parse_brief_file",
                            lambda file: (self.briefs.append(file.path), real_brief(file))[1])
        monkeypatch.setattr(parse_pool, "parse_registries",
                            lambda files: (self.registries.extend(f.path for f in files), real_registry(files))[1])


def parse(root: Path, jobs: int = 1, use_cache: bool = True):
    files, _ = read_site(root)
    cache = parse_cache.load(root / ".briefgen-cache", files) if use_cache else None
    try:
        return parse_pool.parse_all(files, DEFAULT_STYLE, jobs, cache)
    finally:
        if cache is not None:
            cache.wait()


def test_a_second_parse_takes_every_file_from_the_cache_and_gives_the_same(site, monkeypatch):
    fresh = parse(site, use_cache=False)
    assert parse(site) == fresh
    counting = Counting(monkeypatch)
    assert parse(site) == fresh
    assert counting.briefs == [] and counting.registries == []
    assert len(fresh[0]) == 12 and len(fresh[1]) > 50


def test_only_the_edited_brief_is_parsed_again(site, monkeypatch):
    parse(site)
    edited = sorted((site / "briefs").glob("*.md"))[5]
    edited.write_text(edited.read_text(encoding="utf-8").replace("\n\n", "\n\nA new sentence.\n\n", 1),
                      encoding="utf-8")
    counting = Counting(monkeypatch)
    cached = parse(site)
    assert counting.briefs == [f"briefs/{edited.name}"] and counting.registries == []
    assert cached == parse(site, use_cache=False)
    assert "A new sentence." in next(b for b in cached[0] if b.path == f"briefs/{edited.name}").body_html


def test_an_edited_registry_is_parsed_again_and_its_labels_made_again(site, monkeypatch):
    parse(site, jobs=2)                     # the registry process also makes the labels
    registry = next((site / "citations").glob("*.yaml"))
    text = registry.read_text(encoding="utf-8")
    registry.write_text(text.replace("title: ", "title: Edited ", 1), encoding="utf-8")
    counting = Counting(monkeypatch)
    cached = parse(site)
    assert counting.registries == [f"citations/{registry.name}"] and counting.briefs == []
    assert cached == parse(site, use_cache=False)
    assert any(s.title.startswith("Edited ") for s in cached[1])


def test_the_registry_labels_come_back_from_the_cache(site):
    parse(site, jobs=2)
    files, _ = read_site(site)
    cache = parse_cache.load(site / ".briefgen-cache", files)
    assert cache.registry is not None and cache.registry.style == style_identity(DEFAULT_STYLE)
    assert len(cache.registry.labels) == len(cache.registry.sources) > 50


def test_a_damaged_entry_is_parsed_again(site, monkeypatch):
    fresh = parse(site)
    folder = site / ".briefgen-cache" / parse_cache.FOLDER
    damaged = sorted(folder.iterdir())[:3]
    for entry in damaged:
        entry.write_bytes(b"not a pickle")
    counting = Counting(monkeypatch)
    assert parse(site) == fresh
    assert len(counting.briefs) + len(counting.registries) == 3


def test_entries_of_removed_files_are_removed(site):
    parse(site)
    folder = site / ".briefgen-cache" / parse_cache.FOLDER
    assert len(list(folder.iterdir())) == 13        # 12 briefs, the registries
    for brief in sorted((site / "briefs").glob("*.md"))[:4]:
        brief.unlink()
    parse(site)
    assert len(list(folder.iterdir())) == 9


def test_keys_depend_on_path_text_and_briefgen_itself(site, monkeypatch):
    files, _ = read_site(site)
    first = parse_cache.load(site, files)
    again = parse_cache.load(site, files)
    assert first.keys == again.keys and len(set(first.keys.values())) == 12
    assert parse_cache._key("brief", "a.md", "x") != parse_cache._key("brief", "b.md", "x")
    assert parse_cache._key("brief", "a.md", "x") != parse_cache._key("brief", "a.md", "y")
    assert parse_cache._key("brief", "ab", "c") != parse_cache._key("brief", "a", "bc")
    monkeypatch.setattr(parse_cache, "code_identity", lambda: b"another briefgen")
    assert parse_cache.load(site, files).keys != first.keys
