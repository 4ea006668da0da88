"""Atomic output: a failed, crashed or killed build leaves the previous site exactly as it
was, the next build leaves no temporary folder, two builds at once never mix, and a
rebuild holds exactly what the input gives (no stale files)."""

from __future__ import annotations

import fcntl
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import briefgen.write
from briefgen.build import build
from briefgen.cli import main
from tests.hostile.catalogue_run import tree_hash
from tests.hostile.corpus import make_site

REPO = Path(__file__).resolve().parents[2]
KILLS = 20


def leftovers(site: Path) -> list[str]:
    """Temporary folders a build may leave beside ``site/site``."""
    return sorted(p.name for p in site.iterdir() if p.name.startswith((".site.new-", ".site.old-")))


def run_cli(site: Path, *args: str):
    return CliRunner().invoke(main, ["build", "--root", str(site), *args])


def briefgen_process(site: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    return subprocess.Popen([sys.executable, "-m", "briefgen", "build", *args], cwd=site, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.fixture
def small_site(tmp_path: Path) -> Path:
    return make_site(tmp_path / "site-root", briefs=3, notes=5)


def test_a_failed_build_leaves_the_previous_site(small_site: Path):
    assert run_cli(small_site).exit_code == 0
    before = tree_hash(small_site / "site")
    (small_site / "briefs" / "broken.md").write_text("---\ntitle: [unclosed\n---\n")
    result = run_cli(small_site)
    assert result.exit_code == 1
    assert "briefs/broken.md:3:1: error: frontmatter.yaml" in result.output
    assert tree_hash(small_site / "site") == before
    assert leftovers(small_site) == []


def test_an_exception_in_a_template_leaves_the_previous_site(small_site: Path):
    assert run_cli(small_site).exit_code == 0
    before = tree_hash(small_site / "site")
    (small_site / "templates").mkdir()
    (small_site / "templates" / "brief.html").write_text("<p>a brief</p>\n{{ 1 // 0 }}\n")
    result = run_cli(small_site)
    assert result.exit_code == 1
    assert "templates/brief.html:2:1: error: template.error: template failed: ZeroDivisionError" in result.output
    assert "Traceback" not in result.output
    assert tree_hash(small_site / "site") == before
    assert leftovers(small_site) == []


def test_an_error_while_writing_leaves_the_previous_site(small_site: Path, monkeypatch):
    build(small_site)
    before = tree_hash(small_site / "site")
    real_write, written = briefgen.write._write_file, []

    def failing_write(staging: Path, rel: str, data: bytes) -> None:
        if len(written) == 7:
            raise OSError(28, "No space left on device")
        written.append(rel)
        real_write(staging, rel, data)

    monkeypatch.setattr(briefgen.write, "_write_file", failing_write)
    (small_site / "briefs" / "brief-000.md").write_text(
        (small_site / "briefs" / "brief-000.md").read_text().replace("Body of", "Changed body of"))
    with pytest.raises(OSError):
        build(small_site)
    assert len(written) == 7
    assert tree_hash(small_site / "site") == before
    assert leftovers(small_site) == []


def test_a_second_build_is_refused_while_one_is_writing(small_site: Path):
    assert run_cli(small_site).exit_code == 0
    before = tree_hash(small_site / "site")
    with open(small_site / ".site.lock", "a+") as held:  # what a running build holds
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        done = briefgen_process(small_site)
        out, err = done.communicate(timeout=60)
    assert done.returncode == 1
    assert ".site.lock:1:1: error: write.locked: another build is writing site/ right now" in err
    assert "Traceback" not in err
    assert tree_hash(small_site / "site") == before


def test_two_builds_started_at_once_never_mix(tmp_path: Path):
    site = make_site(tmp_path / "corpus")
    reference = make_site(tmp_path / "reference")
    build(reference)
    expected = tree_hash(reference / "site")
    first, second = briefgen_process(site), briefgen_process(site)
    results = [(p.wait(timeout=120), p.stderr.read()) for p in (first, second)]
    for status, err in results:
        assert status == 0 or (status == 1 and "error: write.locked" in err), err
    assert any(status == 0 for status, _ in results)
    assert tree_hash(site / "site") == expected
    assert leftovers(site) == []


def test_no_stale_files_after_deleting_and_renaming(tmp_path: Path):
    site = make_site(tmp_path / "corpus", briefs=4, notes=6)
    build(site)
    assert (site / "site" / "briefs" / "brief-003" / "index.html").is_file()
    (site / "briefs" / "brief-003.md").unlink()
    (site / "briefs" / "brief-002.md").rename(site / "briefs" / "renamed.md")
    registry = site / "citations" / "sources.yaml"
    registry.write_text(registry.read_text().split("reg-003:")[0])
    build(site)
    fresh = tmp_path / "fresh"
    shutil.copytree(site, fresh, ignore=shutil.ignore_patterns("site", ".site*"))
    build(fresh)
    assert tree_hash(site / "site") == tree_hash(fresh / "site")
    assert not (site / "site" / "briefs" / "brief-003").exists()
    assert not (site / "site" / "briefs" / "brief-002").exists()
    assert (site / "site" / "briefs" / "renamed" / "index.html").is_file()
    assert not (site / "site" / "sources" / "reg-003").exists()


@pytest.mark.slow
def test_sigkill_at_random_moments_leaves_the_old_or_the_new_site(tmp_path: Path):
    """20 builds killed with SIGKILL at random moments: ``site/`` is always one whole build."""
    trees = {}
    for variant in ("old", "new"):
        reference = make_site(tmp_path / f"reference-{variant}", variant=variant)
        build(reference)
        trees[variant] = tree_hash(reference / "site")
    site = make_site(tmp_path / "corpus", variant="old")
    build(site)
    started = time.perf_counter()
    assert briefgen_process(site).wait(timeout=120) == 0
    duration = time.perf_counter() - started  # kills are spread over the later part of a build
    rng, outcome = random.Random(20), {"previous": 0, "new": 0, "killed while writing": 0}
    for kill in range(KILLS):
        variant = "new" if kill % 2 == 0 else "old"
        previous = tree_hash(site / "site")
        make_site(site, variant=variant)
        process = briefgen_process(site)
        time.sleep(duration * (0.3 + 0.75 * kill / (KILLS - 1)) + rng.uniform(0, 0.05))
        outcome["killed while writing"] += bool(list(site.glob(".site.new-*")))
        process.send_signal(signal.SIGKILL)
        process.communicate()
        now = tree_hash(site / "site")
        assert now in (previous, trees[variant]), f"kill {kill}: site/ is neither the previous nor the new build"
        outcome["previous" if now == previous else "new"] += 1
    make_site(site, variant="new")
    build(site)
    assert tree_hash(site / "site") == trees["new"]
    assert leftovers(site) == []
    print(f"{KILLS} kills: site/ afterwards held {outcome}")
