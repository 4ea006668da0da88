"""The malformed-input catalogue: every case is refused with its exact diagnostics.

Each case in ``catalogue/`` is built through the command line; the build must exit
with status 1, report exactly the ``file:line:column: severity: code`` lines of its
``expected.txt``, print no traceback, and leave the previous ``site/`` untouched.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen.cli import main
from tests.hostile.catalogue_run import case_args, case_names, copy_case, expected, reported, tree_hash

NAMES = case_names()
REPO = Path(__file__).resolve().parents[2]
# A few cases run in a real subprocess too: the exit status and stderr a CI job sees.
IN_SUBPROCESS = ["fm-alias-bomb", "reg-python-object", "non-utf8-latin1", "long-line-10mb",
                 "symlink-out-of-briefs", "ten-errors"]


def test_catalogue_has_at_least_sixty_cases():
    assert len(NAMES) >= 60
    assert all((Path(__file__).parent / "catalogue" / name / "expected.txt").is_file() for name in NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_case_is_refused_with_its_diagnostics(name: str, tmp_path: Path):
    site = copy_case(name, tmp_path)
    before = tree_hash(site / "site")
    result = CliRunner().invoke(main, ["build", "--root", str(site), *case_args(name)])
    assert result.exit_code == 1, result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert reported(result.output) == expected(name)
    assert any(line.split(": ")[1] == "error" for line in expected(name))
    assert tree_hash(site / "site") == before
    assert [p.name for p in site.iterdir() if p.name.startswith(".site.")] == []


@pytest.mark.parametrize("name", IN_SUBPROCESS)
def test_case_in_a_subprocess(name: str, tmp_path: Path):
    site = copy_case(name, tmp_path)
    before = tree_hash(site / "site")
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    env.pop("BRIEFGEN_DEBUG", None)
    done = subprocess.run([sys.executable, "-m", "briefgen", "build", *case_args(name)],
                          cwd=site, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr + done.stdout
    assert reported(done.stderr) == expected(name)
    assert tree_hash(site / "site") == before


def test_ten_independent_errors_in_one_run():
    errors = [line for line in expected("ten-errors") if ": error: " in line]
    assert len(errors) == 10
    assert len({line.split(":")[0] for line in errors}) == 9  # eight briefs and one registry file
