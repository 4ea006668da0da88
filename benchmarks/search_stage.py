"""Time the search stage alone on the brief pages of a built site, and print its figures.

    python3 benchmarks/search_stage.py SITE [--copies N]

SITE is a built site folder (its ``briefs/<slug>/index.html`` pages are indexed); with
``--copies N`` each page is sent N times under other slugs (and with its title changed),
to stand for an archive N times larger. Pages are read one at a time as the stage asks
for them, as the render hands them over in a build. Prints the time to send and index
the pages, the time Pagefind takes to build and return the bundle, and the CPU time and
peak memory of Pagefind's process and of this one, and a digest of the bundle (the same
pages must give the same digest).
"""

from __future__ import annotations

import hashlib
import resource
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

import briefgen.search as search  # noqa: E402


def pages(site: Path, copies: int):
    """(path, html) in path order: every page of ``site``, then ``copies - 1`` renamed copies."""
    found = sorted(site.glob("briefs/*/index.html"))
    names = sorted((f"briefs/{p.parent.name}{'' if c == 0 else f'-copy{c}'}/index.html", p, c)
                   for p in found for c in range(copies))
    for path, page, copy in names:
        html = page.read_bytes()
        if copy:
            html = html.replace(b"</h1>", f" (copy {copy})</h1>".encode(), 1)
        yield path, html


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("--")]
    copies = int(argv[argv.index("--copies") + 1]) if "--copies" in argv else 1
    if not args or not Path(args[0], "briefs").is_dir():
        print(__doc__, file=sys.stderr)
        return 2
    site = Path(args[0])
    marks = []
    answers = search.answers

    def timed(stream):
        for answer in answers(stream):
            marks.append(time.perf_counter())
            yield answer

    search.answers = timed
    started = time.perf_counter()
    bundle = search.search_files(pages(site, copies))
    ended = time.perf_counter()
    child, own = resource.getrusage(resource.RUSAGE_CHILDREN), resource.getrusage(resource.RUSAGE_SELF)
    digest = hashlib.sha256(b"".join(name.encode() + data for name, data in sorted(bundle.items()))).hexdigest()
    print(f"{len(marks) - 2} brief pages, bundle of {len(bundle)} files ({sum(map(len, bundle.values())) / 1e6:.1f} MB),"
          f" sha256 {digest[:16]}")
    print(f"  pages sent and indexed: {marks[-2] - started:.2f} s")
    print(f"  bundle built and returned: {marks[-1] - marks[-2]:.2f} s")
    print(f"  checked, sorted, indexer stopped: {ended - marks[-1]:.2f} s")
    print(f"  search stage: {ended - started:.2f} s")
    print(f"  Pagefind: {child.ru_utime + child.ru_stime:.2f} s CPU, peak {child.ru_maxrss / 1024:.0f} MB")
    print(f"  this process: {own.ru_utime + own.ru_stime:.2f} s CPU, peak {own.ru_maxrss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
