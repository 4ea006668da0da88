"""Running one case of the malformed-input catalogue (tests/hostile/catalogue/<case>/).

A case folder is a tiny briefing site plus ``expected.txt`` (the diagnostics the build
must report, one ``file:line:column: severity: code`` a line) and, optionally,
``args.txt`` (extra command-line options such as ``--strict``).  A few inputs cannot
live in the repository as plain files (a symbolic link leading out of the site, a
10 MB line); ``PREPARE`` adds them to the copy of the case that is built.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from pathlib import Path

CATALOGUE = Path(__file__).parent / "catalogue"
DIAGNOSTIC = re.compile(r"^(\S+:\d+:\d+): (error|warning): ([a-z0-9.-]+): ", re.MULTILINE)
SENTINEL = {"index.html": b"<p>the previous build</p>\n", "briefs/old/index.html": b"old\n"}


def _long_line(site: Path) -> None:
    brief = site / "briefs" / "a.md"
    brief.write_text(brief.read_text() + "\n" + "x" * (10 * 2**20) + "\n")


def _link_out(folder: str, name: str):
    def prepare(site: Path) -> None:
        outside = site.parent / "outside"
        outside.mkdir(exist_ok=True)
        (outside / name).write_text("---\ntitle: Secret\ndate: 2024-05-24\n---\nsecret\n")
        (site / folder / name).symlink_to(os.path.relpath(outside / name, site / folder))
    return prepare


PREPARE = {
    "long-line-10mb": _long_line,
    "symlink-out-of-briefs": _link_out("briefs", "secret.md"),
    "symlink-out-of-citations": _link_out("citations", "secret.yaml"),
}


def case_names() -> list[str]:
    return sorted(p.name for p in CATALOGUE.iterdir() if (p / "expected.txt").is_file() or p.is_dir())


def copy_case(name: str, into: Path) -> Path:
    """The case as a site in ``into`` with a previous build in ``site/``; returns the site."""
    site = into / name
    shutil.copytree(CATALOGUE / name, site, symlinks=True,
                    ignore=shutil.ignore_patterns("expected.txt", "args.txt"))
    for rel, data in SENTINEL.items():
        (site / "site" / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / "site" / rel).write_bytes(data)
    if name in PREPARE:
        PREPARE[name](site)
    return site


def case_args(name: str) -> list[str]:
    args = CATALOGUE / name / "args.txt"
    return args.read_text().split() if args.is_file() else []


def expected(name: str) -> list[str]:
    return [line.strip() for line in (CATALOGUE / name / "expected.txt").read_text().splitlines() if line.strip()]


def reported(output: str) -> list[str]:
    """``file:line:column: severity: code`` of every diagnostic in a CLI report, in order."""
    return [f"{loc}: {severity}: {code}" for loc, severity, code in DIAGNOSTIC.findall(output)]


def tree_hash(folder: Path) -> str:
    """A hash of every path and byte under ``folder`` (symbolic links by their target)."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*"), key=lambda p: p.relative_to(folder).as_posix()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        if path.is_symlink():
            digest.update(b"L" + os.readlink(path).encode())
        elif path.is_file():
            digest.update(b"F" + hashlib.sha256(path.read_bytes()).digest())
        else:
            digest.update(b"D")
    return digest.hexdigest()
