"""Print the corpus acceptance figures: import and build ../shared/corpus in a temporary site.

    python3 benchmarks/corpus_figures.py [CORPUS_DIR] [--all]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "src"))

from tests.corpus.measure import measure, report  # noqa: E402


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("--")]
    corpus = Path(args[0]) if args else REPO.parent / "shared" / "corpus"
    if not corpus.is_dir():
        print(f"no corpus at {corpus}", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        figures = measure(corpus, Path(tmp))
    print(report(figures, limit=10**6 if "--all" in argv else 15))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
