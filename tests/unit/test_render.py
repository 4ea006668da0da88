import datetime as dt
import json

import pytest

from briefgen.diagnostics import BriefgenError
from briefgen.model import InputFile, Page, Source
from briefgen.plan import SourceRow
from briefgen.render import SOURCE_COLUMNS, long_date, make_environment, render_page, sources_json
from tests.unit.test_plan import site_of
from tests.support.factories import make_brief


def test_long_date_is_locale_free():
    assert long_date(dt.date(2024, 5, 4)) == "May 4, 2024"
    assert long_date(None) == ""


def test_autoescape_is_on_and_undefined_is_an_error():
    env = make_environment((InputFile("a.html", "{{ x }}"), InputFile("b.html", "{{ nope }}")))
    site = site_of(make_brief("a", "2024-05-24", {1: ["https://e.org/x"]}))
    out = render_page(env, site, Page("a.html", "a.html", (("x", "<script>"),)))
    assert out == b"&lt;script&gt;"
    with pytest.raises(BriefgenError) as info:
        render_page(env, site, Page("b.html", "b.html"))
    (diag,) = info.value.diagnostics
    assert diag.code == "template.error" and diag.location.path == "templates/b.html"
    assert diag.location.line == 1


def test_template_syntax_error_names_the_line():
    env = make_environment((InputFile("c.html", "ok\n{% if %}\n"),))
    site = site_of(make_brief("a", "2024-05-24", {1: ["https://e.org/x"]}))
    with pytest.raises(BriefgenError) as info:
        render_page(env, site, Page("c.html", "c.html"))
    assert str(info.value.diagnostics[0].location) == "templates/c.html:2:1"


def test_relative_root_depends_on_depth():
    env = make_environment((InputFile("r.html", "{{ root }}"),))
    site = site_of(make_brief("a", "2024-05-24", {1: ["https://e.org/x"]}))
    assert render_page(env, site, Page("briefs/a/index.html", "r.html")) == b"../../"
    assert render_page(env, site, Page("index.html", "r.html")) == b""


def test_sources_json_lists_every_row_with_its_columns():
    rows = (SourceRow(Source("a", "https://e.org/a", 'T "1" <b>', "Pub", dt.date(2024, 5, 24), "news"), "pub", 3, None),
            SourceRow(Source("b", "https://e.org/b", "Тема", "", None, "post"), "unknown", 0, None))
    data = json.loads(sources_json(rows))
    assert data == {"columns": list(SOURCE_COLUMNS), "sources": [["a", 'T "1" <b>', "Pub", "pub", "2024-05-24", "news", 3],
                                                                  ["b", "Тема", "", "unknown", "", "post", 0]]}
    assert json.loads(sources_json(())) == {"columns": list(SOURCE_COLUMNS), "sources": []}
