"""Page keys: a page whose bytes change has a new key, whatever the edit; a page nothing
changed for keeps its key; keys are the same in every process; templates that read the
whole site leave pages unkeyed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from briefgen import parse_cache, plan
from briefgen.build import compile_site
from briefgen.model import InputFile
from briefgen.page_keys import page_keys, templates_read_only_fields
from briefgen.read import read_site
from briefgen.render import make_environment, render_page
from tests.conftest import generated_corpus
from tests.unit import test_build_cache as edits


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generated_corpus(tmp_path_factory.mktemp("page-keys") / "corpus", 12)


def keyed_pages(root: Path) -> dict[str, tuple[str | None, bytes]]:
    """Each page's key and bytes."""
    files, diagnostics = read_site(root)
    compiled = compile_site(files, diagnostics)
    brief_keys = parse_cache.load(root / ".no-cache", files).keys
    keys = page_keys(compiled.site, compiled.pages, files.templates, parse_cache.code_identity(), brief_keys)
    env = make_environment(files.templates)
    return {page.path: (key, render_page(env, compiled.site, page)) for page, key in zip(compiled.pages, keys)}


@pytest.mark.parametrize("rows_per_page", [None, 20], ids=["lists-whole", "lists-in-pages-of-20"])
@pytest.mark.parametrize("edit", edits.EDITS, ids=lambda edit: edit.__name__)
def test_a_page_whose_bytes_change_gets_a_new_key(corpus: Path, tmp_path: Path, edit, rows_per_page, monkeypatch):
    if rows_per_page:
        monkeypatch.setattr(plan, "ROWS_PER_PAGE", rows_per_page)
    site = Path(shutil.copytree(corpus, tmp_path / "site"))
    before = keyed_pages(site)
    edit(site)
    after = keyed_pages(site)
    changed = [path for path in after if path in before and after[path][1] != before[path][1]]
    assert changed, "the edit changed no page"
    stale = [path for path in changed if after[path][0] is not None and after[path][0] == before[path][0]]
    assert stale == []
    unkeyed = {path for path, (key, _) in after.items() if key is None}
    assert unkeyed <= {"index.html", "publishers/index.html", "feed.xml", "sitemap.xml"}   # always rendered
    if rows_per_page:
        assert sum("/page/" in path for path in after) > 10    # lists of many pages


@pytest.mark.parametrize("edit", [edits.edit_body, edits.add_note, edits.edit_registry],
                         ids=lambda edit: edit.__name__)
def test_pages_an_edit_leaves_alone_keep_their_keys(corpus: Path, tmp_path: Path, edit):
    site = Path(shutil.copytree(corpus, tmp_path / "site"))
    before = keyed_pages(site)
    edit(site)
    after = keyed_pages(site)
    kept = [path for path, (key, _) in after.items() if key is not None and path in before and before[path][0] == key]
    assert len(kept) > 0.6 * len(after)
    assert all(after[path][1] == before[path][1] for path in kept)


def test_keys_are_the_same_in_every_process(corpus: Path):
    script = ("import json, sys; from pathlib import Path; from tests.unit.test_page_keys import keyed_pages; "
              "print(json.dumps({p: k for p, (k, _) in keyed_pages(Path(sys.argv[1])).items()}))")
    runs = [json.loads(subprocess.run([sys.executable, "-c", script, str(corpus)], check=True, capture_output=True,
                                      text=True, env={**os.environ, "PYTHONHASHSEED": seed},
                                      cwd=Path(__file__).parents[2]).stdout)
            for seed in ("1", "2")]
    assert runs[0] == runs[1]
    assert sum(key is not None for key in runs[0].values()) > 0.9 * len(runs[0])


@pytest.mark.parametrize("text, keyed", [
    ("{{ site.title }} {{ site.base_url }}{% if site.language %}{{ site.language }}{% endif %}", True),
    ("{% for b in site.briefs %}{{ b.title }}{% endfor %}", False),
    ("{% set s = site %}{{ s.title }}", False),
    ("{{ site['title'] }}", False),
    ("{{ helper(site) }}", False),
    ("{% if %}", False),
])
def test_templates_that_read_more_of_the_site_than_its_own_fields_leave_pages_unkeyed(text: str, keyed: bool):
    assert templates_read_only_fields((InputFile("base.html", text),)) is keyed


def test_an_override_that_lists_every_brief_on_every_page_leaves_every_page_unkeyed(corpus: Path, tmp_path: Path):
    site = Path(shutil.copytree(corpus, tmp_path / "site"))
    (site / "templates").mkdir(exist_ok=True)
    theme = (edits.THEME / "404.html").read_text(encoding="utf-8")
    (site / "templates" / "404.html").write_text(theme + "{% for b in site.briefs %}{{ b.title }}{% endfor %}",
                                                encoding="utf-8")
    assert all(key is None for key, _ in keyed_pages(site).values())
