"""Kill builds with SIGKILL at random moments and check that ``site/`` is always a whole build.

    python3 benchmarks/kill_builds.py SITE_DIR [--kills 20] [--seed 1]

SITE_DIR is a briefing site (for instance one made by a corpus generator). The script
builds the site's input in two variants (as it is, and with one sentence added to the
first brief) to know the tree hash of each, then starts ``briefgen build`` in a
subprocess again and again, alternating the variants, kills it after a random delay
within the time a build takes, and prints whether ``site/`` then holds the previous
build or the new one (anything else is a failure), and how many kills landed while the
new tree was being written.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO))

from briefgen.build import build  # noqa: E402
from tests.hostile.catalogue_run import tree_hash  # noqa: E402


def set_variant(site: Path, first: Path, original: str, variant: str) -> None:
    first.write_text(original + ("\nOne more sentence.\n" if variant == "new" else ""), encoding="utf-8")


def process(site: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    return subprocess.Popen([sys.executable, "-m", "briefgen", "build"], cwd=site, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    site = args.site.resolve()
    first = sorted((site / "briefs").rglob("*.md"))[0]
    original = first.read_text(encoding="utf-8")
    trees = {}
    with tempfile.TemporaryDirectory() as scratch:
        for variant in ("old", "new"):
            set_variant(site, first, original, variant)
            build(site, out=Path(scratch) / variant)
            trees[variant] = tree_hash(Path(scratch) / variant)
    set_variant(site, first, original, "old")
    started = time.perf_counter()
    process(site).wait()
    duration = time.perf_counter() - started
    print(f"a whole build takes {duration:.2f} s; {len(list((site / 'site').rglob('*')))} paths in site/")
    rng, outcome, failures = random.Random(args.seed), {"previous": 0, "new": 0, "while writing": 0}, 0
    try:
        for kill in range(args.kills):
            variant = "new" if kill % 2 == 0 else "old"
            previous = tree_hash(site / "site")
            set_variant(site, first, original, variant)
            running = process(site)
            delay = rng.uniform(0.2, 1.05) * duration
            time.sleep(delay)
            writing = any(site.glob(".site.new-*"))
            running.send_signal(signal.SIGKILL)
            running.wait()
            now = tree_hash(site / "site")
            state = "previous" if now == previous else "new" if now == trees[variant] else "BROKEN"
            failures += state == "BROKEN"
            outcome[state] = outcome.get(state, 0) + 1
            outcome["while writing"] += writing
            print(f"kill {kill + 1:2d} after {delay:5.2f} s{' (writing)' if writing else '':10}: site/ = {state}")
    finally:
        set_variant(site, first, original, "old")
    build(site)
    leftovers = [p.name for p in site.iterdir() if p.name.startswith((".site.new-", ".site.old-"))]
    print(f"{args.kills} kills: {outcome}; after the next build: site/ = "
          f"{'old' if tree_hash(site / 'site') == trees['old'] else 'BROKEN'}, leftovers {leftovers}")
    return 1 if failures or leftovers else 0


if __name__ == "__main__":
    sys.exit(main())
