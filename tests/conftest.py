"""Shared fixtures: where the repository, the example site and ../shared are."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture
def example_site(tmp_path: Path) -> Path:
    """A copy of the repository's own briefing site (briefs/, citations/, briefgen.yaml)."""
    site = tmp_path / "example"
    site.mkdir()
    for name in ("briefs", "citations"):
        shutil.copytree(REPO / name, site / name)
    shutil.copy(REPO / "briefgen.yaml", site / "briefgen.yaml")
    return site


def shared_path(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent (the shared data folder beside the repository)")
    return path


def generated_corpus(out: Path, briefs: int) -> Path:
    """A site of ``briefs`` briefs from the benchmark generator (a registry of 60% of the sources)."""
    import subprocess
    import sys
    subprocess.run([sys.executable, str(shared_path("bench", "make_corpus.py")), "--briefs", str(briefs),
                    "--out", str(out), "--format", "briefgen", "--quiet"], check=True, timeout=120)
    return out
