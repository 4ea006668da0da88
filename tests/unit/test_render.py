import datetime as dt

import pytest

from briefgen.diagnostics import BriefgenError
from briefgen.model import InputFile, Page
from briefgen.render import long_date, make_environment, render_page
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
