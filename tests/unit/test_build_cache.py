"""Rebuilds that reuse the build cache (parsed files, the kept output tree) write exactly
the tree a build without any cache writes, after every kind of edit."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest

import briefgen
from briefgen.build import build
from tests.conftest import generated_corpus

THEME = Path(briefgen.__file__).parent / "theme" / "templates"


def tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def clean_tree(site: Path, copy: Path) -> dict[str, str]:
    """The tree a build without any cache writes for the input of ``site`` (built in ``copy``)."""
    clean = Path(shutil.copytree(site, copy, ignore=shutil.ignore_patterns(".briefgen-cache", "site", ".site*")))
    build(clean, jobs=1)
    return tree(clean / "site")


def files_stat(root: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(root).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in root.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generated_corpus(tmp_path_factory.mktemp("build-cache") / "corpus", 16)


def briefs(site: Path) -> list[Path]:
    return sorted((site / "briefs").glob("*.md"))


def edit_body(site: Path) -> None:
    brief = briefs(site)[3]
    brief.write_text(brief.read_text(encoding="utf-8").replace("\n\n", "\n\nAn added sentence.\n\n", 1),
                     encoding="utf-8")


def add_note(site: Path) -> None:
    brief = briefs(site)[7]
    text = brief.read_text(encoding="utf-8").rstrip("\n")
    brief.write_text(text + "\n[999] https://example.org/a-new-source-for-the-cache-test\n", encoding="utf-8")


def edit_registry(site: Path) -> None:
    registry = next((site / "citations").glob("*.yaml"))
    registry.write_text(registry.read_text(encoding="utf-8").replace("title: ", "title: Retitled ", 1),
                        encoding="utf-8")


def remove_brief(site: Path) -> None:
    briefs(site)[0].unlink()


def add_brief(site: Path) -> None:
    first = briefs(site)[0]
    first.with_name("2031-01-01-a-new-brief.md").write_text(
        first.read_text(encoding="utf-8").replace("title: ", "title: New brief, ", 1)
        .replace('title: New brief, "', 'title: "New brief, ', 1), encoding="utf-8")


def change_template(site: Path) -> None:
    (site / "templates").mkdir(exist_ok=True)
    theirs = (THEME / "404.html").read_text(encoding="utf-8")
    (site / "templates" / "404.html").write_text(theirs.replace("Page not found", "Nothing here"), encoding="utf-8")


def configure_site(site: Path) -> None:
    (site / "briefgen.yaml").write_text("title: Daily assessments\nbase_url: https://briefs.example.org/\n",
                                        encoding="utf-8")


def change_style(site: Path) -> None:
    (site / "briefgen.yaml").write_text("title: Daily assessments\nbase_url: https://briefs.example.org/\n"
                                        "citation_style: plain\n", encoding="utf-8")


def retitle_newest(site: Path) -> None:
    newest = briefs(site)[-1]
    text = newest.read_text(encoding="utf-8")
    newest.write_text(text.replace('title: "', 'title: "Retitled: ', 1), encoding="utf-8")


def redate_newest(site: Path) -> None:
    """A later date for the newest brief: the feed's ``updated`` changes."""
    newest = briefs(site)[-1]
    lines = newest.read_text(encoding="utf-8").splitlines(keepends=True)
    lines = ["date: 2031-02-03\n" if line.startswith("date:") else line for line in lines]
    newest.write_text("".join(lines), encoding="utf-8")


EDITS = [edit_body, add_note, edit_registry, remove_brief, add_brief, change_template, configure_site,
         change_style, retitle_newest, redate_newest]


def test_cached_rebuilds_write_the_tree_of_a_build_without_cache(corpus: Path, tmp_path: Path):
    site = Path(shutil.copytree(corpus, tmp_path / "site"))
    build(site, jobs=2)
    for edit in EDITS:
        edit(site)
        report = build(site, jobs=2)
        assert not report.up_to_date
        assert tree(site / "site") == clean_tree(site, tmp_path / f"clean-{edit.__name__}"), edit.__name__
    assert "Nothing here" in (site / "site" / "404.html").read_text(encoding="utf-8")
    assert (site / ".briefgen-cache" / "kept-site").is_dir()


def test_a_rebuild_leaves_the_files_it_did_not_change_alone(corpus: Path, tmp_path: Path):
    site = Path(shutil.copytree(corpus, tmp_path / "site"))
    build(site, jobs=1)
    first = files_stat(site / "site")
    edit_body(site)
    build(site, jobs=1)            # a fresh tree; the first one is kept
    edit_registry(site)
    build(site, jobs=1)            # written into the first tree: only what differs from it
    after = files_stat(site / "site")
    same = [path for path in after if after[path] == first.get(path)]
    assert len(same) > len(after) / 2          # most pages depend on neither edit
    edited = f"briefs/{briefs(site)[3].stem}/index.html"
    assert "sources/index.html" in after and "sources/index.html" not in same   # lists the retitled source
    assert edited in after and edited not in same


def test_a_build_killed_while_writing_into_the_kept_tree_is_followed_by_a_whole_one(corpus: Path, tmp_path: Path):
    site = Path(shutil.copytree(corpus, tmp_path / "site"))
    build(site, jobs=1)
    edit_body(site)
    build(site, jobs=1)
    kept = site / ".briefgen-cache" / "kept-site"
    os.unlink(kept.with_name("kept-site.json"))          # taken by a build that was then killed
    (kept / "index.html").write_bytes(b"half-written")
    edit_registry(site)
    build(site, jobs=1)
    assert tree(site / "site") == clean_tree(site, tmp_path / "clean")


def test_a_rebuild_whose_brief_pages_are_the_same_reuses_the_search_bundle(corpus: Path, tmp_path: Path, monkeypatch):
    import briefgen.search as search

    site = Path(shutil.copytree(corpus, tmp_path / "site"))
    build(site, jobs=1)
    bundle = {path: data for path, data in tree(site / "site").items() if path.startswith("pagefind/")}
    change_template(site)
    monkeypatch.setattr(search, "run_to_completion", lambda *a, **k: pytest.fail("Pagefind ran"))
    build(site, jobs=1)
    assert {path: data for path, data in tree(site / "site").items() if path.startswith("pagefind/")} == bundle
    edit_body(site)
    with pytest.raises(pytest.fail.Exception):
        build(site, jobs=1)


def test_a_registry_edit_of_a_cited_sources_title_runs_no_search_indexer(corpus: Path, tmp_path: Path, monkeypatch):
    """The list of a brief's new sources is not indexed: retitling one (which shows in the
    list of the brief that cites it first) leaves every brief page as the indexer reads it."""
    import briefgen.search as search

    site = Path(shutil.copytree(corpus, tmp_path / "site"))
    build(site, jobs=1)
    registry = next((site / "citations").glob("*.yaml"))
    lines = registry.read_text(encoding="utf-8").split("\n")
    cited = next(n for n, line in enumerate(lines) if line.endswith(":") and not line.startswith((" ", "#"))
                 and (site / "site" / "sources" / line[:-1] / "index.html").exists())
    title = next(n for n in range(cited + 1, len(lines)) if lines[n].startswith("  title: "))
    lines[title] = '  title: "A title the registry changed"'
    registry.write_text("\n".join(lines), encoding="utf-8")
    monkeypatch.setattr(search, "run_to_completion", lambda *a, **k: pytest.fail("Pagefind ran"))
    build(site, jobs=1)
    shown = (site / "site" / "sources" / lines[cited][:-1] / "index.html").read_text(encoding="utf-8")
    assert "A title the registry changed" in shown
    assert any("A title the registry changed" in page.read_text(encoding="utf-8")
               for page in (site / "site" / "briefs").glob("*/index.html"))      # its new-sources list
    monkeypatch.undo()
    assert tree(site / "site") == clean_tree(site, tmp_path / "clean")


def test_a_rebuild_renders_again_only_the_pages_whose_key_changed(corpus: Path, tmp_path: Path, monkeypatch):
    import briefgen.render_pool as render_pool

    site = Path(shutil.copytree(corpus, tmp_path / "site"))
    build(site, jobs=1)
    rendered: list[str] = []
    real = render_pool.render_page

    def counted(env, site_, page, for_search=False):
        if not for_search:
            rendered.append(page.path)
        return real(env, site_, page, for_search)

    monkeypatch.setattr(render_pool, "render_page", counted)
    edit_body(site)
    report = build(site, jobs=1)
    assert f"briefs/{briefs(site)[3].stem}/index.html" in rendered
    assert 0 < len(rendered) < report.pages / 4
    assert tree(site / "site") == clean_tree(site, tmp_path / "clean")


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_rebuild_renders_for_the_search_indexer_only_the_shards_that_changed(corpus: Path, tmp_path: Path,
                                                                                 monkeypatch, jobs: int):
    import briefgen.render_pool as render_pool
    from briefgen import search_shards

    monkeypatch.setattr(search_shards, "MIN_PAGES", 1)     # a shard a brief
    monkeypatch.setattr(search_shards, "SPREAD", 1)
    site = Path(shutil.copytree(corpus, tmp_path / "site"))
    build(site, jobs=jobs)
    searched: list[str] = []
    real = render_pool.render_page

    def counted(env, site_, page, for_search=False):
        if for_search:
            searched.append(page.path)
        return real(env, site_, page, for_search)

    monkeypatch.setattr(render_pool, "render_page", counted)
    edit_body(site)
    build(site, jobs=jobs)
    if jobs == 1:    # (with workers, their renders are not seen here)
        assert f"briefs/{briefs(site)[3].stem}/index.html" in searched and len(searched) < len(briefs(site)) / 2
    assert tree(site / "site") == clean_tree(site, tmp_path / "clean")
    searched.clear()
    build(site, jobs=jobs, force=True)       # nothing changed: nothing is rendered for the indexer
    assert searched == []
    assert tree(site / "site") == clean_tree(site, tmp_path / "clean2")


def test_the_first_rebuild_after_a_cold_build_seeds_its_kept_tree_from_the_output(
        corpus: Path, tmp_path: Path, monkeypatch):
    from briefgen import write

    site = Path(shutil.copytree(corpus, tmp_path / "site"))
    monkeypatch.chdir(site)                      # the site as the command line names it: "."
    build(Path("."), jobs=1)
    kept = site / ".briefgen-cache" / "kept-site"
    assert not kept.exists()
    linked: list[str] = []
    real = write._linked
    monkeypatch.setattr(write, "_linked", lambda source, target, digest: linked.append(target) or real(source, target, digest))
    before = files_stat(site / "site")
    edit_body(site)
    build(Path("."), jobs=1)
    assert linked == []               # every page it did not render was in the seeded tree already
    after = files_stat(site / "site")
    changed = [rel for rel in before if after.get(rel) != before[rel]]
    assert changed and len(changed) < len(before) / 4       # the others are the same files
    assert (site / ".briefgen-cache" / "kept-site.json").exists() and kept.is_dir()
    monkeypatch.undo()
    assert tree(site / "site") == clean_tree(site, tmp_path / "clean")
    assert tree(kept) == clean_tree_before_edit(site, tmp_path)


def clean_tree_before_edit(site: Path, tmp_path: Path) -> dict[str, str]:
    """The tree of ``site`` before edit_body (the kept tree after the first rebuild)."""
    copy = Path(shutil.copytree(site, tmp_path / "before", ignore=shutil.ignore_patterns(".briefgen-cache", "site", ".site*")))
    brief = briefs(copy)[3]
    brief.write_text(brief.read_text(encoding="utf-8").replace("\n\nAn added sentence.\n\n", "\n\n", 1), encoding="utf-8")
    build(copy, jobs=1)
    return tree(copy / "site")


def test_a_kept_tree_left_half_seeded_is_seeded_again(corpus: Path, tmp_path: Path):
    site = Path(shutil.copytree(corpus, tmp_path / "site"))
    build(site, jobs=1)
    kept = site / ".briefgen-cache" / "kept-site"
    (kept / "sources").mkdir(parents=True)                 # a tree without a manifest
    (kept / "sources" / "stray.html").write_text("stray")
    left = site / ".briefgen-cache" / "kept-site.seed-1"   # what a seeding stopped halfway leaves
    (left / "briefs").mkdir(parents=True)
    edit_body(site)
    build(site, jobs=1)
    assert tree(site / "site") == clean_tree(site, tmp_path / "clean")
    assert not (kept / "sources" / "stray.html").exists() and (site / ".briefgen-cache" / "kept-site.json").exists()
    assert not left.exists() and not list((site / ".briefgen-cache").glob("kept-site.seed-*"))


def test_a_build_that_seeds_never_touches_the_kept_tree_another_build_writes_into(corpus: Path, tmp_path: Path):
    from briefgen import write

    site = Path(shutil.copytree(corpus, tmp_path / "site"))
    build(site, jobs=1)
    kept = site / ".briefgen-cache" / "kept-site"
    (kept / "briefs").mkdir(parents=True)             # a tree another build took (its manifest is
    (kept / "briefs" / "being-written.html").write_text("x")     # deleted while it writes)
    with write.kept_listing(kept, site / "site") as listing:     # a second build, waiting for the lock
        assert listing.seeds is not None
        assert listing.process.wait() == 0
        assert (kept / "briefs" / "being-written.html").read_text() == "x"
        assert (listing.seed / "index.html").samefile(site / "site" / "index.html")
    (site / ".briefgen-cache" / "kept-site.json").write_text("{}")   # that build ends, keeps its tree
    (kept / "briefs" / "being-written.html").unlink()
    build(site, jobs=1, force=True)               # a build with a kept tree removes the stopped seed
    assert not list((site / ".briefgen-cache").glob("kept-site.seed-*"))


def test_a_page_changed_by_hand_in_the_output_is_made_again_not_copied(corpus: Path, tmp_path: Path):
    site = Path(shutil.copytree(corpus, tmp_path / "site"))
    build(site, jobs=1)
    edit_body(site)                    # brief 3's page changes: the kept tree holds its old bytes
    build(site, jobs=1)
    page = site / "site" / "briefs" / briefs(site)[3].stem / "index.html"
    page.write_bytes(page.read_bytes().replace(b"An added sentence.", b"Changed by hand."))
    other = briefs(site)[10]           # an edit elsewhere: brief 3's page keeps its key
    other.write_text(other.read_text(encoding="utf-8").replace("\n\n", "\n\nAnother sentence.\n\n", 1),
                     encoding="utf-8")
    build(site, jobs=2)
    assert tree(site / "site") == clean_tree(site, tmp_path / "clean")
    assert b"An added sentence." in page.read_bytes()


def test_a_link_put_in_the_output_by_hand_is_never_written_through(corpus: Path, tmp_path: Path):
    site = Path(shutil.copytree(corpus, tmp_path / "site"))
    outside = tmp_path / "outside"
    outside.mkdir()
    build(site, jobs=1)
    linked = sorted((site / "site" / "sources").glob("*/index.html"))[0].parent
    shutil.rmtree(linked)
    linked.symlink_to(outside, target_is_directory=True)    # the output becomes the kept tree next
    edit_body(site)
    build(site, jobs=1)
    edit_registry(site)
    build(site, jobs=1)            # would write into the tree that holds the link
    assert list(outside.iterdir()) == []
    assert tree(site / "site") == clean_tree(site, tmp_path / "clean")


def test_a_rebuild_shares_unchanged_files_with_the_output_and_never_writes_them_in_place(corpus: Path, tmp_path: Path):
    site = Path(shutil.copytree(corpus, tmp_path / "site"))
    build(site, jobs=1)
    edit_body(site)
    build(site, jobs=1)                # a fresh tree: unchanged pages are links to the last output's files
    unchanged = site / "site" / "sources" / "index.html"
    assert unchanged.stat().st_nlink == 2
    second = tree(site / "site")
    edit_registry(site)
    build(site, jobs=2)                # writes into the first tree, whose files the second shares
    assert tree(site / ".briefgen-cache" / "kept-site") == second
    assert tree(site / "site") == clean_tree(site, tmp_path / "clean")
