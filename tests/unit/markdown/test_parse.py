"""parse_brief end to end: the example assessment, the real corpus, and properties."""

import csv
import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import example as also_on, given, settings
from hypothesis import strategies as st

from briefgen.diagnostics import Location
from briefgen.markdown import parse_brief

SHARED = Path(__file__).resolve().parents[3].parent / "shared"  # beside the repository
EXAMPLE = SHARED / "examples" / "isw-2024-05-24-negotiations.txt"
CORPUS = SHARED / "corpus"
PATH = "briefs/2024-05-24-negotiations.md"
FRONT = (
    "---\n"
    "title: Why Putin Remains Uninterested in Meaningful Negotiations with Ukraine\n"
    "date: 2024-05-24\n"
    "authors: [Riley Bailey, Grace Mappes, Christina Harward, Angelica Evans, Frederick W. Kagan]\n"
    "---\n"
)
URL = re.compile(r"https?://[^\s;\u00a0]+")


def shared(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is absent (the shared folder beside the repository)")
    return path


@pytest.fixture(scope="module")
def example():
    text = shared(EXAMPLE).read_text(encoding="utf-8")
    source = FRONT + text[text.index("Western media continues"):]
    brief, diagnostics = parse_brief(source, PATH)
    return source, brief, diagnostics


def test_example_front_matter(example):
    _, brief, _ = example
    assert brief.title.startswith("Why Putin Remains")
    assert brief.date == dt.date(2024, 5, 24)
    assert brief.authors[-1] == "Frederick W. Kagan"
    assert brief.slug == "2024-05-24-negotiations"
    assert brief.summary.startswith("Western media continues to report that Russian President")
    assert len(brief.summary) <= 300 and brief.summary.endswith("…")


def test_example_notes_and_references(example):
    _, brief, diagnostics = example
    assert [n.number for n in brief.notes] == list(range(1, 28))
    assert [r.anchor for r in brief.references] == [f"ref-{n}-1" for n in range(1, 28)]
    assert brief.body_html.count('role="doc-noteref"') == 27
    assert "[1] https" not in brief.body_html and "[1]\u00a0https" not in brief.body_html
    assert "reuters.com" not in brief.body_html
    assert [d.code for d in diagnostics] == ["note.duplicate-url"]


def test_example_citations(example):
    _, brief, diagnostics = example
    notes = {n.number: n for n in brief.notes}
    assert sum(len(n.citations) for n in brief.notes) == 65
    assert len(notes[5].citations) == 10
    note24 = notes[24].citations
    assert len(note24) == 6
    assert [c.location.line for c in note24] == [67, 67, 69, 71, 73, 75]
    assert note24[2].url == "https://isw.pub/UkrWar122722"
    assert note24[3].text == "https://isw.pub/UkrWar122122"  # the trailing NBSP is not part of it
    note25 = notes[25].citations
    assert [c.url for c in note25] == [
        "https://isw.pub/UkrWar122323", "https://isw.pub/UkrWar121223",
        "https://isw.pub/UkrWar010224", "https://isw.pub/UkrWar010224",
    ]
    [duplicate] = diagnostics
    assert duplicate.location == note25[3].location
    assert notes[1].location == Location(PATH, 21, 1)
    assert notes[1].citations[0].location == Location(PATH, 21, 5)


def test_example_every_url_in_the_notes_is_a_citation(example):
    source, brief, _ = example
    notes_text = source[source.index("\n[1]\u00a0https"):]
    found = {m.group().rstrip(".,") for m in URL.finditer(notes_text)}
    cited = {c.url for n in brief.notes for c in n.citations}
    assert found and found <= cited


def test_example_sentence_of_the_first_reference(example):
    _, brief, _ = example
    first = brief.references[0]
    assert first.sentence == (
        "Reuters reported on May 24 that four Russian sources who currently work or have "
        "worked with Putin stated that Putin is ready to negotiate a ceasefire that recognizes "
        "the current frontlines and that Putin is prepared to present the current amount of "
        "occupied Ukrainian territory as a Russian military victory to the Russian public."
    )
    assert first.location.line == 6
    assert brief.references[1].sentence.startswith("Western media reported similar interest")


def test_corpus_note_counts_match_the_manifest():
    root = shared(CORPUS)
    with (root / "MANIFEST.tsv").open(encoding="utf-8") as handle:
        manifest = {row["filename"]: int(row["n_notes"]) for row in csv.DictReader(handle, delimiter="\t")}
    differ = {}
    for name, expected in sorted(manifest.items()):
        text = (root / name).read_text(encoding="utf-8")
        brief, _ = parse_brief("---\ntitle: T\ndate: 2022-02-24\n---\n" + text, f"briefs/{name}")
        assert brief is not None
        if len(brief.notes) != expected:
            differ[name] = (len(brief.notes), expected)
    assert len(differ) <= 0.05 * len(manifest), differ


# ---------------------------------------------------------------- properties
WORDS = st.sampled_from(["putin", "said", "the", "war", "talks", "stalled.", "ceasefire,", "kyiv"])


@st.composite
def bodies(draw):
    # the notes section starts at note [1]; the others are any numbers
    numbers = sorted({1} | draw(st.sets(st.integers(2, 40), max_size=12)))
    items = draw(st.lists(st.one_of(WORDS, st.sampled_from(numbers).map(lambda k: f"[{k}]")), max_size=60))
    glue = draw(st.lists(st.sampled_from([" ", "", "\n"]), min_size=len(items), max_size=len(items)))
    body = "Start"
    for item, sep in zip(items, glue):
        body += (" " if sep == "\n" and item.startswith("[") else sep) + item
    notes = "\n".join(f"[{k}] https://example.com/{k}" for k in numbers)
    return body + "\n\n" + notes + "\n", numbers, sum(item.startswith("[") for item in items)


@settings(max_examples=200, deadline=None)
@given(bodies())
def test_references_and_notes_are_consistent(case):
    text, numbers, inserted = case
    brief, diagnostics = parse_brief(FRONT + text, PATH)
    ids = {n.id for n in brief.notes}
    assert ids == {str(k) for k in numbers}
    assert all(r.note in ids for r in brief.references)
    assert len(brief.references) == inserted
    assert brief.body_html.count('role="doc-noteref"') == inserted
    for note in ids:
        indexes = [r.index for r in brief.references if r.note == note]
        assert indexes == list(range(1, len(indexes) + 1))
    assert not [d for d in diagnostics if d.code == "citation.unknown-note"]


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_parse_never_raises_after_valid_front_matter(body):
    brief, diagnostics = parse_brief(FRONT + body, PATH)
    assert brief is not None
    assert all(d.location.path == PATH for d in diagnostics)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_parse_never_raises_on_any_text(text):
    brief, diagnostics = parse_brief(text, PATH)
    assert brief is not None or diagnostics


_SCHEME_PIECES = ["java", "vb", "script", "SCRIPT", "ſcript", "scrİpt", "scrıpt", "data", "DATA", "file", "FİLE",
                  "ftp", "ftps", "about", "blob", "Blob", ":", "/", "//", " ", "\t", "\n", "x", ".", "-", "+",
                  "text/html", "é", "İ", "ı", "ſ"]


@given(st.lists(st.sampled_from(_SCHEME_PIECES), max_size=12).map("".join))
@also_on("javaſcript:alert(1)")
@also_on("vbscrİpt :x")
@also_on("JAVASCRıPT:x")
def test_the_scheme_prefilter_keeps_every_text_the_pattern_matches(text):
    from briefgen.markdown.parse import _UNSUPPORTED_SCHEME, may_hold_unsupported_scheme
    if _UNSUPPORTED_SCHEME.search(text):
        assert may_hold_unsupported_scheme(text)


def test_an_unsupported_scheme_spelled_with_odd_letters_is_still_reported():
    body = "See [x](javaſcript:alert(1)) and [y](vbscrİpt:x).\n"
    _, diagnostics = parse_brief(FRONT + body, PATH)
    found = [(d.code, d.location.line, d.location.column) for d in diagnostics if d.code == "link.scheme"]
    assert found == [("link.scheme", 6, 9), ("link.scheme", 6, 38)]


def test_a_brief_without_unsupported_schemes_skips_the_search():
    from briefgen.markdown.parse import may_hold_unsupported_scheme
    assert not may_hold_unsupported_scheme(FRONT + "Russian forces attacked [1].\n\n[1] https://isw.pub/UkrWar052424\n")
