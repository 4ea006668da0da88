import json

import pytest

from briefgen.diagnostics import (BriefgenError, Location, error, format_report, has_errors,
                                  sort_diagnostics, strict, warning)


def test_text_format_names_file_line_column_severity_code():
    d = error("citation.unknown-note", Location("briefs/a.md", 12, 7), "no note [3]", "add note [3]")
    assert d.format_text() == "briefs/a.md:12:7: error: citation.unknown-note: no note [3] (hint: add note [3])"


def test_github_format_is_an_annotation_with_escaped_newlines():
    d = warning("note.empty", Location("briefs/a.md", 3, 1), "line one\nline two")
    assert d.format_github() == "::warning file=briefs/a.md,line=3,col=1,title=note.empty::line one%0Aline two"


def test_json_format_lists_every_field():
    d = error("x.y", Location("f.md", 2, 3), "msg", "hint")
    assert json.loads(format_report([d], "json")) == [
        {"code": "x.y", "severity": "error", "file": "f.md", "line": 2, "column": 3,
         "message": "msg", "hint": "hint"}
    ]


def test_sorting_is_by_place_then_code():
    a = warning("b", Location("f.md", 2, 1), "m")
    b = warning("a", Location("f.md", 2, 1), "m")
    c = error("z", Location("e.md", 9, 9), "m")
    assert sort_diagnostics([a, b, c]) == [c, b, a]


def test_strict_turns_warnings_into_errors():
    diags = strict([warning("w", Location("f"), "m")])
    assert has_errors(diags) and diags[0].severity == "error"


def test_error_carries_sorted_diagnostics():
    with pytest.raises(BriefgenError) as info:
        raise BriefgenError([error("b", Location("b"), "m"), error("a", Location("a"), "m")])
    assert [d.code for d in info.value.diagnostics] == ["a", "b"]
