"""The CPU time of the work every cold build of a site must do, each part timed alone, and
what those parts add up to on this machine's cores: a floor under the cold build.

    python3 benchmarks/floors.py ROOT [--repeat N]

ROOT is a site folder that was built (``briefs/``, ``citations/``, ``site/``; for example
a copy of ``make_corpus.py --briefs 2000`` after ``briefgen build``). Each part is the
least of what a build does, measured with the libraries briefgen uses and nothing of
briefgen around them where that can be left out:

- markdown: markdown-it-py's plain CommonMark parser and renderer over every brief's text
  (no briefgen rule: notes, references, citations and sentences cost more);
- registry: every ``citations/*.yaml`` file loaded with PyYAML's C loader;
- pages: Jinja rendering every source page, then every brief page, with the site's own
  templates (the site is compiled in this process first, from the build cache when it has
  one; that part is not counted);
- search: Pagefind's own program indexing the brief pages as briefgen sends them (the
  parts it ignores left out), written to a temporary folder first (not counted);
- writing: the files of ``site/`` written anew into an empty folder (read first, not
  counted).

Each part runs ``--repeat`` times (default 2) and the least CPU time is kept: this
machine's timings vary from run to run, and a floor is the least a part can cost.

Prints the CPU seconds of each part (user and system, the children's for Pagefind),
their sum, and the sum divided by the number of cores: no build of this site can take
less wall time on this machine, however well it spreads its work, without a faster
Markdown parser, lighter templates or a faster template engine, a faster search indexer
or file system.
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))


def cpu(children: bool = False) -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def markdown(root: Path) -> float:
    from markdown_it import MarkdownIt

    texts = [p.read_text(encoding="utf-8") for p in sorted((root / "briefs").glob("*.md"))]
    parser = MarkdownIt("commonmark")
    start = cpu()
    for text in texts:
        parser.render(text)
    return cpu() - start


def registry(root: Path) -> float:
    import yaml

    texts = [p.read_text(encoding="utf-8") for p in sorted((root / "citations").glob("*.yaml"))]
    start = cpu()
    for text in texts:
        yaml.load(text, Loader=yaml.CSafeLoader)
    return cpu() - start


def compiled(root: Path):
    """The site compiled in this process (read, parse or cache, resolve, plan)."""
    from briefgen import build, memo, parse_cache, stamp
    from briefgen.read import read_site

    files, diagnostics = read_site(root)
    cache = parse_cache.load(root / stamp.CACHE_DIR, files)
    memo.load(root / stamp.CACHE_DIR)
    made = build.compile_site(files, diagnostics, cache=cache)
    gc.collect()
    gc.freeze()        # as a build does (build.py): collections no longer walk the compiled site,
    gc.set_threshold(200_000, 50, 1_000)   # and are as rare as in its render
    return files, made


def pages(files, site, template: str, for_search: bool = False) -> tuple[float, list[tuple[str, bytes]]]:
    """The CPU time of rendering the pages of ``template``; the pages when ``for_search``."""
    from briefgen.render import make_environment, render_page

    env = make_environment(files.templates)
    chosen = [page for page in site.pages if page.template == template]
    out: list[tuple[str, bytes]] = []
    start = cpu()
    for page in chosen:
        html = render_page(env, site.site, page, for_search)
        if for_search:
            out.append((page.path, html))
    return cpu() - start, out


def search(briefs: list[tuple[str, bytes]]) -> float:
    from pagefind.service import get_executable

    with tempfile.TemporaryDirectory() as folder:
        for path, html in briefs:
            target = Path(folder, "site", path)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(html)
        start = cpu(children=True)
        subprocess.run([str(get_executable()), "--site", f"{folder}/site", "--output-path", f"{folder}/out"],
                       check=True, stdout=subprocess.DEVNULL)
        return cpu(children=True) - start


def writing(site: Path) -> float:
    files = sorted(p for p in site.rglob("*") if p.is_file())
    spent = 0.0
    with tempfile.TemporaryDirectory(dir=site.parent) as folder:
        for at in range(0, len(files), 2000):
            batch = [(p.relative_to(site), p.read_bytes()) for p in files[at:at + 2000]]
            start = cpu()
            for rel, data in batch:
                target = os.path.join(folder, rel)
                os.makedirs(os.path.dirname(target), exist_ok=True)
                with open(target, "wb") as handle:
                    handle.write(data)
            spent += cpu() - start
        started = time.perf_counter()
        shutil.rmtree(folder, ignore_errors=True)
        print(f"  (the copy removed in {time.perf_counter() - started:.1f} s)", file=sys.stderr)
    return spent


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", type=Path, help="a site folder that was built (briefs/, citations/, site/)")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each part; the least is kept")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    if not (root / "site").is_dir():
        parser.error(f"{root} has no site/: build it first")
    files, site = compiled(root)
    sources = sum(page.template == "source.html" for page in site.pages)
    _, slim = pages(files, site, "brief.html", for_search=True)
    parts = {
        "markdown-it-py, CommonMark only": lambda: markdown(root),
        "registry, PyYAML C loader": lambda: registry(root),
        f"Jinja, {sources} source pages": lambda: pages(files, site, "source.html")[0],
        f"Jinja, {len(site.site.briefs)} brief pages": lambda: pages(files, site, "brief.html")[0],
        "Pagefind, the brief pages as sent for search": lambda: search(slim),
        "writing the files of site/": lambda: writing(root / "site"),
    }
    least = {name: min(part() for _ in range(max(1, args.repeat))) for name, part in parts.items()}
    total, cores = sum(least.values()), os.cpu_count() or 1
    for name, seconds in least.items():
        print(f"{seconds:8.1f} CPU-s  {name}")
    print(f"{total:8.1f} CPU-s  in all: at least {total / cores:.1f} s of wall time on {cores} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
