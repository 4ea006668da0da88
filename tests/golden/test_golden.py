"""The example site, built, equals the committed expected tree byte for byte."""

from __future__ import annotations

import difflib
from pathlib import Path

from tests.golden.regenerate import EXPECTED, build_example
from tests.support.linkcheck import broken_links


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_example_site_matches_the_golden_tree(tmp_path):
    out = tmp_path / "site"
    build_example(out)
    built, expected = tree(out), tree(EXPECTED)
    assert sorted(built) == sorted(expected), "file lists differ: run python3 tests/golden/regenerate.py if intended"
    for name in sorted(built):
        if built[name] != expected[name]:
            diff = "\n".join(difflib.unified_diff(
                expected[name].decode().splitlines(), built[name].decode().splitlines(),
                f"expected/{name}", f"built/{name}", lineterm="", n=2))
            raise AssertionError(f"{name} differs (regenerate if intended):\n{diff[:4000]}")


def test_golden_tree_has_no_broken_links():
    assert broken_links(EXPECTED) == []
