"""The built-in pybtex style plugin and source formatting."""

from __future__ import annotations

import datetime as dt

import pybtex
import pybtex.plugin

import briefgen.bibstyle as bibstyle
from briefgen.bibstyle import (BriefgenStyle, DEFAULT_STYLE, format_source, inferred_label, label_diagnostics,
                               label_sources, labels_of, load_style, remember_labels, style_identity)
from briefgen.diagnostics import Location
from briefgen.model import Source

NEWS = Source("reuters-x", "https://www.reuters.com/x", "Putin wants a ceasefire & more", "Reuters",
              dt.date(2024, 5, 24), "news")
POST = Source("telegram-rybar-1", "https://t.me/rybar/1", "@rybar, post 1", "Telegram", None, "social", inferred=True)
ASSESSMENT = Source("isw-assessment-2024-05-24", "https://isw.pub/UkrWar052424",
                    "Russian Offensive Campaign Assessment, May 24, 2024", "Institute for the Study of War",
                    dt.date(2024, 5, 24), "assessment")


def test_the_style_is_a_pybtex_plugin_found_by_name():
    assert pybtex.plugin.find_plugin("pybtex.style.formatting", DEFAULT_STYLE) is BriefgenStyle
    assert isinstance(load_style("briefgen"), BriefgenStyle)
    assert load_style("no-such-style") is None


def test_publisher_title_date_as_isw_notes_read():
    assert format_source(NEWS).text == "Reuters, Putin wants a ceasefire & more, May 24, 2024."
    assert format_source(NEWS).html == "Reuters, <cite>Putin wants a ceasefire &amp; more</cite>, May 24, 2024."
    assert format_source(POST).text == "Telegram, @rybar, post 1."
    assert format_source(ASSESSMENT).text == (
        "Institute for the Study of War, Russian Offensive Campaign Assessment, May 24, 2024.")


def test_latex_specials_in_titles_are_text():
    odd = Source("o", "https://a.org/x", "50% of {the} $5 _x_ <b>", "", None, "other")
    assert format_source(odd).html == "<cite>50% of {the} $5 _x_ &lt;b&gt;</cite>."


def test_a_style_that_needs_a_missing_field_degrades_with_one_warning():
    formatted = format_source(NEWS, load_style("unsrt"))
    assert formatted.missing == "author"
    assert formatted.text == "Reuters, Putin wants a ceasefire & more, May 24, 2024."
    labelled = label_sources("unsrt", (NEWS, POST))
    assert labelled["reuters-x"] == (formatted.html, "author")
    diagnostics = label_diagnostics("unsrt", labelled, (NEWS, POST), Location("briefgen.yaml"))
    assert [(d.code, d.severity) for d in diagnostics] == [("source.style-field", "warning")]
    assert "needs the field 'author', which 1 source(s) lack (first: reuters-x)" in diagnostics[0].message


def test_an_unknown_style_is_an_error_and_labels_still_come():
    labelled = label_sources("nonesuch", (NEWS,))
    diagnostics = label_diagnostics("nonesuch", labelled, (NEWS,))
    assert {sid: html for sid, (html, _) in labelled.items()} == {
        "reuters-x": "Reuters, <cite>Putin wants a ceasefire &amp; more</cite>, May 24, 2024."}
    assert [(d.code, d.severity) for d in diagnostics] == [("config.citation-style", "error")]


def test_the_style_is_found_without_installation_metadata(monkeypatch):
    from briefgen import bibstyle

    monkeypatch.setattr(pybtex.plugin, "entry_points", lambda **_: [])
    monkeypatch.setattr(pybtex.plugin, "_RUNTIME_PLUGINS", {})
    monkeypatch.setattr(bibstyle, "_styles", {})
    bibstyle._style_class.cache_clear()
    try:
        assert load_style("briefgen") is None  # nothing registered, nothing installed
        bibstyle.register()
        assert pybtex.plugin.find_plugin("pybtex.style.formatting", "briefgen") is BriefgenStyle
    finally:
        bibstyle._style_class.cache_clear()


def test_the_package_declares_the_entry_point(repo):
    import tomllib

    project = tomllib.loads((repo / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["entry-points"]["pybtex.style.formatting"] == {"briefgen": "briefgen.bibstyle:BriefgenStyle"}


def test_labels_made_in_another_process_are_kept_for_the_sources_they_were_made_for():
    sources = [NEWS, POST, ASSESSMENT]
    assert labels_of(DEFAULT_STYLE, sources) == [label_sources(DEFAULT_STYLE, (s,), jobs=1)[s.id] for s in sources]
    kept = Source("kept-1", "https://a.org/kept", "Kept", "A", None, "other")
    remember_labels(DEFAULT_STYLE, [kept], [("<cite>made elsewhere</cite>", "")])
    changed = Source("kept-1", "https://a.org/kept", "Kept, retitled", "A", None, "other")
    labelled = label_sources(DEFAULT_STYLE, (kept, changed), jobs=1)   # ids alike: the last one is kept
    assert label_sources(DEFAULT_STYLE, (kept,), jobs=1)["kept-1"] == ("<cite>made elsewhere</cite>", "")
    assert labelled["kept-1"][0] == "A, <cite>Kept, retitled</cite>."


def test_an_inferred_sources_label_is_kept_by_the_styles_identity_and_not_made_again(monkeypatch):
    inferred = Source("x-kept-label", "https://a.org/kept-label", "Kept label", "A", None, "other", inferred=True)
    first = label_sources(DEFAULT_STYLE, (inferred, NEWS), jobs=1)
    assert inferred_label.known((style_identity(DEFAULT_STYLE), inferred)) == first[inferred.id]
    made = []
    monkeypatch.setattr(bibstyle, "format_source", lambda source, style=None: made.append(source) or 1 / 0)
    again = label_sources(DEFAULT_STYLE, (inferred,), jobs=1)
    assert again == {inferred.id: first[inferred.id]} and made == []


def test_a_styles_identity_names_its_code_and_pybtexs_version(monkeypatch):
    name, version, code = style_identity("unsrt").rsplit(":", 2)
    assert (name, version) == ("unsrt", pybtex.__version__) and len(code) == 16
    assert style_identity("unsrt") != style_identity(DEFAULT_STYLE)
    style_identity.cache_clear()
    monkeypatch.setattr(pybtex, "__version__", "another")
    try:
        assert style_identity("unsrt") != f"unsrt:{version}:{code}"
    finally:
        style_identity.cache_clear()


def test_labels_of_makes_only_the_labels_not_made_before(monkeypatch):
    kept = Source("kept-2", "https://a.org/kept-2", "Kept two", "A", None, "other")
    fresh = Source("fresh-2", "https://a.org/fresh-2", "Fresh two", "A", None, "other")
    remember_labels(DEFAULT_STYLE, [kept], [("<cite>made elsewhere</cite>", "")])
    made = []
    real = bibstyle.format_source
    monkeypatch.setattr(bibstyle, "format_source", lambda source, style=None: made.append(source.id) or real(source, style))
    labels = labels_of(DEFAULT_STYLE, [kept, fresh, kept])
    assert labels[0] == labels[2] == ("<cite>made elsewhere</cite>", "")
    assert labels[1] == (real(fresh).html, "") and made == ["fresh-2"]
