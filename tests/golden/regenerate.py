"""Rewrite the expected golden site: python3 tests/golden/regenerate.py

Run after an intended change to the output, then review `git diff tests/golden/`.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
EXPECTED = HERE / "example"


def build_example(out: Path) -> None:
    from briefgen.build import build

    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "example"
        site.mkdir()
        for name in ("briefs", "citations"):
            shutil.copytree(REPO / name, site / name)
        shutil.copy(REPO / "briefgen.yaml", site / "briefgen.yaml")
        build(site, out=out)


def main() -> int:
    if EXPECTED.exists():
        shutil.rmtree(EXPECTED)
    build_example(EXPECTED)
    count = sum(1 for p in EXPECTED.rglob("*") if p.is_file())
    print(f"wrote {count} files to {EXPECTED.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
