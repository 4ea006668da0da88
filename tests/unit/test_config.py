from briefgen.config import Config, load_config
from briefgen.diagnostics import Location
from briefgen.model import InputFile


def load(text):
    return load_config(InputFile("briefgen.yaml", text))


def test_missing_file_gives_defaults():
    assert load_config(None) == (Config(), [])


def test_values_are_read_and_base_url_gets_a_slash():
    config, diags = load("title: Briefs\nbase_url: https://example.org/b\nstrict: true\nignore: [note.empty]\n")
    assert diags == []
    assert (config.title, config.base_url, config.strict, config.ignore) == (
        "Briefs", "https://example.org/b/", True, ("note.empty",))


def test_unknown_keys_are_errors_with_their_location_all_at_once():
    config, diags = load("title: T\ntitel: x\nstrcit: true\n")
    assert [(d.code, d.location) for d in diags] == [
        ("config.unknown-key", Location("briefgen.yaml", 2, 1)),
        ("config.unknown-key", Location("briefgen.yaml", 3, 1)),
    ]
    assert config.title == "T"


def test_wrong_types_and_base_url():
    _, diags = load("title: [a]\nbase_url: example.org\nstrict: maybe\n")
    assert [d.code for d in diags] == ["config.type", "config.type", "config.base-url"]


def test_yaml_syntax_error_has_a_location():
    _, diags = load("title: T\nbase_url: [unclosed\n")
    assert diags[0].code == "config.yaml"
    assert diags[0].location.path == "briefgen.yaml" and diags[0].location.line >= 2


def test_python_tags_are_refused_not_executed():
    _, diags = load("title: !!python/object/apply:os.system ['true']\n")
    assert diags[0].code == "config.yaml"


def test_top_level_must_be_a_mapping():
    _, diags = load("- a\n- b\n")
    assert diags[0].code == "config.not-mapping"


def test_locations_count_lines_as_editors_do_where_yaml_counts_other_breaks():
    text = "title: \"A\u2028b\"\nlanguage: en\nstrict: maybe\n"   # LS: a line break to YAML alone
    _, diagnostics = load_config(InputFile("briefgen.yaml", text))
    assert [(d.location.line, d.location.column) for d in diagnostics] == [(3, 1)]     # YAML says line 4
