from briefgen.diagnostics import Location
from briefgen.markdown import parse_brief
from briefgen.markdown.notes import is_notes_heading, split_note, strip_separators
from briefgen.markdown.setup import make_markdown
from briefgen.model import Citation, NotePart

FRONT = "---\ntitle: T\ndate: 2024-05-24\n---\n"  # the body starts on line 5
PATH = "briefs/x.md"


def parse(body: str):
    return parse_brief(FRONT + body, PATH)


def split(raw: str, line: int = 10, column: int = 5):
    return split_note(raw, line, PATH, column)


def urls(citations):
    return [c.url for c in citations]


def at(line: int, column: int) -> Location:
    return Location(PATH, line, column)


# ----------------------------------------------------------------- block rule
def test_notes_section_tokens_and_env():
    md = make_markdown()
    env: dict = {}
    tokens = md.parse("Text.[1]\n\n[1]\u00a0https://a.com ;\nhttps://b.com\n\n[2] x\n", env)
    notes = [t for t in tokens if t.type == "note"]
    assert [t.type for t in tokens[-4:]] == ["notes_open", "note", "note", "notes_close"]
    assert all(t.hidden for t in tokens[-4:])
    assert [t.meta["number"] for t in notes] == [1, 2]
    assert notes[0].meta["raw"] == "\u00a0https://a.com ;\nhttps://b.com"
    assert (notes[0].meta["line"], notes[0].meta["column"], notes[0].meta["raw_column"]) == (3, 1, 4)
    assert notes[0].map == [2, 4]
    assert env["briefgen"]["numbers"] == {1, 2}


def test_notes_are_not_in_the_body_html():
    brief, _ = parse("Text.[1]\n\n[1] https://a.com\n")
    assert brief.body_html == (
        '<p>Text.<a class="noteref" role="doc-noteref" id="ref-1-1" href="#note-1">[1]</a></p>\n'
    )


def test_first_note_without_space_before_the_url():
    brief, _ = parse("Text.[1]\n\n[1]https://a.com/x\n[2]See https://b.com\n")
    assert [n.number for n in brief.notes] == [1, 2]
    assert brief.notes[0].citations[0].location == at(7, 4)
    assert brief.notes[1].parts[0] == NotePart("text", html="See")


def test_nbsp_and_leading_white_space_before_notes():
    brief, _ = parse("Text.[1][2]\n\n\u00a0[1]\u00a0https://a.com\n [2] https://b.com\n")
    assert [n.location for n in brief.notes] == [at(7, 2), at(8, 2)]
    assert [n.citations[0].location for n in brief.notes] == [at(7, 6), at(8, 6)]


def test_a_note_line_right_after_a_paragraph_starts_the_notes():
    brief, _ = parse("Putin wants a ceasefire.[1]\n[1] https://a.com\n")
    assert "https" not in brief.body_html
    assert brief.notes[0].location == at(6, 1)


def test_notes_heading_belongs_to_the_notes():
    for heading in ("## Notes", "Notes", "Endnotes:", "REFERENCES", "**Sources**", "Notes\n-----"):
        brief, _ = parse(f"Text.[1]\n\n{heading}\n\n[1] https://a.com\n")
        assert brief.body_html.count("<") == 4, heading  # <p>, <a>, </a>, </p>
        brief, _ = parse(f"Text.[1]\n\n{heading}\n[1] https://a.com\n")
        assert brief.body_html.count("<") == 4, heading


def test_other_text_above_the_notes_stays_in_the_body():
    brief, _ = parse("Text.[1]\n\nNotes on method\n\n[1] https://a.com\n")
    assert "<p>Notes on method</p>" in brief.body_html
    assert is_notes_heading("Notes:") and not is_notes_heading("Notes on method")


def test_lines_that_do_not_start_the_notes():
    body = "Text.[1]\n\n[1]: https://link.example\n\n```\n[1] code\n```\n\n    [1] indented code\n\n[1]\n"
    brief, _ = parse(body)
    assert brief.notes == ()
    assert "[1] code" in brief.body_html and "[1] indented code" in brief.body_html


def test_continuation_lines_and_blank_lines_between_notes():
    brief, _ = parse("Text.[1][2]\n\n[1] https://a.com\n\nhttps://b.com\n\n[2] https://c.com\n")
    assert [urls(n.citations) for n in brief.notes] == [
        ["https://a.com", "https://b.com"], ["https://c.com"],
    ]
    assert brief.notes[0].citations[1].location == at(9, 1)


# ------------------------------------------------------------- diagnostics
def test_note_diagnostics():
    body = "Text [1][2][4][5].\n\n[1] https://a.com ; https://a.com\n[2]\n[1] https://b.com\n[4] x\n[5] y\n[6] z\n"
    brief, diagnostics = parse(body)
    found = sorted((d.code, d.location.line, d.location.column) for d in diagnostics)
    assert found == [
        ("note.duplicate", 9, 1),
        ("note.duplicate-url", 7, 21),
        ("note.empty", 8, 1),
        ("note.numbering", 10, 1),
        ("note.unreferenced", 12, 1),
    ]
    assert all(d.severity == "warning" for d in diagnostics)
    assert [n.number for n in brief.notes] == [1, 2, 4, 5, 6]
    assert urls(brief.notes[0].citations) == ["https://a.com", "https://a.com"]
    duplicate = next(d for d in diagnostics if d.code == "note.duplicate")
    assert "line 7" in duplicate.message


# ----------------------------------------------------------------- split_note
def test_urls_separated_by_semicolons_with_and_without_spaces():
    parts, citations = split("\u00a0https://a.com/x\u00a0 ;\u00a0https://b.com/y;https://c.com/z")
    assert urls(citations) == ["https://a.com/x", "https://b.com/y", "https://c.com/z"]
    assert [c.location.column for c in citations] == [6, 25, 41]
    assert parts == tuple(NotePart("citation", citation=i) for i in range(3))


def test_commentary_and_a_registry_key():
    parts, citations = split(" ISW cannot confirm this report. @reuters-2024-05-24")
    assert parts == (NotePart("text", html="ISW cannot confirm this report."), NotePart("citation", citation=0))
    assert citations == (Citation("@reuters-2024-05-24", None, "reuters-2024-05-24", Location(PATH, 10, 38)),)


def test_email_addresses_are_not_keys():
    parts, citations = split(" write to press@example.com")
    assert citations == ()
    assert parts == (NotePart("text", html="write to press@example.com"),)


def test_markdown_links_angle_brackets_and_bare_hosts():
    _, citations = split(" [Reuters](https://www.reuters.com/a) said; <https://b.org/c>; www.example.com/p, t.me/chan/12")
    assert [(c.text, c.url) for c in citations] == [
        ("[Reuters](https://www.reuters.com/a)", "https://www.reuters.com/a"),
        ("<https://b.org/c>", "https://b.org/c"),
        ("www.example.com/p", "https://www.example.com/p"),
        ("t.me/chan/12", "https://t.me/chan/12"),
    ]


def test_disguised_urls_are_unlinked_citations():
    _, citations = split(" tass dot ru; meduza [dot] io; ria (dot) ru/abc.; http://kremlin dot ru/events/1.")
    assert [(c.text, c.url, c.linked) for c in citations] == [
        ("tass dot ru", "https://tass.ru", False),
        ("meduza [dot] io", "https://meduza.io", False),
        ("ria (dot) ru/abc", "https://ria.ru/abc", False),
        ("http://kremlin dot ru/events/1", "http://kremlin.ru/events/1", False),
    ]


def test_prose_with_dot_is_not_a_url():
    parts, citations = split(" connect the dot to the line")
    assert citations == ()
    assert parts == (NotePart("text", html="connect the dot to the line"),)


def test_glued_urls_are_split_but_archives_stay_whole():
    _, citations = split(
        " https://a.com/abc/https://b.com/d https://c.com/2https://d.com/e "
        "https://web.archive.org/web/2022/https://x.com/y https://s.com/?u=https://v.com"
    )
    assert urls(citations) == [
        "https://a.com/abc/", "https://b.com/d", "https://c.com/2", "https://d.com/e",
        "https://web.archive.org/web/2022/https://x.com/y", "https://s.com/?u=https://v.com",
    ]


def test_commas_between_urls_and_inside_urls():
    _, citations = split(" https://a.com/x?cxt=A, https://b.com/y,https://c.com/a,b")
    assert urls(citations) == ["https://a.com/x?cxt=A", "https://b.com/y", "https://c.com/a,b"]


def test_broken_schemes_are_repaired_and_text_kept_as_written():
    _, citations = split(" ttps://a.com/x; htps://b.com; ttps://http://c.com/z; htt ps://d.com")
    assert [(c.text, c.url) for c in citations] == [
        ("ttps://a.com/x", "https://a.com/x"),
        ("htps://b.com", "https://b.com"),
        ("ttps://http://c.com/z", "http://c.com/z"),
        ("htt ps://d.com", "https://d.com"),
    ]


def test_trailing_punctuation_and_balanced_parentheses():
    _, citations = split(" (see https://en.wikipedia.org/wiki/Foo_(bar)). “https://q.com/a”; https://p.com/x%20")
    assert urls(citations) == ["https://en.wikipedia.org/wiki/Foo_(bar)", "https://q.com/a", "https://p.com/x"]


def test_locations_on_continuation_lines():
    _, citations = split(" https://x.com/a\n\n  https://y.com/b", line=20, column=4)
    assert [c.location for c in citations] == [at(20, 5), at(22, 3)]


def test_commentary_is_inline_markdown_and_escaped():
    parts, _ = split(" *Graphic* <b>content</b>; https://a.com")
    assert parts[0] == NotePart("text", html="<em>Graphic</em> &lt;b&gt;content&lt;/b&gt;")


def test_separators_alone_make_no_text_part():
    parts, _ = split(" ; , https://a.com ; . ;%20 ")
    assert parts == (NotePart("citation", citation=0),)
    assert strip_separators(" ;%20Reuters:; ") == "Reuters:"


def test_script_urls_never_become_citations():
    raw = " [x](javascript:alert(1)) <javascript:alert(1)> <vbscript://x> jscript://y"
    parts, citations = split(raw)
    assert [(c.text, c.url) for c in citations] == [("<vbscript://x>", "http://x")]
    assert "javascript" in parts[0].html and "<a" not in parts[0].html
