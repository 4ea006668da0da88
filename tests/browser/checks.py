"""Validators for built pages: the Nu HTML Checker (vnu) over a batch, axe-core in the browser."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
VNU = REPO / "tests/node/node_modules/vnu-jar/build/dist/vnu.jar"
AXE = REPO / "tests/node/node_modules/axe-core/axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# One page of each type: (name, path under site/).
EXAMPLE_PAGES = (
    ("index", "index.html"),
    ("brief", "briefs/2024-05-24-negotiations/index.html"),
    ("sources", "sources/index.html"),
    ("source", "sources/reuters-2024-05-24-putin-ceasefire/index.html"),
    ("publishers", "publishers/index.html"),
    ("publisher", "publishers/reuters/index.html"),
    ("search", "search/index.html"),
    ("404", "404.html"),
)


def need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path.relative_to(REPO)} is absent (bash scripts/test.sh installs it with npm)")
    return path


def vnu_errors(files: list[Path]) -> list[str]:
    """'file:line: message' for every error the Nu HTML Checker reports (one run for all files)."""
    jar = need(VNU)
    if shutil.which("java") is None:
        pytest.skip("java is absent (bash scripts/test.sh installs default-jre-headless)")
    run = subprocess.run(["java", "-jar", str(jar), "--format", "json", "--exit-zero-always", *map(str, files)],
                         capture_output=True, text=True, timeout=300, check=False)
    messages = json.loads(run.stderr or run.stdout)["messages"]
    return [f"{m.get('url', '?').rsplit('/site/', 1)[-1]}:{m.get('lastLine', '?')}: {m['message']}"
            for m in messages if m["type"] in ("error", "non-document-error")]


def axe_violations(page) -> list[str]:
    """'rule: help (n nodes: selectors)' for each WCAG 2 A/AA violation axe-core finds in ``page``."""
    page.add_script_tag(path=str(need(AXE)))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS)
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes: "
            f"{', '.join(str(n['target']) for n in v['nodes'][:3])})" for v in result["violations"]]
