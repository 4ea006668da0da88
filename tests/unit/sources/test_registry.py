"""The source registry: YAML and BibTeX files, and merging them."""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest

from briefgen.diagnostics import Location
from briefgen.model import Source
from briefgen.sources.registry import merge_registry, parse_bibtex, parse_registry

PATH = "citations/news.yaml"


def diag(diagnostics) -> list[tuple[str, str, int, int]]:
    return [(d.code, d.severity, d.location.line, d.location.column) for d in diagnostics]


def parse(text: str):
    return parse_registry(textwrap.dedent(text), PATH)


# --------------------------------------------------------------------- YAML
def test_full_entry() -> None:
    sources, diagnostics = parse("""\
        # Reuters
        reuters-2024-05-24-putin-ceasefire:          # the source id
          url: https://www.reuters.com/world/europe/putin-wants-ukraine-ceasefire-current-frontlines-sources-say-2024-05-24/
          title: Putin wants Ukraine ceasefire on current frontlines, sources say
          publisher: Reuters
          date: 2024-05-24
          kind: news
          aliases: [https://reut.rs/abc, "www.reuters.com/x"]
          archived: https://web.archive.org/web/2024/https://www.reuters.com/x
        """)
    assert diagnostics == []
    assert sources == [Source(
        id="reuters-2024-05-24-putin-ceasefire",
        url="https://www.reuters.com/world/europe/putin-wants-ukraine-ceasefire-current-frontlines-sources-say-2024-05-24/",
        title="Putin wants Ukraine ceasefire on current frontlines, sources say",
        publisher="Reuters", date=dt.date(2024, 5, 24), kind="news",
        aliases=("https://reut.rs/abc", "https://www.reuters.com/x"),
        archived="https://web.archive.org/web/2024/https://www.reuters.com/x",
        inferred=False, location=Location(PATH, 2, 1),
    )]


def test_missing_title_and_publisher_are_inferred_with_warnings() -> None:
    sources, diagnostics = parse("""\
        a:
          url: https://www.nytimes.com/2023/12/23/world/europe/putin-russia-ukraine-war-cease-fire.html
        """)
    assert diag(diagnostics) == [("registry.missing-field", "warning", 1, 1)] * 2
    source = sources[0]
    assert (source.title, source.publisher, source.date, source.kind) == (
        "Putin russia ukraine war cease fire", "The New York Times", dt.date(2023, 12, 23), "news")


def test_text_fields_keep_yaml_scalars_as_written() -> None:
    sources, diagnostics = parse("""\
        b:
          url: https://example.com/b
          title: yes
          publisher: 1984
        """)
    assert diagnostics == []
    assert (sources[0].title, sources[0].publisher) == ("yes", "1984")


@pytest.mark.parametrize("text, expected", [
    ("a: [", [("registry.yaml", "error", 2, 1)]),
    ("a:\n  url: 'open\n", [("registry.yaml", "error", 3, 1)]),
    ("a:\n\tb: 1\n", [("registry.yaml", "error", 2, 1)]),
    ("- a\n- b\n", [("registry.not-mapping", "error", 1, 1)]),
    ("just text\n", [("registry.not-mapping", "error", 1, 1)]),
    ("a: 3\n", [("registry.entry", "error", 1, 4)]),
    ("a:\n", [("registry.entry", "error", 1, 3)]),
    ("a:\n  title: T\n", [("registry.url", "error", 1, 1)]),
    ("a:\n  url: javascript:alert(1)\n", [("registry.url", "error", 2, 8)]),
    ("a:\n  url: [x]\n", [("registry.url", "error", 2, 8)]),
    ("a:\n  url: https://a.com\n  titel: T\n  publisher: P\n",
     [("registry.unknown-key", "error", 3, 3), ("registry.missing-field", "warning", 1, 1)]),
    ("a:\n  url: https://a.com\n  title: T\n  publisher: P\n  kind: blog\n",
     [("registry.kind", "warning", 5, 9)]),
    ("a:\n  url: https://a.com\n  title: T\n  publisher: P\n  date: 2024-02-30\n",
     [("registry.date", "error", 5, 9)]),
    ("a:\n  url: https://a.com\n  title: T\n  publisher: P\n  date: May 2024\n",
     [("registry.date", "error", 5, 9)]),
    ("a:\n  url: https://a.com\n  title: T\n  publisher: P\n  date: 2024-05\n",
     [("registry.date", "warning", 5, 9)]),
    ("a:\n  url: https://a.com\n  title: T\n  publisher: P\n  date: 2024\n",
     [("registry.date", "warning", 5, 9)]),
    ("a:\n  url: https://a.com\n  title: {x: 1}\n  publisher: P\n",
     [("registry.type", "error", 3, 10), ("registry.missing-field", "warning", 1, 1)]),
    ("a:\n  url: https://a.com\n  title: T\n  publisher: P\n  aliases: [https://b.com, nope]\n",
     [("registry.url", "error", 5, 28)]),
    ("a:\n  url: https://a.com\n  title: T\n  url: https://b.com\n  publisher: P\n",
     [("registry.duplicate-field", "error", 4, 3)]),
    ("bad id!:\n  url: https://a.com\n", [("registry.id", "error", 1, 1)]),
    ("a..b:\n  url: https://a.com\n", [("registry.id", "error", 1, 1)]),
    ("-a:\n  url: https://a.com\n", [("registry.id", "error", 1, 1)]),
])
def test_registry_errors(text: str, expected) -> None:
    _, diagnostics = parse_registry(text, PATH)
    assert diag(diagnostics) == expected
    assert all(d.location.path == PATH and d.message for d in diagnostics)


def test_partial_date_is_kept_empty() -> None:
    sources, _ = parse_registry("a:\n  url: https://a.com/x-2024-05-24\n  title: T\n  publisher: P\n"
                                "  date: 2024-05\n", PATH)
    assert sources[0].date is None


def test_unknown_key_hint_lists_allowed_fields() -> None:
    _, diagnostics = parse_registry("a:\n  url: https://a.com\n  titel: T\n", PATH)
    assert "did you mean 'title'?" in diagnostics[0].hint
    assert "url, title, publisher, date, kind, aliases, archived" in diagnostics[0].hint


def test_duplicate_id_in_one_file_names_both_lines() -> None:
    text = "a:\n  url: https://a.com\n  title: T\n  publisher: P\nb:\n  url: https://b.com\n" \
           "  title: T\n  publisher: P\na:\n  url: https://c.com\n"
    sources, diagnostics = parse_registry(text, PATH)
    assert [s.id for s in sources] == ["a", "b"]
    assert diag(diagnostics) == [("registry.duplicate-id", "error", 9, 1)]
    assert f"{PATH}:1:1" in diagnostics[0].message


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "---\n", "~\n"])
def test_empty_files(text: str) -> None:
    assert parse_registry(text, PATH) == ([], [])


# ------------------------------------------------------------------- BibTeX
BIB = """\
@article{reuters-putin,
  title = {Putin wants {Ukraine} ceasefire on current frontlines, sources say},
  journal = {Reuters},
  year = 2024, month = may, day = {24},
  url = {https://www.reuters.com/world/europe/putin-wants-ukraine-ceasefire-current-frontlines-sources-say-2024-05-24/}
}

@techreport{isw-report,
  title = {Russia's Military Posture},
  institution = {Institute for the Study of War},
  date = {2023-01},
  url = {https://www.understandingwar.org/report/russias-military-posture}
}
  @online{doi-only, title={A \\& B}, doi={10.1000/xyz}, journaltitle={Journal}, date={2023-01-02}}
@misc{no-url, title = {Nothing}}
"""


def test_parse_bibtex() -> None:
    sources, diagnostics = parse_bibtex(BIB, "citations/refs.bib")
    assert diag(diagnostics) == [("registry.url", "error", 15, 1)]
    assert [(s.id, s.title, s.publisher, s.date, s.kind, s.location) for s in sources] == [
        ("reuters-putin", "Putin wants Ukraine ceasefire on current frontlines, sources say", "Reuters",
         dt.date(2024, 5, 24), "news", Location("citations/refs.bib", 1, 1)),
        ("isw-report", "Russia's Military Posture", "Institute for the Study of War", None, "document",
         Location("citations/refs.bib", 8, 1)),
        ("doi-only", "A & B", "Journal", dt.date(2023, 1, 2), "news", Location("citations/refs.bib", 14, 3)),
    ]
    assert sources[2].url == "https://doi.org/10.1000/xyz"


def test_bibtex_syntax_error_is_a_diagnostic() -> None:
    _, diagnostics = parse_bibtex("@article{a, title={X}, url=}\n", "r.bib")
    assert diag(diagnostics)[0] == ("registry.bibtex", "error", 1, 1)


def test_bibtex_duplicate_key() -> None:
    text = "@misc{a, url={https://a.com}, title={A}, publisher={P}}\n\n" \
           "@misc{a, url={https://b.com}, title={B}, publisher={P}}\n"
    sources, diagnostics = parse_bibtex(text, "r.bib")
    assert [s.url for s in sources] == ["https://a.com"]
    assert diag(diagnostics) == [("registry.duplicate-id", "error", 3, 1)]
    assert "r.bib:1:1" in diagnostics[0].message


@pytest.mark.parametrize("text", ["", "garbage {{{", "@article{", "@comment{x}", "@string{a = {b}}"])
def test_bibtex_never_raises(text: str) -> None:
    sources, diagnostics = parse_bibtex(text, "r.bib")
    assert isinstance(sources, list) and isinstance(diagnostics, list)


# -------------------------------------------------------------------- merge
def source(source_id: str, url: str, line: int, path: str = "citations/a.yaml", aliases=()) -> Source:
    return Source(source_id, url, "T", "P", None, "news", tuple(aliases), location=Location(path, line, 1))


def test_merge_registry() -> None:
    sources = [
        source("a", "https://www.reuters.com/x/", 1, aliases=["https://reut.rs/1"]),
        source("isw", "https://isw.pub/UkrWar052424", 5),
        source("a", "https://other.com", 2, path="citations/b.yaml"),
        source("c", "https://reuters.com/x?utm_source=t", 9, path="citations/b.yaml"),
        source("d", "https://www.understandingwar.org/backgrounder/russian-offensive-campaign-assessment-may-24-2024",
               12, path="citations/b.yaml"),
    ]
    by_id, by_key, diagnostics = merge_registry(sources)
    assert list(by_id) == ["a", "isw", "c", "d"]
    assert by_id["a"].url == "https://www.reuters.com/x/"
    assert by_key == {
        "https://reuters.com/x": "a",
        "https://reut.rs/1": "a",
        "isw-assessment:2024-05-24": "isw",
    }
    assert diag(diagnostics) == [
        ("registry.duplicate-id", "error", 2, 1),
        ("registry.duplicate-url", "error", 9, 1),
        ("registry.duplicate-url", "error", 12, 1),
    ]
    assert "citations/a.yaml:1:1" in diagnostics[0].message
    assert "'a'" in diagnostics[1].message and "citations/a.yaml:1:1" in diagnostics[1].message
    assert "'isw'" in diagnostics[2].message and "citations/a.yaml:5:1" in diagnostics[2].message


def test_merge_same_url_twice_in_one_entry_is_fine() -> None:
    by_id, by_key, diagnostics = merge_registry(
        [source("a", "https://a.com/x", 1, aliases=["https://www.a.com/x/"])])
    assert (list(by_id), by_key, diagnostics) == (["a"], {"https://a.com/x": "a"}, [])


def test_kinds_used_in_the_wild_read_as_their_category():
    text = "".join(f"s{i}:\n  url: https://e{i}.org/a\n  title: T\n  publisher: P\n  kind: {kind}\n"
                   for i, kind in enumerate(["telegram", "video", "official", "isw-backgrounder"]))
    sources, diagnostics = parse_registry(text, "citations/s.yaml")
    assert diagnostics == []
    assert [s.kind for s in sources] == ["social", "social", "document", "backgrounder"]


@pytest.mark.parametrize("text, line, column", [
    ("-\x850", 1, 4),                                                         # NEL: a line break to YAML
    ("a:\n  url: https://example.org/x\n  title: T\u2028  kind: nope\n", 3, 20),   # LS
    ("a:\r  url: https://example.org/x\r  kind: nope\r", 1, 41),             # lone carriage returns
])
def test_locations_count_lines_as_editors_do_where_yaml_counts_other_breaks(text, line, column):
    _, diagnostics = parse_registry(text, "citations/r.yaml")
    last = diagnostics[-1].location
    assert (last.line, last.column) == (line, column)
    assert all(1 <= d.location.line <= text.count("\n") + 1 for d in diagnostics)
