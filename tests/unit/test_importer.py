"""The importer: pasted assessment text -> brief text, verbatim body and notes."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from briefgen.importer import body_and_notes, cut_lines, full_date, import_text, is_byline, yaml_scalar
from briefgen.markdown import parse_brief

PASTED = (
    "Russian Offensive Campaign Assessment, September 25\n"
    "Special Edition on Russian Mobilization\n"
    "By Frederick W. Kagan and Mason Clark\n"
    "\n"
    "September 25, 6 pm ET\n"
    "\n"
    "Body text.[1]\u00a0Two spaces  kept.[2]\n"
    "\n"
    "[1]\u00a0https://t.me/rybar/1; https://tass dot ru/x/1\n"
    "[2]https://www.reuters.com/a-2022-09-25/\n"
)


def test_import_moves_title_byline_and_date_line_and_keeps_everything_else():
    imported, diagnostics = import_text(PASTED, "isw-2022-09-25.txt")
    assert diagnostics == []
    assert (imported.title, imported.date, imported.authors, imported.series) == (
        "Russian Offensive Campaign Assessment, September 25", dt.date(2022, 9, 25),
        ("Frederick W. Kagan", "Mason Clark"), "Russian Offensive Campaign Assessment")
    assert imported.body == (
        "Special Edition on Russian Mobilization\n\nBody text.[1]\u00a0Two spaces  kept.[2]\n\n"
        "[1]\u00a0https://t.me/rybar/1; https://tass dot ru/x/1\n[2]https://www.reuters.com/a-2022-09-25/\n")
    assert imported.text.endswith(imported.body)
    assert imported.file_name == "2022-09-25-russian-offensive-campaign-assessment.md"


def test_imported_text_parses_as_a_brief_with_its_front_matter():
    imported, _ = import_text(PASTED, "isw-2022-09-25.txt")
    brief, diagnostics = parse_brief(imported.text, "briefs/" + imported.file_name)
    assert [d.code for d in diagnostics if d.severity == "error"] == []
    assert (brief.title, brief.date, brief.authors) == (imported.title, imported.date, imported.authors)
    assert [n.number for n in brief.notes] == [1, 2]
    assert [c.linked for c in brief.notes[0].citations] == [True, False]


@pytest.mark.parametrize("title, date_line, name, expected", [
    ("Assessment, February 25, 2022", "February 26, 2023, 3 pm", "isw-2021-01-01.txt", dt.date(2022, 2, 25)),
    ("Assessment, February 25", "February 26, 2023, 3 pm", "isw-2021-01-01.txt", dt.date(2023, 2, 26)),
    ("Assessment, February 25", "February 26, 3 pm EST", "isw-2022-02-25.txt", dt.date(2022, 2, 25)),
])
def test_date_from_title_then_date_line_then_file_name(title, date_line, name, expected):
    imported, _ = import_text(f"{title}\nAnn Lee\n{date_line}\n\nBody.\n", name)
    assert imported.date == expected


def test_date_option_wins_and_no_date_is_an_error():
    imported, _ = import_text("Assessment, February 25, 2022\n\nBody.\n", "a.txt", date=dt.date(2020, 1, 2))
    assert imported.date == dt.date(2020, 1, 2)
    assert import_text("An assessment\n\nBody.\n", "notes.txt")[1][0].code == "import.no-date"
    assert import_text("\n \n", "empty-2022-01-01.txt")[1][0].code == "import.empty"


def test_missing_byline_is_a_warning_with_a_location():
    imported, diagnostics = import_text("Assessment, May 2, 2022\n\nBody.[1]\n\n[1] https://a.org/x\n", "x.txt")
    assert imported.authors == ()
    assert [(d.code, d.location.line) for d in diagnostics] == [("import.no-byline", 1)]


def test_the_example_assessment_keeps_its_preamble_line():
    text = ("Why Putin Remains Uninterested\n\n\n\nThe following excerpt was published as part of the "
            "May 24, 2024, Russian Offensive Campaign Assessment.\n\nRiley Bailey, and Frederick W. Kagan\n\n"
            "Western media continues.[1]\n\n[1] https://isw.pub/UkrWar052424\n")
    imported, _ = import_text(text, "isw-2024-05-24-negotiations.txt")
    assert imported.body.startswith("The following excerpt was published")
    assert "\n\nWestern media continues.[1]" in imported.body and "Riley" not in imported.body
    assert imported.series == "Russian Offensive Campaign Assessment"


@pytest.mark.parametrize("line, expected", [
    ("Mason Clark, George Barros, and Kateryna Stepanenko", True),
    ("By Kateryna Stepanenko, Katherine Lawlor, George Barros, and Frederick W. Kagan", True),
    ("Frederick W. Kagan", True),
    ("Key Takeaways", False),
    ("Special Edition: Russian Military Capabilities Assessments", False),
    ("Russian forces struck Kyiv on November 23.", False),
])
def test_byline(line, expected):
    assert is_byline(line) is expected


def test_cut_lines_takes_the_line_breaks_before_each_line():
    assert cut_lines("T\n\n\nA\nB\n\nC\n", [0, 4]) == "A\n\nC\n"
    assert body_and_notes("T\n\nA  \n") == "A  \n"


def test_full_date():
    assert full_date("Assessment, January 2, 2023") == dt.date(2023, 1, 2)
    assert full_date("Sept. 30 2022 and more") == dt.date(2022, 9, 30)
    assert full_date("February 30, 2022") is None
    assert full_date("March 3") is None


@pytest.mark.parametrize("text", ["Plain title", "Title: with colon", "yes", "2024", "[x] y", "a #b", "'q'",
                                  "Russia-Ukraine Warning Update: Initial Russian Offensive Campaign Assessment"])
def test_yaml_scalar_reads_back_the_same(text):
    assert yaml.safe_load(f"k: {yaml_scalar(text)}") == {"k": text}
