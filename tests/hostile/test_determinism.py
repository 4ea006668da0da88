"""Deterministic output: the same input gives the same bytes whatever the hash seed,
the order in which the file system lists folders, the time zone, the locale, or the
run; the one date not in the input (the feed's ``updated``) is SOURCE_DATE_EPOCH."""

from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from briefgen.build import build
from tests.hostile.catalogue_run import tree_hash
from tests.hostile.corpus import make_site

REPO = Path(__file__).resolve().parents[2]
ENVIRONMENTS = [
    {"PYTHONHASHSEED": "0", "TZ": "UTC", "LANG": "C", "LC_ALL": "C"},
    {"PYTHONHASHSEED": "1", "TZ": "Pacific/Kiritimati", "LANG": "de_DE.UTF-8", "LC_ALL": "de_DE.UTF-8"},
    {"PYTHONHASHSEED": "4242", "TZ": "America/Los_Angeles", "LANG": "tr_TR.UTF-8", "LC_ALL": "tr_TR.UTF-8"},
    {"PYTHONHASHSEED": "random", "TZ": "Asia/Kathmandu", "LANG": "ja_JP.UTF-8", "LC_ALL": "ja_JP.UTF-8"},
]


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """The example site plus a small corpus, with a base_url so that the feed is built."""
    root = make_site(tmp_path / "site", briefs=5, notes=8)
    for name in ("briefs", "citations"):
        for path in (REPO / name).iterdir():
            shutil.copy(path, root / name / f"example-{path.name}")
    (root / "briefgen.yaml").write_text(
        "title: Corpus\nbase_url: https://briefs.example.org/\nignore: [source.inferred, registry.unused]\n")
    return root


def build_in_subprocess(site: Path, out: Path, env: dict[str, str]) -> str:
    environment = {k: v for k, v in os.environ.items() if k not in ("SOURCE_DATE_EPOCH", "LANGUAGE")}
    environment.update(env, PYTHONPATH=str(REPO / "src"))
    done = subprocess.run([sys.executable, "-m", "briefgen", "build", "--out", str(out)],
                          cwd=site, env=environment, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return tree_hash(out)


def test_same_bytes_across_hash_seeds_time_zones_locales_and_runs(site: Path, tmp_path: Path):
    hashes = [build_in_subprocess(site, tmp_path / f"out-{i}", env) for i, env in enumerate(ENVIRONMENTS)]
    hashes.append(build_in_subprocess(site, tmp_path / "out-again", ENVIRONMENTS[0]))
    assert len(set(hashes)) == 1
    assert (tmp_path / "out-0" / "feed.xml").is_file()


def _reversed(listing):
    def listed(self, *args, **kwargs):
        return iter(sorted(listing(self, *args, **kwargs), key=str, reverse=True))
    return listed


class _ReversedScan:
    """``os.scandir`` listing entries in reverse name order (usable with ``with``)."""

    def __init__(self, scan):
        with scan:
            self.entries = sorted(scan, key=lambda entry: entry.name, reverse=True)

    def __enter__(self):
        return iter(self.entries)

    def __exit__(self, *exc) -> None:
        return None

    def __iter__(self):
        return iter(self.entries)


def test_same_bytes_when_the_file_system_lists_folders_in_reverse(site: Path, tmp_path: Path, monkeypatch):
    build(site, out=tmp_path / "forward")
    real_scandir, real_listdir = os.scandir, os.listdir
    monkeypatch.setattr(pathlib.Path, "iterdir", _reversed(pathlib.Path.iterdir))
    monkeypatch.setattr(pathlib.Path, "rglob", _reversed(pathlib.Path.rglob))
    monkeypatch.setattr(pathlib.Path, "glob", _reversed(pathlib.Path.glob))
    monkeypatch.setattr(os, "listdir", lambda *a: sorted(real_listdir(*a), reverse=True))
    monkeypatch.setattr(os, "scandir", lambda *a: _ReversedScan(real_scandir(*a)))
    assert next(iter((site / "briefs").iterdir())).name > "brief-000.md"  # the patch is in force
    build(site, out=tmp_path / "reversed")
    assert tree_hash(tmp_path / "forward") == tree_hash(tmp_path / "reversed")


def test_feed_updated_comes_from_source_date_epoch(site: Path, tmp_path: Path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    build(site, out=tmp_path / "epoch")
    feed = (tmp_path / "epoch" / "feed.xml").read_text()
    assert "<updated>2023-11-14T22:13:20Z</updated>" in feed
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    build(site, out=tmp_path / "zero")
    assert "<updated>1970-01-01T00:00:00Z</updated>" in (tmp_path / "zero" / "feed.xml").read_text()
    build(site, out=tmp_path / "zero-again")
    assert tree_hash(tmp_path / "zero") == tree_hash(tmp_path / "zero-again")


def test_without_source_date_epoch_the_feed_date_is_the_newest_brief(site: Path, tmp_path: Path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    build(site, out=tmp_path / "plain")
    assert "<updated>2024-05-24T00:00:00Z</updated>" in (tmp_path / "plain" / "feed.xml").read_text()
