import datetime as dt

from briefgen.diagnostics import Location
from briefgen.markdown import parse_brief
from briefgen.markdown.frontmatter import ALLOWED_KEYS, FrontMatter, read_front_matter

PATH = "briefs/2024-05-24-negotiations.md"


def codes(diagnostics):
    return [d.code for d in diagnostics]


def test_all_fields_are_read():
    yaml_text = (
        "title: Why Putin Remains Uninterested\n"
        "date: 2024-05-24\n"
        "authors: [Riley Bailey, Frederick W. Kagan]\n"
        "series: Russian Offensive Campaign Assessment\n"
        "summary: A short summary.\n"
        "tags: [negotiations, ceasefire]\n"
        "shortlink: https://isw.pub/UkrWar052424\n"
        "slug: 2024-05-24-negotiations\n"
    )
    fields, diagnostics = read_front_matter(yaml_text, PATH)
    assert diagnostics == []
    assert fields == FrontMatter(
        title="Why Putin Remains Uninterested",
        date=dt.date(2024, 5, 24),
        authors=("Riley Bailey", "Frederick W. Kagan"),
        series="Russian Offensive Campaign Assessment",
        summary="A short summary.",
        tags=("negotiations", "ceasefire"),
        shortlinks=("https://isw.pub/UkrWar052424",),
        slug="2024-05-24-negotiations",
    )


def test_single_strings_and_lists_are_both_accepted():
    fields, diagnostics = read_front_matter(
        "title: T\ndate: '2024-05-24'\nauthors: Riley Bailey\ntags: ceasefire\n"
        "shortlink: [https://isw.pub/a, https://isw.pub/b]\n",
        PATH,
    )
    assert diagnostics == []
    assert fields.date == dt.date(2024, 5, 24)
    assert fields.authors == ("Riley Bailey",)
    assert fields.tags == ("ceasefire",)
    assert fields.shortlinks == ("https://isw.pub/a", "https://isw.pub/b")


def test_a_datetime_counts_as_its_date():
    fields, _ = read_front_matter("title: T\ndate: 2024-05-24 10:30:00\n", PATH)
    assert fields.date == dt.date(2024, 5, 24)


def test_missing_title_is_an_error_at_the_opening_line():
    fields, diagnostics = read_front_matter("date: 2024-05-24\n", PATH)
    assert fields is None
    assert codes(diagnostics) == ["frontmatter.title"]
    assert diagnostics[0].severity == "error"
    assert diagnostics[0].location == Location(PATH, 1, 1)


def test_empty_title_points_at_its_key():
    fields, diagnostics = read_front_matter("date: 2024-05-24\ntitle: '  '\n", PATH)
    assert fields is None
    assert codes(diagnostics) == ["frontmatter.title"]
    assert diagnostics[0].location == Location(PATH, 3, 1)


def test_invalid_dates():
    for text in ("title: T\ndate: May 24\n", "title: T\ndate: '2024-02-30'\n", "title: T\n"):
        fields, diagnostics = read_front_matter(text, PATH)
        assert fields is None
        assert codes(diagnostics) == ["frontmatter.date"], text


def test_a_date_yaml_cannot_build_is_a_yaml_error_with_its_line():
    fields, diagnostics = read_front_matter("title: T\ndate: 2024-02-30\n", PATH)
    assert fields is None
    assert codes(diagnostics) == ["frontmatter.yaml"]
    assert diagnostics[0].location == Location(PATH, 3, 7)


def test_unknown_key_is_a_warning_with_the_allowed_keys():
    fields, diagnostics = read_front_matter("title: T\ndate: 2024-05-24\n  \nauthor: X\n", PATH)
    assert fields is not None
    [diagnostic] = diagnostics
    assert diagnostic.code == "frontmatter.unknown-key"
    assert diagnostic.severity == "warning"
    assert diagnostic.location == Location(PATH, 5, 1)
    assert "did you mean `authors`?" in diagnostic.hint
    assert all(key in diagnostic.hint for key in ALLOWED_KEYS)


def test_yaml_syntax_error_points_at_the_file_line():
    fields, diagnostics = read_front_matter("title: T\n  bad: indent\n", PATH)
    assert fields is None
    assert codes(diagnostics) == ["frontmatter.yaml"]
    assert diagnostics[0].location == Location(PATH, 3, 6)


def test_python_tags_are_refused_not_executed(tmp_path):
    marker = tmp_path / "pwned"
    text = f"title: !!python/object/apply:os.system ['touch {marker}']\ndate: 2024-05-24\n"
    fields, diagnostics = read_front_matter(text, PATH)
    assert fields is None
    assert codes(diagnostics) == ["frontmatter.yaml"]
    assert diagnostics[0].location == Location(PATH, 2, 8)
    assert not marker.exists()


def test_deep_nesting_is_a_diagnostic_not_a_crash():
    fields, diagnostics = read_front_matter("title: " + "[" * 100_000, PATH)
    assert fields is None
    assert codes(diagnostics) == ["frontmatter.yaml"]


def test_wrong_types_are_errors_and_fall_back_to_defaults():
    fields, diagnostics = read_front_matter(
        "title: T\ndate: 2024-05-24\nseries: [1]\nauthors: [1, 2]\ntags: {a: b}\nsummary: 3\n", PATH
    )
    assert fields is not None
    assert codes(diagnostics) == ["frontmatter.type"] * 4
    assert sorted(d.location.line for d in diagnostics) == [4, 5, 6, 7]
    assert (fields.series, fields.authors, fields.tags, fields.summary) == ("", (), (), "")


def test_unsafe_slug_is_an_error():
    for slug in ("Bad Slug", "-lead", "../etc", "ÄÖ", "1"):
        fields, diagnostics = read_front_matter(f"title: T\ndate: 2024-05-24\nslug: '{slug}'\n", PATH)
        if slug == "1":
            assert diagnostics == [] and fields.slug == "1"
            continue
        assert codes(diagnostics) == ["frontmatter.slug"], slug
        assert diagnostics[0].location == Location(PATH, 4, 1)
        assert fields.slug == ""


def test_front_matter_that_is_not_a_mapping():
    fields, diagnostics = read_front_matter("- a\n- b\n", PATH)
    assert fields is None
    assert codes(diagnostics) == ["frontmatter.type"]


# ------------------------------------------------------------- via parse_brief
def test_no_front_matter():
    brief, diagnostics = parse_brief("Just text.\n", PATH)
    assert brief is None
    assert codes(diagnostics) == ["frontmatter.missing"]
    assert diagnostics[0].location == Location(PATH, 1, 1)


def test_unclosed_front_matter():
    brief, diagnostics = parse_brief("---\ntitle: T\ndate: 2024-05-24\nText.\n", PATH)
    assert brief is None
    assert codes(diagnostics) == ["frontmatter.missing"]
    assert "never closed" in diagnostics[0].message


def test_unusable_front_matter_gives_no_brief():
    brief, diagnostics = parse_brief("---\ndate: 2024-05-24\n---\nText.\n", PATH)
    assert brief is None
    assert codes(diagnostics) == ["frontmatter.title"]


def test_yaml_error_line_counts_from_the_file():
    brief, diagnostics = parse_brief("---\ntitle: T\ndate: 2024-05-24\ntags: [a, b\n---\nText.\n", PATH)
    assert brief is None
    assert codes(diagnostics) == ["frontmatter.yaml"]
    assert diagnostics[0].location.line == 5


def test_slug_defaults_to_the_slugified_file_stem():
    brief, _ = parse_brief("---\ntitle: T\ndate: 2024-05-24\n---\nText.\n", "briefs/sub/May 24 Brief.md")
    assert brief.slug == "may-24-brief"
    brief, _ = parse_brief("---\ntitle: T\ndate: 2024-05-24\nslug: own\n---\nText.\n", PATH)
    assert brief.slug == "own"
    assert brief.location == Location(PATH, 1, 1)


def test_summary_defaults_to_the_first_paragraph_without_references():
    body = "# Heading\n\nPutin wants a ceasefire.[1]\u00a0Reuters *reported* it.\n\nSecond.\n\n[1] https://a.com\n"
    brief, _ = parse_brief("---\ntitle: T\ndate: 2024-05-24\n---\n" + body, PATH)
    assert brief.summary == "Putin wants a ceasefire. Reuters reported it."


def test_long_summary_is_cut_at_a_word_boundary():
    words = " ".join(f"word{i}" for i in range(100))
    brief, _ = parse_brief("---\ntitle: T\ndate: 2024-05-24\n---\n" + words + "\n", PATH)
    assert len(brief.summary) <= 300
    assert brief.summary.endswith("…")
    assert words.startswith(brief.summary[:-1])
    assert brief.summary[-2].isdigit()


def test_summary_from_front_matter_wins():
    brief, _ = parse_brief("---\ntitle: T\ndate: 2024-05-24\nsummary: Mine.\n---\nBody.\n", PATH)
    assert brief.summary == "Mine."
