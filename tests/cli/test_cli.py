"""The commands, run as a user runs them: in a subprocess."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.linkcheck import broken_links, internal_link_count

REPO = Path(__file__).resolve().parents[2]


def run(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "briefgen", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120, env={**os.environ, **(env or {})})


def tree_hash(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def test_build_example_meets_the_acceptance_counts(example_site):
    result = run("build", cwd=example_site)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    site = example_site / "site"
    page = (site / "briefs" / "2024-05-24-negotiations" / "index.html").read_text()
    assert page.count('role="doc-noteref"') == 27
    notes = re.findall(r'<li id="note-(\d+)" class="note"', page)
    assert notes == [str(n) for n in range(1, 28)]
    assert page.count('role="doc-endnotes"') == 1
    assert page.count('role="doc-backlink"') == 27
    for n in range(1, 28):
        assert f'href="#note-{n}"' in page and f'href="#ref-{n}-1"' in page
    sources = [p for p in (site / "sources").iterdir() if p.is_dir()]
    assert len(sources) == 39
    assert broken_links(site) == []
    assert internal_link_count(site) > 500


def test_reuters_page_lists_its_seven_notes_with_sentences(example_site):
    assert run("build", cwd=example_site).returncode == 0
    page = (example_site / "site" / "sources" / "reuters-2024-05-24-putin-ceasefire" / "index.html").read_text()
    cited = re.findall(r'#note-(\d+)">note \1</a>', page)
    assert cited == ["1", "2", "3", "7", "8", "11", "15"]
    sentences = re.findall(r'<blockquote class="citing-sentence"[^>]*><p>(.*?) <a', page)
    assert len(sentences) == 7 and all(len(s) > 40 for s in sentences)
    assert sentences[0].startswith("Reuters reported on May 24 that four Russian sources")


def test_two_builds_give_identical_trees(example_site):
    assert run("build", cwd=example_site).returncode == 0
    first = tree_hash(example_site / "site")
    assert run("build", cwd=example_site, env={"PYTHONHASHSEED": "123"}).returncode == 0
    assert tree_hash(example_site / "site") == first


def test_bad_input_gives_located_diagnostics_exit_1_and_leaves_site(example_site):
    assert run("build", cwd=example_site).returncode == 0
    before = tree_hash(example_site / "site")
    (example_site / "briefs" / "broken.md").write_text("---\ntitle: [unclosed\n---\nBody\n", encoding="utf-8")
    (example_site / "citations" / "bad.yaml").write_text("x:\n  url: https://a.example/\n  tittle: y\n")
    result = run("build", cwd=example_site)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert re.search(r"^briefs/broken\.md:\d+:\d+: error: frontmatter\.yaml: ", result.stderr, re.M)
    assert re.search(r"^citations/bad\.yaml:3:3: error: registry\.unknown-key: ", result.stderr, re.M)
    assert tree_hash(example_site / "site") == before


def test_strict_fails_on_a_warning_that_a_plain_build_accepts(example_site):
    extra = example_site / "briefs" / "extra.md"
    extra.write_text("---\ntitle: Extra\ndate: 2024-05-25\n---\nSee [9].\n\n[1] https://isw.pub/UkrWar052424\n",
                     encoding="utf-8")
    plain = run("build", cwd=example_site)
    assert plain.returncode == 0, plain.stderr
    assert re.search(r"^briefs/extra\.md:5:5: warning: citation\.unknown-note: ", plain.stderr, re.M)
    strict = run("build", "--strict", cwd=example_site)
    assert strict.returncode == 1
    assert re.search(r"^briefs/extra\.md:5:5: error: citation\.unknown-note: ", strict.stderr, re.M)


def test_check_formats(example_site):
    (example_site / "briefs" / "extra.md").write_text(
        "---\ntitle: Extra\ndate: 2024-05-25\n---\nSee [9].\n", encoding="utf-8")
    github = run("check", "--format", "github", cwd=example_site)
    assert github.returncode == 0
    assert "::warning file=briefs/extra.md,line=5,col=5,title=citation.unknown-note::" in github.stdout
    strict = run("check", "--strict", "--format", "json", cwd=example_site)
    assert strict.returncode == 1 and '"code": "citation.unknown-note"' in strict.stdout
    assert not (example_site / "site").exists()


def test_out_option_and_a_cross_brief_citation(example_site):
    (example_site / "briefs" / "later.md").write_text(
        "---\ntitle: A later brief\ndate: 2024-06-01\n---\nAs we wrote before.[1]\n\n"
        "[1] https://isw.pub/UkrWar052424\n", encoding="utf-8")
    out = example_site / "public"
    result = run("build", "--out", str(out), cwd=example_site)
    assert result.returncode == 0, result.stderr
    cited = (out / "briefs" / "2024-05-24-negotiations" / "index.html").read_text()
    assert 'href="../../briefs/later/"' in cited
    later = (out / "briefs" / "later" / "index.html").read_text()
    assert 'href="../../briefs/2024-05-24-negotiations/">on this site' in later
    assert broken_links(out) == []


def test_init_then_build_from_an_installed_wheel(tmp_path):
    wheel_dir = tmp_path / "wheel"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
                    "-w", str(wheel_dir), str(REPO)], check=True, capture_output=True, timeout=300)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True, timeout=120)
    wheel = next(wheel_dir.glob("briefgen-*.whl"))
    subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "--no-deps", str(wheel)], check=True,
                   capture_output=True, timeout=300)
    work = tmp_path / "outside"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    created = subprocess.run([str(venv / "bin" / "briefgen"), "init", "mysite"], cwd=work, env=env,
                             capture_output=True, text=True, timeout=120)
    assert created.returncode == 0, created.stderr
    assert (work / "mysite" / ".gitignore").read_text() == "/site/\n/.briefgen-cache/\n"
    built = subprocess.run([str(venv / "bin" / "briefgen"), "build"], cwd=work / "mysite", env=env,
                           capture_output=True, text=True, timeout=120)
    assert built.returncode == 0, built.stderr
    site = work / "mysite" / "site"
    assert (site / "index.html").is_file() and (site / "assets" / "style.css").is_file()
    assert broken_links(site) == []
    again = subprocess.run([str(venv / "bin" / "briefgen"), "init", "mysite"], cwd=work, env=env,
                           capture_output=True, text=True, timeout=60)
    assert again.returncode == 1 and "not empty" in again.stderr


@pytest.mark.parametrize("content", ["", "\x00\x01binary", "---\n---\n", "no front matter at all\n"])
def test_never_a_traceback(example_site, content):
    (example_site / "briefs" / "bad.md").write_bytes(content.encode())
    result = run("build", cwd=example_site)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert re.search(r"^briefs/bad\.md:\d+:\d+: error: ", result.stderr, re.M)


def test_a_build_with_nothing_changed_writes_nothing_and_repeats_its_warnings(example_site):
    first = run("build", cwd=example_site)
    assert first.returncode == 0, first.stderr
    site = example_site / "site"
    before = tree_hash(site), {p: p.stat().st_mtime_ns for p in site.rglob("*")}
    again = run("build", cwd=example_site)
    assert again.returncode == 0, again.stderr
    assert "is up to date" in again.stderr
    assert warnings_of(again.stderr) == warnings_of(first.stderr) != []
    assert (tree_hash(site), {p: p.stat().st_mtime_ns for p in site.rglob("*")}) == before
    forced = run("build", "--force", cwd=example_site)
    assert "is up to date" not in forced.stderr and tree_hash(site) == before[0]
    brief = example_site / "briefs" / "2024-05-24-negotiations.md"
    brief.write_text(brief.read_text().replace("Kremlin", "Kremlin's", 1))
    edited = run("build", cwd=example_site)
    assert edited.returncode == 0 and "is up to date" not in edited.stderr
    assert tree_hash(site) != before[0]


def test_a_deleted_output_folder_is_built_again(example_site):
    assert run("build", cwd=example_site).returncode == 0
    subprocess.run(["rm", "-rf", str(example_site / "site")], check=True)
    again = run("build", cwd=example_site)
    assert again.returncode == 0 and "is up to date" not in again.stderr
    assert (example_site / "site" / "index.html").is_file()


def warnings_of(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ": warning: " in line]
