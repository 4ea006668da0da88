"""``briefgen import``, ``briefgen sources`` and ``check --format github``, run as a user runs them."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from tests.cli.test_cli import run
from tests.conftest import REPO, shared_path

PASTED = """Russian Offensive Campaign Assessment, November 23

Kateryna Stepanenko, Karolina Hird, and Frederick W. Kagan

November 23, 6:45 ET

Russian forces struck Kyiv on November 23.[1] Ukrainian officials said so.[2]

[1]\u00a0https://t.me/mod_russia/22000; https://tass dot ru/politika/16000000
[2] https://www.reuters.com/world/europe/ukraine-strikes-2022-11-23/
"""


def test_import_writes_one_new_brief_that_builds(tmp_path: Path):
    pasted = tmp_path / "isw-2022-11-23.txt"
    pasted.write_text(PASTED, encoding="utf-8")
    site = tmp_path / "site"
    site.mkdir()
    result = run("import", str(pasted), "--into", str(site), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    target = site / "briefs" / "2022-11-23-russian-offensive-campaign-assessment.md"
    assert f"imported {target}" in result.stderr
    text = target.read_text(encoding="utf-8")
    front, body = text.split("---\n")[1], text.split("---\n", 2)[2]
    assert yaml.safe_load(front) == {
        "title": "Russian Offensive Campaign Assessment, November 23",
        "date": __import__("datetime").date(2022, 11, 23),
        "authors": ["Kateryna Stepanenko", "Karolina Hird", "Frederick W. Kagan"],
        "series": "Russian Offensive Campaign Assessment",
    }
    assert body == PASTED[PASTED.index("Russian forces struck"):]
    built = run("build", cwd=site)
    assert built.returncode == 0, built.stderr
    page = (site / "site" / "briefs" / target.stem / "index.html").read_text(encoding="utf-8")
    assert page.count('role="doc-noteref"') == 2
    assert re.search(r'<span [^>]*data-source="tass-politika-16000000"[^>]*>https://tass dot ru/politika/16000000'
                     r'</span>', page)
    assert 'href="https://tass.ru' not in page


def test_import_never_overwrites(tmp_path: Path):
    pasted = tmp_path / "isw-2022-11-23.txt"
    pasted.write_text(PASTED, encoding="utf-8")
    assert run("import", str(pasted), "--into", str(tmp_path), cwd=tmp_path).returncode == 0
    target = tmp_path / "briefs" / "2022-11-23-russian-offensive-campaign-assessment.md"
    target.write_text("edited by hand", encoding="utf-8")
    again = run("import", str(pasted), "--into", str(tmp_path), cwd=tmp_path)
    assert again.returncode == 1
    assert "error: import.exists" in again.stderr
    assert target.read_text(encoding="utf-8") == "edited by hand"


def test_import_without_a_date_is_a_clear_error_and_date_option_fixes_it(tmp_path: Path):
    pasted = tmp_path / "assessment.txt"
    pasted.write_text(PASTED.replace("November 23", "Late autumn"), encoding="utf-8")
    result = run("import", str(pasted), "--into", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 1
    assert "error: import.no-date" in result.stderr and "--date YYYY-MM-DD" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "briefs").exists() or not any((tmp_path / "briefs").iterdir())
    fixed = run("import", str(pasted), "--into", str(tmp_path), "--date", "2022-11-20", cwd=tmp_path)
    assert fixed.returncode == 0, fixed.stderr
    assert [p.name for p in (tmp_path / "briefs").iterdir()] == [
        "2022-11-20-russian-offensive-campaign-assessment-late-autumn.md"]


def test_import_of_a_missing_file_is_reported(tmp_path: Path):
    result = run("import", "nowhere.txt", cwd=tmp_path)
    assert result.returncode == 1
    assert "nowhere.txt" in result.stderr and "Traceback" not in result.stderr


def test_example_imports_identically_to_the_hand_made_brief(tmp_path: Path):
    example = shared_path("examples", "isw-2024-05-24-negotiations.txt")
    result = run("import", str(example), "--into", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    (made,) = (tmp_path / "briefs").iterdir()
    hand = (REPO / "briefs" / "2024-05-24-negotiations.md").read_text(encoding="utf-8")
    assert made.read_text(encoding="utf-8").split("---\n", 2)[2] == hand.split("---\n", 2)[2]


# ------------------------------------------------------------------ sources
def _site_with_sources(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "briefs").mkdir(parents=True)
    (site / "citations").mkdir()
    (site / "citations" / "sources.yaml").write_text(
        "# Hand-kept sources: do not reorder\n"
        "reuters-strikes:   # checked 2022-11-24\n"
        "  url: https://www.reuters.com/world/europe/ukraine-strikes-2022-11-23/\n"
        "  title: Ukraine strikes\n  publisher: Reuters\n  date: 2022-11-23\n  kind: news\n",
        encoding="utf-8")
    pasted = tmp_path / "isw-2022-11-23.txt"
    pasted.write_text(PASTED + "[3] https://www.kommersant.ru/doc/5678901\n", encoding="utf-8")
    assert run("import", str(pasted), "--into", str(site), cwd=tmp_path).returncode == 0
    return site


def test_sources_lists_counts_and_missing(tmp_path: Path):
    site = _site_with_sources(tmp_path)
    listed = run("sources", cwd=site)
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert len(lines) == 4
    assert "    1  reuters-strikes  https://www.reuters.com/world/europe/ukraine-strikes-2022-11-23/" in lines
    missing = run("sources", "--missing", cwd=site)
    assert "reuters-strikes" not in missing.stdout
    assert sorted(line.split()[1] for line in missing.stdout.splitlines()) == [
        "kommersant-doc-5678901", "tass-politika-16000000", "telegram-mod-russia-22000"]
    assert all(line.endswith("(inferred)") for line in missing.stdout.splitlines())


def test_sources_add_appends_entries_keeping_the_file(tmp_path: Path):
    site = _site_with_sources(tmp_path)
    registry = site / "citations" / "sources.yaml"
    before = registry.read_text(encoding="utf-8")
    added = run("sources", "--add", "citations/sources.yaml", cwd=site)
    assert added.returncode == 0, added.stderr
    assert "added 3 entries to" in added.stderr
    after = registry.read_text(encoding="utf-8")
    assert after.startswith(before)
    data = yaml.safe_load(after)
    assert list(data)[0] == "reuters-strikes" and len(data) == 4
    assert all("TODO" in after.split(f"{key}:", 1)[1].split("\n\n")[0] for key in list(data)[1:])
    again = run("sources", "--add", "citations/sources.yaml", cwd=site)
    assert "added 0 entries" in again.stderr
    assert registry.read_text(encoding="utf-8") == after
    assert run("build", cwd=site).returncode == 0


# ---------------------------------------------------------- check --format github
TEN_PROBLEMS = """---
title: Ten problems
date: 2024-05-24
---
A reference to a missing note.[9] Cited once.[1] Again.[2] And [3] and [4] and [5] and [7].

[1] https://www.reuters.com/world/a-2024-05-24/; https://www.reuters.com/world/a-2024-05-24/
[2] @no-such-source
[3]
[4] https://hromadske doua/posts/x
[5] https://www.reuters.com/world/b-2024-05-24/
[5] https://www.reuters.com/world/c-2024-05-24/
[7] https://www.reuters.com/world/d-2024-05-24/
[8] https://www.reuters.com/world/e-2024-05-24/
"""
TEN_REGISTRY = """never-cited:
  url: https://example.org/never
  title: Never cited
  publisher: Example
  titel: typo
"""
TEN_CODES = {
    "citation.unknown-note", "note.duplicate-url", "citation.unknown-key", "note.empty",
    "citation.bad-url", "note.duplicate", "note.numbering", "note.unreferenced",
    "registry.unused", "registry.unknown-key",
}


def test_check_github_reports_ten_distinct_problems_in_one_run(tmp_path: Path):
    (tmp_path / "briefs").mkdir()
    (tmp_path / "citations").mkdir()
    (tmp_path / "briefs" / "ten.md").write_text(TEN_PROBLEMS, encoding="utf-8")
    (tmp_path / "citations" / "sources.yaml").write_text(TEN_REGISTRY, encoding="utf-8")
    result = run("check", "--format", "github", cwd=tmp_path)
    assert result.returncode == 1
    annotations = re.findall(r"^::(error|warning) file=([^,]+),line=(\d+),col=(\d+),title=([\w.-]+)::(.+)$",
                             result.stdout, re.MULTILINE)
    codes = {a[4] for a in annotations}
    assert TEN_CODES <= codes, TEN_CODES - codes
    where = {a[4]: (a[1], int(a[2])) for a in annotations}
    assert where["citation.unknown-note"] == ("briefs/ten.md", 5)
    assert where["note.empty"] == ("briefs/ten.md", 9)
    assert where["citation.bad-url"] == ("briefs/ten.md", 10)
    assert where["note.numbering"] == ("briefs/ten.md", 13)
    assert where["registry.unknown-key"] == ("citations/sources.yaml", 5)
    assert not (tmp_path / "site").exists()


def test_the_shipped_workflow_checks_builds_strictly_and_uploads(repo: Path):
    workflow = yaml.safe_load((repo / "docs" / "github-workflow.yml").read_text(encoding="utf-8"))
    steps = [step.get("run", "") + step.get("uses", "") for job in workflow["jobs"].values()
             for step in job["steps"]]
    assert any("briefgen check --format github" in s for s in steps)
    assert any("briefgen build --strict" in s for s in steps)
    upload = next(step for job in workflow["jobs"].values() for step in job["steps"]
                  if "upload" in step.get("uses", ""))
    assert upload["with"]["path"] == "site/"
