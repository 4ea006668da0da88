from briefgen.diagnostics import Location
from briefgen.markdown import parse_brief
from briefgen.markdown.setup import make_markdown

FRONT = "---\ntitle: T\ndate: 2024-05-24\n---\n"  # the body starts on line 5
PATH = "briefs/x.md"


def parse(body: str):
    return parse_brief(FRONT + body, PATH)


def anchor(number: int, index: int = 1) -> str:
    return (
        f'<a class="noteref" role="doc-noteref" id="ref-{number}-{index}" '
        f'href="#note-{number}">[{number}]</a>'
    )


def codes(diagnostics):
    return [d.code for d in diagnostics]


def test_reference_renders_as_a_note_link():
    brief, diagnostics = parse("Putin wants a ceasefire.[1]\n\n[1] https://a.com\n")
    assert brief.body_html == f"<p>Putin wants a ceasefire.{anchor(1)}</p>\n"
    assert diagnostics == []
    [reference] = brief.references
    assert (reference.note, reference.index, reference.anchor) == ("1", 1, "ref-1-1")
    assert reference.location == Location(PATH, 5, 25)


def test_token_meta_holds_number_index_and_position():
    md = make_markdown()
    tokens = md.parse("A.[1]\nB [1].\n\n[1] x\n", {})
    children = [c for c in tokens[1].children if c.type == "noteref"]
    assert [(c.meta["number"], c.meta["index"], c.meta["line"], c.meta["column"]) for c in children] == [
        (1, 1, 1, 3), (1, 2, 2, 3),
    ]


def test_a_note_cited_twice_gets_two_anchors_in_document_order():
    brief, _ = parse("One [1] and [2].\n\nTwo [1].\n\n[1] https://a.com\n[2] https://b.com\n")
    assert [r.anchor for r in brief.references] == ["ref-1-1", "ref-2-1", "ref-1-2"]
    assert anchor(1, 2) in brief.body_html
    assert [r.location.line for r in brief.references] == [5, 5, 7]


def test_adjacent_references():
    brief, _ = parse("Two in a row.[2][3]\n\n[1] a\n[2] https://b.com\n[3] https://c.com\n")
    assert brief.body_html == f"<p>Two in a row.{anchor(2)}{anchor(3)}</p>\n"
    assert [r.location.column for r in brief.references] == [14, 17]


def test_unknown_note_stays_literal_with_a_warning():
    brief, diagnostics = parse("A quote [sic] and [2] here.[1]\n\n[1] https://a.com\n")
    assert brief.body_html == f"<p>A quote [sic] and [2] here.{anchor(1)}</p>\n"
    [diagnostic] = diagnostics
    assert diagnostic.code == "citation.unknown-note"
    assert diagnostic.severity == "warning"
    assert diagnostic.location == Location(PATH, 5, 19)
    assert diagnostic.hint == "add note [2] to the notes section, or write \\[2\\] for literal brackets"
    assert [r.note for r in brief.references] == ["1"]


def test_escaped_brackets_code_spans_and_links_are_not_references():
    body = "Escaped \\[1\\], code `[1]`, link [1](https://x.com), ref link [1][r].[1]\n\n[r]: https://r.com\n\n[1] https://a.com\n"
    brief, diagnostics = parse(body)
    assert [r.location.column for r in brief.references] == [69]
    assert "<code>[1]</code>" in brief.body_html
    assert '<a href="https://x.com">1</a>' in brief.body_html
    assert '<a href="https://r.com">1</a>' in brief.body_html
    assert diagnostics == []


def test_a_link_reference_definition_wins_over_a_missing_note():
    brief, diagnostics = parse("See [7].\n\n[7]: https://seven.example\n")
    assert '<a href="https://seven.example">7</a>' in brief.body_html
    assert diagnostics == []


def test_positions_in_containers_and_wrapped_lines():
    body = "> quoted\n> text [1]\n\n- item\n  more [1]\n\n| a | b |\n| - | - |\n| x | y [1] |\n\n[1] https://a.com\n"
    brief, _ = parse(body)
    assert [(r.location.line, r.location.column) for r in brief.references] == [(6, 8), (9, 8), (13, 9)]


def test_position_after_lines_markdown_trims_away():
    brief, diagnostics = parse("\u00a0\nText [2].\n\n*\u00a0\n[2] x\n")
    assert [(d.location.line, d.location.column) for d in diagnostics] == [(6, 6), (9, 1)]


def test_crlf_and_bom_keep_lines_and_columns():
    text = "\ufeff" + FRONT.replace("\n", "\r\n") + "Line one\r\nline two.[1]\r\n\r\n[1] https://a.com\r\n"
    brief, diagnostics = parse_brief(text, PATH)
    assert diagnostics == []
    assert brief.references[0].location == Location(PATH, 6, 10)
    assert brief.notes[0].location == Location(PATH, 8, 1)
    assert brief.notes[0].citations[0].location == Location(PATH, 8, 5)


def test_raw_html_is_escaped():
    brief, _ = parse("<script>alert(1)</script>\n\nText <b onclick=x>b</b>.[1]\n\n[1] https://a.com\n")
    assert "<script>" not in brief.body_html and "<b " not in brief.body_html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in brief.body_html


# ---------------------------------------------------------------- footnotes
FOOTNOTES = (
    "A footnote.[^src] A note.[1] Again [^src]. Other[^Two_Words].\n\n"
    "[^src]: See https://x.com/y ; *commentary*.\n"
    "    continued @key-1\n"
    "[^Two_Words]: https://z.com\n"
    "[^unused]: nothing\n\n"
    "[1] https://a.com\n"
)


def test_footnotes_are_numbered_after_the_notes():
    brief, diagnostics = parse(FOOTNOTES)
    assert [(n.id, n.number) for n in brief.notes] == [
        ("1", 1), ("fn-src", 2), ("fn-two-words", 3), ("fn-unused", 4),
    ]
    assert [r.anchor for r in brief.references] == ["ref-fn-src-1", "ref-1-1", "ref-fn-src-2", "ref-fn-two-words-1"]
    assert codes(diagnostics) == ["note.unreferenced"]
    assert diagnostics[0].location == Location(PATH, 10, 1)


def test_footnote_references_render_like_notes_and_the_plugin_block_is_gone():
    brief, _ = parse(FOOTNOTES)
    assert (
        '<a class="noteref" role="doc-noteref" id="ref-fn-src-1" href="#note-fn-src">[2]</a>'
        in brief.body_html
    )
    assert "footnote-" not in brief.body_html and "fnref" not in brief.body_html
    assert "nothing" not in brief.body_html and "commentary" not in brief.body_html


def test_footnote_text_is_split_like_a_note():
    brief, _ = parse(FOOTNOTES)
    footnote = brief.notes[1]
    assert footnote.location == Location(PATH, 7, 1)
    assert [(c.url, c.key, c.location.line, c.location.column) for c in footnote.citations] == [
        ("https://x.com/y", None, 7, 13), (None, "key-1", 8, 15),
    ]
    assert [p.html for p in footnote.parts if p.kind == "text"] == ["See", "<em>commentary</em>.\ncontinued"]
    assert brief.references[0].location == Location(PATH, 5, 12)


def test_duplicate_footnote_definition():
    brief, diagnostics = parse("A[^a].\n\n[^a]: one\n\n[^a]: two\n")
    assert [n.id for n in brief.notes] == ["fn-a"]
    assert codes(diagnostics) == ["note.duplicate"]
    assert diagnostics[0].location == Location(PATH, 9, 1)


def test_undefined_footnote_stays_text():
    brief, diagnostics = parse("A[^nope].\n")
    assert brief.body_html == "<p>A[^nope].</p>\n"
    assert brief.references == () and diagnostics == []
