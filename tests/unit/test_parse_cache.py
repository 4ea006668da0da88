"""The parse cache: only changed files are parsed again, and a cached parse gives what a
fresh one does."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import briefgen.bibstyle as bibstyle
import briefgen.parse_pool as parse_pool
import briefgen.sources.registry_chunks as registry_chunks
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
        self.chunks: list[int] = []          # the lines where the registry chunks composed start
        self.labels: list[str] = []          # the sources labelled
        real_brief, real_registry = parse_pool.parse_brief_file, parse_pool._registry_parse
        real_chunk, real_format = registry_chunks._parse_chunk, bibstyle.format_source
        monkeypatch.setattr(parse_pool, "parse_brief_file",
                            lambda file: (self.briefs.append(file.path), real_brief(file))[1])
        monkeypatch.setattr(parse_pool, "_registry_parse", lambda files, *rest: (
            self.registries.extend(f.path for f in files), real_registry(files, *rest))[1])
        monkeypatch.setattr(registry_chunks, "_parse_chunk",
                            lambda chunk, path: (self.chunks.append(chunk.line), real_chunk(chunk, path))[1])
        monkeypatch.setattr(bibstyle, "format_source",
                            lambda source, style=None: (self.labels.append(source.id), real_format(source, style))[1])


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


def test_an_edited_registry_entry_costs_its_own_chunk_and_label(site, monkeypatch):
    monkeypatch.setattr(registry_chunks, "MIN_ENTRIES", 4)
    monkeypatch.setattr(registry_chunks, "SPREAD", 4)
    monkeypatch.setattr(registry_chunks, "MAX_ENTRIES", 16)
    registry = next((site / "citations").glob("*.yaml"))
    lines = registry.read_text(encoding="utf-8").split("\n")
    parse(site)
    middle = next(i for i in range(len(lines) // 2, len(lines)) if lines[i].startswith("  title: "))
    lines[middle] = lines[middle].replace("title: ", "title: Edited ", 1)
    lines.insert(3, "# a comment moves every entry one line down")
    registry.write_text("\n".join(lines), encoding="utf-8")
    counting = Counting(monkeypatch)
    cached = parse(site)
    assert counting.registries == [f"citations/{registry.name}"]
    edited = next(s for s in cached[1] if s.title.startswith("Edited "))
    chunks = registry_chunks.split(registry.read_text(encoding="utf-8"))
    assert len(chunks) > 5
    assert len(counting.chunks) == 2 and counting.chunks[0] == 1    # the comment's chunk, and the edited one
    assert counting.labels == [edited.id]
    assert cached == parse(site, use_cache=False)
    assert [s.location for s in cached[1]] == [s.location for s in parse(site, use_cache=False)[1]]


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
