"""Pathological Markdown (after cmark's test/pathological_tests.py) through ``parse_brief``.

For every case the input is built at size n and 10n; the script prints the time of each
and their ratio.  Linear growth gives a ratio near 10; the promise is at most 12.

    python3 benchmarks/pathological.py [--n 5000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from briefgen.markdown import parse_brief  # noqa: E402

FRONT = "---\ntitle: Pathological\ndate: 2024-05-24\n---\n"
CASES = {
    "nested strong emph": lambda n: "*a **a " * n + "b" + " a** a*" * n,
    "many emph closers with no openers": lambda n: "a_ " * n,
    "many emph openers with no closers": lambda n: "_a " * n,
    "many link closers with no openers": lambda n: "a]" * n,
    "many link openers with no closers": lambda n: "[a" * n,
    "mismatched openers and closers": lambda n: "*a_ " * n,
    "openers and closers multiple of 3": lambda n: "a**b" + "c* " * n,
    "link openers and emph closers": lambda n: "[ a_" * n,
    "pattern [ (]( repeated": lambda n: "[ (](" * n,
    "nested brackets": lambda n: "[" * n + "a" + "]" * n,
    "nested block quotes": lambda n: "> " * n + "a\n",
    # cmark nests 1,000 levels (half a million characters); here a 100-level list is repeated
    # so that the input grows by exactly the factor measured
    "deeply nested lists": lambda n: ("".join("  " * i + "* a\n" for i in range(100)) + "\n") * max(1, n // 100),
    "backticks": lambda n: ("".join("e" + "`" * i for i in range(1, 100)) + "\n\n") * max(1, n // 100),
    "unclosed links A": lambda n: "[a](<b" * n,
    "unclosed links B": lambda n: "[a](b" * n,
    "unclosed <!--": lambda n: "</" + "<!--" * n,
    "many link references": lambda n: "".join(f"[{i}]: https://example.org/{i}\n" for i in range(n)) + "[0]\n",
    "reference [N] storm": lambda n: "Text.[1]" * n + "\n\n[1] https://example.org/a\n",
    "many notes": lambda n: "Text.[1]\n\n" + "".join(f"[{i}] https://example.org/{i} ; @k{i}\n" for i in range(1, n + 1)),
    "note with many separators": lambda n: "Text.[1]\n\n[1] " + "https://example.org/a ;" * n + "\n",
    "footnote references": lambda n: "a[^x]" * n + "\n\n[^x]: https://example.org/f\n",
    "unclosed footnote refs": lambda n: "[^" * n,
    "many tables cells": lambda n: "| a " * n + "|\n" + "| - " * n + "|\n" + "| b " * n + "|\n",
    "bracket and NBSP noise": lambda n: "[\u00a0" * n + "1]\u00a0" * n,
}


def timed(text: str, repeat: int) -> float:
    """The best of ``repeat`` runs (the least disturbed by other work on the machine)."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        gc.disable()  # as timeit does: the collector's passes over many live objects are not parsing
        try:
            started = time.process_time()  # CPU time: other work on the machine does not count
            parse_brief(text, "briefs/p.md")
            best = min(best, time.process_time() - started)
        finally:
            gc.enable()
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    worst = 0.0
    print(f"{'case':40} {'n s':>8} {'10n s':>8} {'ratio':>6}")
    for name, make in CASES.items():
        small = timed(FRONT + make(args.n), args.repeat)
        large = timed(FRONT + make(10 * args.n), args.repeat)
        ratio = large / max(small, 1e-9)
        worst = max(worst, ratio)
        print(f"{name:40} {small:8.4f} {large:8.4f} {ratio:6.1f}{'  ** over 12' if ratio > 12 else ''}")
    print(f"worst ratio: {worst:.1f} (promise: at most 12)")
    return 0 if worst <= 12 else 1


if __name__ == "__main__":
    sys.exit(main())
