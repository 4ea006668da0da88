"""The incremental engine of `briefgen serve`: after every kind of edit, the same bytes as a
clean build, and only the pages whose inputs changed rendered again."""

from __future__ import annotations

import gc
import shutil
import sys
from pathlib import Path

import pytest

from briefgen.diagnostics import BriefgenError
from briefgen import incremental, serve
from briefgen.incremental import Engine, Rebuilt, reads_page_globals, template_closures
from briefgen.model import InputFile
from briefgen.read import THEME_DIR, read_site
from tests.serve.support import clean_outputs

BRIEF = "briefs/2024-05-24-negotiations.md"
SECOND = """---
title: A second brief
date: 2024-06-01
authors: [An Analyst]
---
Moscow repeated its demands.[1]

[1] https://www.reuters.com/world/europe/putin-wants-ukraine-ceasefire-current-frontlines-sources-say-2024-05-24/
"""

THIRD = """---
title: A third brief
date: 2024-06-02
authors: [An Analyst]
---
Nothing in common with the others.[1]

[1] https://www.understandingwar.org/backgrounder/russian-offensive-campaign-assessment-june-2-2024
"""


def rebuild(engine: Engine, root: Path) -> Rebuilt:
    files, diagnostics = read_site(root)
    return engine.rebuild(files, diagnostics)


def assert_clean(engine: Engine, root: Path) -> Rebuilt:
    result = rebuild(engine, root)
    expected = clean_outputs(root)
    assert sorted(result.outputs) == sorted(expected)
    different = [path for path in expected if result.outputs[path] != expected[path]]
    assert different == []
    return result


@pytest.fixture
def site(example_site: Path) -> Path:
    (example_site / "briefs" / "second.md").write_text(SECOND, encoding="utf-8")
    (example_site / "briefs" / "third.md").write_text(THIRD, encoding="utf-8")
    return example_site


@pytest.fixture
def engine(site: Path) -> Engine:
    engine = Engine()
    first = assert_clean(engine, site)
    assert len(first.rendered) == first.pages
    return engine


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_nothing_changed_renders_nothing(engine: Engine, site: Path) -> None:
    result = assert_clean(engine, site)
    assert (result.rendered, result.parsed) == ((), 0)


def test_body_edit_renders_the_brief_and_what_shows_it(engine: Engine, site: Path) -> None:
    edit(site / "briefs" / "second.md", "Moscow repeated its demands.", "Moscow repeated its old demands.")
    result = assert_clean(engine, site)
    assert result.parsed == 1
    rendered = set(result.rendered)
    assert "briefs/second/index.html" in rendered
    assert "sources/reuters-2024-05-24-putin-ceasefire/index.html" in rendered   # its citing sentence
    assert "briefs/third/index.html" not in rendered
    assert "sources/isw-assessment-2024-06-02/index.html" in result.outputs
    assert "sources/isw-assessment-2024-06-02/index.html" not in rendered
    assert "sources/nyt-2023-12-23-putin-cease-fire/index.html" not in rendered
    assert len(rendered) < result.pages // 2


def test_adding_a_note(engine: Engine, site: Path) -> None:
    edit(site / "briefs" / "second.md", "its demands.[1]", "its demands.[1] Kyiv refused.[2]")
    path = site / "briefs" / "second.md"
    path.write_text(path.read_text() + "\n[2] https://www.nytimes.com/2023/12/23/world/europe/"
                    "putin-russia-ukraine-war-cease-fire.html\n")
    result = assert_clean(engine, site)
    assert "sources/nyt-2023-12-23-putin-cease-fire/index.html" in result.rendered


def test_registry_entry(engine: Engine, site: Path) -> None:
    edit(site / "citations" / "sources.yaml", "title: Putin Quietly Signals He Is Open to a Cease-Fire in Ukraine",
         "title: Putin Signals He Is Open to a Cease-Fire")
    result = assert_clean(engine, site)
    assert "sources/nyt-2023-12-23-putin-cease-fire/index.html" in result.rendered
    assert "briefs/second/index.html" not in result.rendered


def test_template_override_and_its_removal(engine: Engine, site: Path) -> None:
    (site / "templates").mkdir()
    source = (THEME_DIR / "templates" / "source.html").read_text(encoding="utf-8")
    (site / "templates" / "source.html").write_text(source.replace("{% block main %}", "{% block main %}<p>local</p>", 1))
    result = assert_clean(engine, site)
    assert set(result.rendered) == {p for p in result.outputs if p.startswith("sources/") and p not in ("sources/index.html", "sources/index.json")}
    shutil.rmtree(site / "templates")
    assert_clean(engine, site)


def test_base_template_change_renders_every_html_page(engine: Engine, site: Path) -> None:
    (site / "templates").mkdir()
    base = (THEME_DIR / "templates" / "base.html").read_text(encoding="utf-8")
    (site / "templates" / "base.html").write_text(base.replace("<main", "<hr><main", 1))
    result = assert_clean(engine, site)
    html = {p for p in result.outputs if p.endswith(".html")}
    assert set(result.rendered) == html


def test_config_title(engine: Engine, site: Path) -> None:
    edit(site / "briefgen.yaml", "title: Research Briefings", "title: Other Briefings")
    result = assert_clean(engine, site)
    assert "index.html" in result.rendered and "briefs/second/index.html" in result.rendered


def test_delete_and_rename_a_brief(engine: Engine, site: Path) -> None:
    (site / "briefs" / "second.md").rename(site / "briefs" / "renamed.md")
    result = assert_clean(engine, site)
    assert "briefs/renamed/index.html" in result.outputs and "briefs/second/index.html" not in result.outputs
    (site / "briefs" / "renamed.md").unlink()
    result = assert_clean(engine, site)
    assert not any(p.startswith(("briefs/second/", "briefs/renamed/")) for p in result.outputs)


def test_an_error_keeps_the_caches_and_the_fix_is_clean(engine: Engine, site: Path) -> None:
    edit(site / "briefs" / "second.md", "[1] https://www.reuters.com", "[1] @no-such-entry https://www.reuters.com")
    with pytest.raises(BriefgenError) as failure:
        rebuild(engine, site)
    assert [d.code for d in failure.value.diagnostics if d.severity == "error"] == ["citation.unknown-key"]
    edit(site / "briefs" / "second.md", "[1] @no-such-entry https://www.reuters.com", "[1] https://www.reuters.com")
    result = assert_clean(engine, site)
    assert result.rendered == ()


def test_template_closure_follows_extends_and_imports() -> None:
    templates = (InputFile("base.html", "<b>{% block x %}{% endblock %}</b>"),
                 InputFile("m.html", "{% macro f() %}{% endmacro %}"),
                 InputFile("page.html", '{% extends "base.html" %}{% import "m.html" as m %}'),
                 InputFile("other.html", "plain"))
    closures = template_closures(templates)
    assert [t.path for t in closures["page.html"]] == ["base.html", "m.html", "page.html"]
    assert [t.path for t in closures["other.html"]] == ["other.html"]


NEWEST = """---
title: The newest brief
date: 2024-07-01
authors: [An Analyst]
---
Moscow repeated its demands again.[1]

[1] https://www.reuters.com/world/europe/putin-wants-ukraine-ceasefire-current-frontlines-sources-say-2024-05-24/
"""


def test_a_new_newest_brief_renders_the_feed_not_every_page(engine: Engine, site: Path) -> None:
    (site / "briefs" / "newest.md").write_text(NEWEST, encoding="utf-8")
    result = assert_clean(engine, site)          # the feed's `updated` is the newest brief's date
    assert "feed.xml" in result.rendered and "briefs/newest/index.html" in result.rendered
    assert "briefs/third/index.html" not in result.rendered
    assert "sources/nyt-2023-12-23-putin-cease-fire/index.html" not in result.rendered


def test_which_templates_read_the_page_independent_globals() -> None:
    assert reads_page_globals((InputFile("feed.xml", "<updated>{{ updated }}</updated>"),))
    assert not reads_page_globals((InputFile("a.html", "{% set updated = 1 %}{{ updated }} {{ site.title }}"),))
    assert reads_page_globals((InputFile("bad.html", "{% if %}"),))


def collections_during(action) -> tuple[object, list[int]]:
    """What ``action()`` returns, and the generation of each collection started while the
    engine compiled or rendered, with a threshold at which nearly every allocation starts one."""
    started: list[int] = []

    def in_engine() -> bool:
        frame = sys._getframe(2)
        while frame is not None:
            if frame.f_code.co_filename == incremental.__file__ and frame.f_code.co_name in ("_compile_edit", "_finish"):
                return True
            frame = frame.f_back
        return False

    def record(phase: str, info: dict) -> None:
        if phase == "start" and in_engine():
            started.append(info["generation"])

    threshold = gc.get_threshold()
    gc.set_threshold(1)
    gc.callbacks.append(record)
    try:
        return action(), started
    finally:
        gc.callbacks.remove(record)
        gc.set_threshold(*threshold)


def test_an_edit_is_rebuilt_with_the_collector_paused(engine: Engine, site: Path) -> None:
    edit(site / "briefs" / "second.md", "Moscow repeated its demands.", "Moscow repeated its old demands.")
    files, diagnostics = read_site(site)
    result, started = collections_during(lambda: engine.rebuild(files, diagnostics))
    assert not result.whole and "briefs/second/index.html" in result.rendered
    assert started == []
    assert gc.isenabled()
    assert result.outputs == clean_outputs(site)


def test_a_whole_rebuild_runs_the_collector(engine: Engine, site: Path) -> None:
    edit(site / "briefgen.yaml", "title:", "title: New")        # not an edit of briefs alone
    files, diagnostics = read_site(site)
    result, started = collections_during(lambda: engine.rebuild(files, diagnostics))
    assert result.whole and started


def test_the_preview_collects_an_edits_garbage_once_the_edit_is_served(site: Path, monkeypatch) -> None:
    preview = serve.Preview(site, log=lambda line: None)
    assert preview.rebuild()
    served: list[int] = []
    monkeypatch.setattr(serve, "collect_edit_garbage", lambda: served.append(preview.state.generation))
    edit(site / "briefs" / "second.md", "Moscow repeated its demands.", "Moscow repeated its old demands.")
    assert preview.rebuild()
    assert served == [2]                       # after the edit's state was published
    assert b"its old demands" in preview.state.outputs["briefs/second/index.html"]
