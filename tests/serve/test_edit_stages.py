"""The stages of an edit (resolve_edit.py, plan_edit.py) against a whole clean build: after
every kind of brief edit on a generated corpus, the same bytes and the same diagnostics, and
the common edits done without resolving and planning the whole site."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen import plan
from briefgen.build import compile_site
from briefgen.diagnostics import BriefgenError
from briefgen.incremental import Engine, Rebuilt
from briefgen.read import read_site
from briefgen.render import render_site
from tests.conftest import generated_corpus

NOTE = re.compile(r"^\[(\d+)\] (.+)$", re.M)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 24-brief site from the benchmark generator."""
    return generated_corpus(tmp_path_factory.mktemp("edits") / "corpus", 24)


@pytest.fixture
def site(corpus: Path, tmp_path: Path, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The corpus (a test may ask for its lists cut into pages of fewer rows: ``ROWS``)."""
    rows = getattr(request, "param", None)
    if rows:
        monkeypatch.setattr(plan, "ROWS_PER_PAGE", rows)
    root = tmp_path / "site"
    shutil.copytree(corpus, root)
    return root


class Session:
    """An engine kept across edits, each rebuild compared with a clean build of the folder."""

    def __init__(self, root: Path) -> None:
        self.root, self.engine = root, Engine()
        self.check()

    def check(self) -> Rebuilt:
        files, diagnostics = read_site(self.root)
        result = self.engine.rebuild(files, diagnostics)
        clean = compile_site(files, diagnostics)
        expected = render_site(clean.site, clean.pages, files.templates, files.assets)
        assert sorted(result.outputs) == sorted(expected)
        assert [p for p in expected if result.outputs[p] != expected[p]] == []
        assert result.diagnostics == clean.diagnostics
        return result

    def brief(self, index: int) -> Path:
        return sorted((self.root / "briefs").glob("*.md"))[index]

    def edit(self, index: int, change) -> Rebuilt:
        path = self.brief(index)
        path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
        return self.check()


# The sources index and publisher pages as they are, then cut into pages of 25 rows.
ROWS = pytest.mark.parametrize("site", [None, 25], indirect=True, ids=["rows-per-page", "pages-of-25"])


def body_edit(text: str) -> str:
    head, _, body = text.partition("\n---\n")
    return f"{head}\n---\nAn analyst's new opening sentence.\n\n{body}"


def add_note(url: str, number: int = 990):
    def change(text: str) -> str:
        return text.rstrip("\n") + f"\n\nA new claim.[{number}]\n\n[{number}] {url}\n"
    return change


def urls(text: str) -> list[str]:
    return [u.strip() for _, line in NOTE.findall(text) for u in line.split(";") if u.strip().startswith("http")]


@ROWS
def test_body_edits_are_patched_and_equal_a_clean_build(site: Path):
    session = Session(site)
    for index in (0, 5, 23):
        result = session.edit(index, body_edit)
        assert not result.whole and result.parsed == 1
        assert 0 < len(result.rendered) < result.pages / 10


@ROWS
def test_notes_added_and_removed_equal_a_clean_build(site: Path):
    session = Session(site)
    other = urls(session.brief(3).read_text(encoding="utf-8"))
    assert not session.edit(7, add_note(other[0])).whole                      # a source cited elsewhere
    fresh = "https://www.example-news.com/2024/01/02/a-story-no-brief-cites"
    before = session.brief(7).read_text(encoding="utf-8")
    result = session.edit(7, add_note(fresh, 991))                            # a new source
    assert not result.whole and any(p.startswith("sources/") for p in result.rendered)
    result = session.edit(7, lambda _: before)                                # gone again
    assert not result.whole


def test_a_source_loses_its_first_citation(site: Path):
    session = Session(site)
    texts = [session.brief(i).read_text(encoding="utf-8") for i in range(24)]
    shared = next(u for u in urls(texts[0]) if "isw.pub" not in u and sum(u in t for t in texts) > 1)

    def drop(text: str) -> str:
        return "\n".join(line if not NOTE.match(line) else line.replace(shared, "https://www.example.org/x")
                         for line in text.split("\n"))
    assert not session.edit(0, drop).whole


def test_card_changes_reach_the_pages_that_show_them(site: Path):
    session = Session(site)
    result = session.edit(4, lambda t: re.sub(r"^title: .*$", 'title: "A Retitled Brief"', t, count=1, flags=re.M))
    assert not result.whole and "index.html" in result.rendered
    result = session.edit(4, lambda t: re.sub(r"^date: .*$", "date: 2019-01-01", t, count=1, flags=re.M))
    assert result.whole                                                      # the site's order changed


def test_an_id_two_sources_want(site: Path):
    session = Session(site)
    texts = "\n".join(p.read_text(encoding="utf-8") for p in sorted((site / "briefs").glob("*.md")))
    tass = next(u for u in urls(texts) if u.startswith("https://tass.ru/"))
    section = tass.rsplit("/", 1)[0]
    session.edit(23, add_note(f"{section}/99999991"))      # late in the corpus: the suffixed id
    session.edit(0, add_note(f"{section}/99999992"))       # first in the corpus: takes the id


def test_a_brief_starts_citing_another_brief(site: Path):
    session = Session(site)
    files, diagnostics = read_site(site)
    compiled = compile_site(files, diagnostics)
    by_id = {s.id: s for s in compiled.site.sources}
    source_id, slug = next(iter(sorted(compiled.site.source_briefs.items())))
    citing = next(i for i in range(24) if session.brief(i).stem != slug
                  and slug not in compiled.site.cites.get(_slug(session.brief(i)), ()))
    assert not session.edit(citing, add_note(by_id[source_id].url)).whole


def _slug(path: Path) -> str:
    found = re.search(r"^slug: (\S+)$", path.read_text(encoding="utf-8"), re.M)
    return found.group(1) if found else path.stem


def errors_of(call) -> list:
    with pytest.raises(BriefgenError) as caught:
        call()
    return [d for d in caught.value.diagnostics if d.severity == "error"]


@pytest.mark.parametrize("breakage", [lambda good: good + "\n[997] @no-such-entry\n",       # an unknown id
                                      lambda good: good.replace("---", "--", 1)])         # no front matter
def test_an_error_is_the_clean_builds_error_and_the_fix_is_patched(site: Path, breakage):
    session = Session(site)
    path = session.brief(2)
    good = path.read_text(encoding="utf-8")
    path.write_text(breakage(good), encoding="utf-8")
    files, diagnostics = read_site(site)
    errors = errors_of(lambda: session.engine.rebuild(files, diagnostics))
    assert errors and errors == errors_of(lambda: compile_site(files, diagnostics))
    path.write_text(good, encoding="utf-8")
    assert not session.check().whole


def new_brief(date: str, title: str, url: str) -> str:
    return (f'---\ntitle: "{title}"\ndate: {date}\nauthors: [An Analyst]\n---\n'
            f"A new brief's claim.[1]\n\n[1] {url} ; https://www.example-news.com/2024/02/03/{date}\n")


@ROWS
def test_new_briefs_are_patched_in(site: Path):
    session = Session(site)
    cited = urls(session.brief(3).read_text(encoding="utf-8"))[0]
    (site / "briefs" / "zz-newest.md").write_text(new_brief("2030-01-01", "The Newest", cited), encoding="utf-8")
    result = session.check()
    assert not result.whole and "briefs/zz-newest/index.html" in result.rendered
    assert {"index.html", "sources/index.html"} <= set(result.rendered)     # the list, the brief count
    assert len(result.rendered) < result.pages / 10
    (site / "briefs" / "aa-older.md").write_text(new_brief("2001-01-01", "An Old One", cited), encoding="utf-8")
    assert not session.check().whole
    (site / "briefs" / "aa-older.md").unlink()                    # removed: the whole site again
    assert session.check().whole


def test_two_briefs_edited_at_once(site: Path):
    session = Session(site)
    for index in (1, 9):
        path = session.brief(index)
        path.write_text(body_edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    assert not session.check().whole


@pytest.mark.slow
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 23), st.integers(0, 23), st.integers(0, 10_000),
                          st.sampled_from(["delete", "copy", "swap"])), min_size=1, max_size=3))
def test_random_line_edits_equal_a_clean_build(corpus: Path, tmp_path_factory, edits):
    root = tmp_path_factory.mktemp("random") / "site"
    shutil.copytree(corpus, root)
    session = Session(root)
    for target, source, at, kind in edits:
        donor = session.brief(source).read_text(encoding="utf-8").split("\n")
        session.edit(target, lambda text: _line_edit(text, donor, at, kind))


def _line_edit(text: str, donor: list[str], at: int, kind: str) -> str:
    """Delete a line of the body or notes, copy in a line of another brief, or swap two lines."""
    lines = text.split("\n")
    start = lines.index("---", 1) + 1          # never the front matter
    place = start + at % max(1, len(lines) - start)
    if kind == "delete" and place < len(lines):
        del lines[place]
    elif kind == "copy":
        lines.insert(place, donor[at % len(donor)] if donor[at % len(donor)] != "---" else "")
    elif kind == "swap" and place + 2 < len(lines):
        lines[place], lines[place + 2] = lines[place + 2], lines[place]
    return "\n".join(lines)
