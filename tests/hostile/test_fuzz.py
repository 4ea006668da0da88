"""Property tests over the parser, the registry and the resolver with random input.

No exception escapes but briefgen's own error type; references and back-links are exact
inverses; note numbering is stable.  10,000 examples in all (marked slow).
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen.config import Config
from briefgen.diagnostics import BriefgenError
from briefgen.markdown import parse_brief
from briefgen.sources.registry import parse_registry
from briefgen.resolve import resolve_site

BRIEF_EXAMPLES, RESOLVE_EXAMPLES, REGISTRY_EXAMPLES = 5_000, 1_500, 3_500
def runs(examples: int) -> settings:
    return settings(max_examples=examples, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
URLS = ["https://example.org/a", "https://www.reuters.com/world/x-2024-05-24/", "isw.pub/UkrWar052424",
        "https://t.me/rybar/123", "www.example.org/b", "https://example.org/a#frag", "ttps://example.org/c"]
BODY_PIECES = st.one_of(
    st.sampled_from(["word", "The forces", "advanced.", " ", "\u00a0", "\n", "\n\n", "*", "_", "`", "``",
                     "[", "]", "(", ")", "<", ">", "\\", "&amp;", "> ", "# ", "- ", "1. ", "|", "\n---\n",
                     "[sic]", "[^a]", "[^b]", "[^a b]", "[x](https://example.org/l)", "![i](https://e.org/i.png)",
                     "https://example.org/bare", "```\n", "    code", "<b>", "&#91;1&#93;"]),
    st.integers(1, 7).map(lambda n: f"[{n}]"),
)
ITEM = st.one_of(
    st.sampled_from(URLS), st.sampled_from(["@k1", "@k2", "@missing", "@"]),
    st.sampled_from(["ISW cannot confirm this.", "see also", "*emphasis*", "[t](https://example.org/m)",
                     "<https://example.org/n>", "tass dot ru/x", "[2]", "`code`"]),
)
SEPARATOR = st.sampled_from([" ; ", ";", "; ", "\n", " ", ", "])
NOTE = st.tuples(st.integers(1, 7), st.sampled_from([" ", "\u00a0", "\t"]), st.lists(ITEM, max_size=4), SEPARATOR)
REGISTRY = "k1:\n  url: https://example.org/a\n  title: A\n  publisher: P\nk2:\n  url: https://example.org/k2\n  title: B\n  publisher: Q\n"


@st.composite
def briefs(draw, slug: str = "b"):
    body = "".join(draw(st.lists(BODY_PIECES, max_size=40)))
    notes = draw(st.lists(NOTE, max_size=8))
    heading = draw(st.sampled_from(["", "Notes\n\n", "## References\n\n"]))
    lines = [f"[{n}]{space}{sep.join(items)}" for n, space, items, sep in notes]
    footnotes = draw(st.lists(st.sampled_from(["[^a]: @k1", "[^b]: https://example.org/f", "[^a]: again"]), max_size=3))
    text = f"---\ntitle: T\ndate: 2024-05-24\nslug: {slug}\n---\n{body}\n\n{heading}" + "\n".join(lines)
    return text + ("\n\n" + "\n\n".join(footnotes) if footnotes else "") + "\n"


def parse(text: str, path: str = "briefs/b.md"):
    try:
        return parse_brief(text, path)
    except BriefgenError as exc:  # our own error type is allowed, nothing else
        return None, list(exc.diagnostics)


def check_references(brief) -> None:
    """Every reference points at a note; each note's references are numbered 1..k."""
    note_ids = [note.id for note in brief.notes]
    assert len(note_ids) == len(set(note_ids))
    by_note: dict[str, list[int]] = {}
    for ref in brief.references:
        assert ref.note in note_ids
        assert ref.anchor == f"ref-{ref.note}-{ref.index}"
        by_note.setdefault(ref.note, []).append(ref.index)
    for indexes in by_note.values():
        assert indexes == list(range(1, len(indexes) + 1))
    assert all(re.fullmatch(r"[a-z0-9-]+", note.id) for note in brief.notes)


@pytest.mark.slow
def test_parser_never_raises_and_numbering_is_stable():
    count = Counter()

    @runs(BRIEF_EXAMPLES)
    @given(briefs())
    def check(text: str) -> None:
        count["examples"] += 1
        brief, diagnostics = parse(text)
        assert brief is not None  # front matter is fine: a brief always comes out
        assert all(d.location.line >= 1 and d.location.column >= 1 for d in diagnostics)
        check_references(brief)
        again, _ = parse(text)
        assert again == brief
        shifted, _ = parse(text.replace("---\n", "---\nIntro paragraph.\n\n", 2).replace(
            "---\nIntro paragraph.\n\n", "---\n", 1))
        assert [(n.id, n.number) for n in shifted.notes] == [(n.id, n.number) for n in brief.notes]
        assert [(r.note, r.index) for r in shifted.references] == [(r.note, r.index) for r in brief.references]
        written = [int(m) for m in re.findall(r"^[ \t\u00a0]*\[(\d+)\]", text.split("\n---\n", 1)[1], re.M)]
        numbered = [n.number for n in brief.notes if not n.id.startswith("fn-")]
        assert numbered == sorted(set(numbered)) and set(numbered) <= set(written)

    check()
    assert count["examples"] >= BRIEF_EXAMPLES


@pytest.mark.slow
def test_resolver_backlinks_are_the_inverse_of_citations():
    count = Counter()
    sources, _ = parse_registry(REGISTRY, "citations/r.yaml")

    @runs(RESOLVE_EXAMPLES)
    @given(briefs("one"), briefs("two"))
    def check(first: str, second: str) -> None:
        count["examples"] += 1
        parsed = [parse(first, "briefs/one.md")[0], parse(second.replace("2024-05-24", "2024-05-25"), "briefs/two.md")[0]]
        try:
            site, _ = resolve_site(Config(), parsed, sources, ())
        except BriefgenError:
            return
        cited = {(slug, note, sid) for (slug, note), sids in site.note_sources.items() for sid in sids if sid}
        linked = {(link.brief, link.note, sid) for sid, links in site.backlinks.items() for link in links}
        assert cited == linked
        briefs_by_slug = {b.slug: b for b in site.briefs}
        for links in site.backlinks.values():
            for link in links:
                refs = tuple(r for r in briefs_by_slug[link.brief].references if r.note == link.note)
                assert link.references == refs
        for a, targets in site.cites.items():
            assert all(a in site.cited_by.get(b, ()) for b in targets)
        for b, citing in site.cited_by.items():
            assert all(b in site.cites.get(a, ()) for a in citing)
        assert {s.id for s in site.sources} >= set(site.backlinks)

    check()
    assert count["examples"] >= RESOLVE_EXAMPLES


REGISTRY_PIECES = st.sampled_from([
    "k1", "k2", "../x", "a b", ":", ": ", "\n", "\n  ", "  url: ", "  title: ", "  publisher: ", "  date: ",
    "  kind: ", "  aliases: ", "  archived: ", "https://example.org/x", "javascript:alert(1)", "2024-05-24",
    "2024-13-45", "news", "[", "]", "{", "}", "- ", "&a ", "*a", "!!str ", "!!python/object:os.system ",
    "!x ", "\"", "'", "#", "\t", "~", "null", "%YAML 1.1\n", "---\n", "...\n", "? ", "|\n", ">\n", "é", "\\",
])


@pytest.mark.slow
def test_registry_parser_never_raises():
    count = Counter()

    @runs(REGISTRY_EXAMPLES)
    @given(st.one_of(st.lists(REGISTRY_PIECES, max_size=40).map("".join), st.text(max_size=200)))
    def check(text: str) -> None:
        count["examples"] += 1
        try:
            sources, diagnostics = parse_registry(text, "citations/r.yaml")
        except BriefgenError:
            return
        lines = text.count("\n") + 2
        assert all(1 <= d.location.line <= lines and d.location.column >= 1 for d in diagnostics)
        assert all(re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", s.id) and ".." not in s.id for s in sources)
        assert all(s.url.startswith(("http://", "https://")) for s in sources)

    check()
    assert count["examples"] >= REGISTRY_EXAMPLES


# Registries of entries whose ids start lines, with random pieces inside them.
REGISTRY_ENTRIES = st.lists(
    st.tuples(st.sampled_from(["k1", "k2", "k3", "a.b", "../x", "k1 "]), st.lists(REGISTRY_PIECES, max_size=8)),
    max_size=12,
).map(lambda entries: "".join(f"{key}:\n  {''.join(body)}\n" for key, body in entries))


@pytest.mark.slow
def test_a_registry_parsed_in_chunks_is_parsed_as_a_whole():
    from briefgen.sources.registry_chunks import parse_registry_chunks
    from tests.unit.sources.test_registry_chunks import small_chunks

    count = Counter()

    @runs(REGISTRY_EXAMPLES)
    @given(REGISTRY_ENTRIES, REGISTRY_ENTRIES)
    def check(text: str, more: str) -> None:
        with small_chunks(1, 1, 2):
            for edited, kept in ((text, None), (text + more, parse_registry_chunks(text, "citations/r.yaml")[2])):
                sources, diagnostics, chunks = parse_registry_chunks(edited, "citations/r.yaml", kept)
                whole = parse_registry(edited, "citations/r.yaml")
                assert (sources, diagnostics) == whole
                assert [s.location for s in sources] == [s.location for s in whole[0]]
                count["chunked"] += len(chunks) > 1

    check()
    assert count["chunked"] > 0
