"""A registry parsed chunk by chunk (registry_chunks.py) gives exactly a whole parse."""

from __future__ import annotations

import contextlib

from hypothesis import given, settings
from hypothesis import strategies as st

import briefgen.sources.registry_chunks as registry_chunks
from briefgen.sources.registry import parse_registry
from briefgen.sources.registry_chunks import parse_registry_chunks, split

PATH = "citations/sources.yaml"


@contextlib.contextmanager
def small_chunks(least: int = 2, spread: int = 3, most: int = 6):
    before = registry_chunks.MIN_ENTRIES, registry_chunks.SPREAD, registry_chunks.MAX_ENTRIES
    registry_chunks.MIN_ENTRIES, registry_chunks.SPREAD, registry_chunks.MAX_ENTRIES = least, spread, most
    try:
        yield
    finally:
        registry_chunks.MIN_ENTRIES, registry_chunks.SPREAD, registry_chunks.MAX_ENTRIES = before


def entry(n: int) -> str:
    return (f"src-{n}:\n  url: https://example.org/news/2024/05/{n:02d}/item-{n}\n"
            f"  title: Item {n}\n  publisher: Example\n  date: 2024-05-{n % 28 + 1:02d}\n  kind: news\n")


def whole(text: str):
    sources, diagnostics = parse_registry(text, PATH)
    return sources, diagnostics, [s.location for s in sources]


def chunked(text: str, kept=None):
    sources, diagnostics, chunks = parse_registry_chunks(text, PATH, kept)
    return (sources, diagnostics, [s.location for s in sources]), chunks


def test_the_chunks_are_the_file_cut_before_entries_and_give_a_whole_parse():
    text = "# sources\n\n" + "".join(entry(n) for n in range(300))
    chunks = split(text)
    assert len(chunks) > 1 and "".join(c.text for c in chunks) == text
    assert all(c.text.startswith("src-") for c in chunks[1:])
    assert [c.line for c in chunks] == [text.count("\n", 0, text.index(c.text[:12])) + 1 for c in chunks]
    found, kept = chunked(text)
    assert found == whole(text) and len(kept) == len(chunks)


def test_a_chunk_kept_from_the_last_parse_is_moved_to_its_new_lines():
    before = "".join(entry(n) for n in range(400))
    _, kept = chunked(before)
    after = "# one more line\n" + before.replace("title: Item 390", "title: Item 390, edited")
    parsed = []
    real = registry_chunks._parse_chunk
    registry_chunks._parse_chunk = lambda chunk, path: parsed.append(chunk.line) or real(chunk, path)
    try:
        found, _ = chunked(after, kept)
    finally:
        registry_chunks._parse_chunk = real
    assert found == whole(after)
    assert len(parsed) == 2 and len(split(after)) > 2


def test_files_that_are_not_plain_are_parsed_whole():
    for text in ("---\n" + entry(1), entry(1) + "b: &a\n  url: x\nc: *a\n", entry(1) + "c:\n  url: &u x\n",
                 '"quoted":\n  url: https://a.org\n', entry(1).replace("\n", "\r", 1), entry(1) + "\tx: 1\n"):
        assert split(text) is None
        found, kept = chunked(text)
        assert found == whole(text) and kept == {}


# Entries as analysts write them, right or wrong: every kind of diagnostic a chunk can give.
ENTRIES = st.sampled_from([
    "{id}:\n  url: https://example.org/a/{n}\n  title: A {n}\n  publisher: P\n  date: 2024-01-02\n  kind: news\n",
    "{id}:\n  url: https://example.org/2024/03/0{d}/story-{n}\n",                       # fields inferred
    "{id}:\n  url: https://example.org/b/{n}\n  titel: typo\n",                         # unknown field
    "{id}:\n  url: https://example.org/c/{n}\n  title: one\n  title: two\n",            # field given twice
    "{id}:\n  title: no url\n",                                                         # missing url
    "{id}: just text\n",                                                                # not a mapping
    "bad..id{n}:\n  url: https://example.org/d/{n}\n",                                  # unusable id
    "dup:\n  url: https://example.org/e/{n}\n",                                         # an id given again
    "# a comment {n}\n\n",
    "{id}:\n  url: https://example.org/f/{n}\n  date: not a date\n  kind: strange\n",
    "{id}:\n  url: [https://example.org/g/{n},\n    more]\n",                            # flow, indented
    "{id}:\n  url: https://example.org/h/{n}\n  aliases: [https://example.org/h2/{n}]\n",
])
# Entries that make a chunk wrong on its own, or the whole file: it is then parsed whole.
HOSTILE = st.sampled_from([
    "{id}:\n  url: https://example.org/i/{n}\n  title: \"open quote\n",                  # broken YAML
    "{id}:\n  url: https://example.org/j/{n}\n  title: !!python/object:os.system x\n",  # refused tag
    "{id}:\n  url: [https://example.org/k/{n},\nnext: x]\n",                            # flow at column 0
    "{id}:\n  url: \"https://example.org/l/{n}\nnext: x\"\n",                          # quoted, column 0
    "{id}:\n  url: https://example.org/m/{n}\n---\n",                                  # a second document
    "{id}:\n  url: &a https://example.org/n/{n}\n",                                     # an anchor
])
ANY = st.one_of(ENTRIES, HOSTILE)


def registry(entries: list[tuple[str, int]], crlf: bool) -> str:
    text = "".join(t.format(id=f"s{n}", n=n, d=n % 9 + 1) for t, n in entries)
    return text.replace("\n", "\r\n") if crlf else text


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(ENTRIES, st.integers(0, 10_000)), max_size=40, unique_by=lambda e: e[1]),
       st.booleans(), st.data())
def test_a_chunked_parse_is_a_whole_parse_before_and_after_an_edit(entries, crlf, data):
    with small_chunks():
        if data.draw(st.booleans()):
            entries.insert(data.draw(st.integers(0, len(entries))), (data.draw(HOSTILE), 10_001))
        before = registry(entries, crlf)
        found, kept = chunked(before)
        assert found == whole(before)
        edited = list(entries)
        at = data.draw(st.integers(0, len(edited)))
        action = data.draw(st.sampled_from(["insert", "delete", "replace"]))
        if action != "insert" and at < len(edited):
            del edited[at]
        if action != "delete":
            edited.insert(at, (data.draw(ANY), 10_002))
        after = registry(edited, crlf)
        found, _ = chunked(after, kept)
        assert found == whole(after)
