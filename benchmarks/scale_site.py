"""Corpora and site copies for benchmarks/scale.py, and the edits whose rebuilds it times.

A corpus is made once by make_corpus.py (``--format all``: the same briefs for briefgen,
Hugo, Pelican and MkDocs) under ``WORK/corpus-<N>-seed<S>/`` and reused while its
manifest names the same N and seed. Builds run in fresh copies, never in the corpus.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MAKE_CORPUS = REPO.parent / "shared" / "bench" / "make_corpus.py"
FORMATS = ("briefgen", "hugo", "pelican")
NOTES_START = re.compile(r"^\[1\](?=[ \t\u00a0]|https?:|www\.)", re.M)
NOTE_NUMBER = re.compile(r"^\[(\d+)\]", re.M)


@dataclass(frozen=True)
class Edit:
    """Where an edit should show after the rebuild: a page under site/ and a text in it."""
    page: str
    marker: str

    def shows_in(self, site: Path) -> bool:
        page = site / self.page
        return page.is_file() and self.marker in page.read_text(encoding="utf-8", errors="replace")


def ensure_corpus(work: Path, briefs: int, seed: int) -> Path:
    """The corpus folder for ``briefs`` and ``seed``, generated unless a matching one is cached."""
    folder = work / f"corpus-{briefs}-seed{seed}"
    if corpus_matches(folder, briefs, seed):
        return folder
    if folder.exists():
        shutil.rmtree(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, str(MAKE_CORPUS), "--briefs", str(briefs), "--seed", str(seed),
                    "--out", str(folder), "--format", "all", "--quiet"], check=True)
    return folder


def corpus_matches(folder: Path, briefs: int, seed: int) -> bool:
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (manifest.get("briefs") == briefs and manifest.get("seed") == seed
            and all((folder / name).is_dir() for name in FORMATS))


def corpus_summary(folder: Path) -> dict:
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    keys = ("briefs", "seed", "distinct_sources", "registry_entries", "registry_bytes", "bytes_written")
    return {key: manifest.get(key) for key in keys}


def fresh_copy(source: Path, target: Path) -> Path:
    """A copy of ``source`` at ``target`` with no build output and no cache (a cold start)."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target)
    for path in list(target.iterdir()):
        if path.name == "site" or path.name.startswith(".site.") or "cache" in path.name.lower():
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    return target


def middle_brief(site: Path) -> Path:
    briefs = sorted((site / "briefs").glob("*.md"))
    return briefs[len(briefs) // 2]


def split_brief(text: str) -> tuple[str, list[str], str]:
    """(front matter, body blocks separated by blank lines, notes section) of a corpus brief."""
    front_end = text.index("\n---\n", 3) + len("\n---\n")
    notes = NOTES_START.search(text, front_end)
    notes_start = notes.start() if notes else len(text)
    return text[:front_end], text[front_end:notes_start].split("\n\n"), text[notes_start:]


def append_to_middle_paragraph(blocks: list[str], sentence: str) -> list[str]:
    """The blocks with ``sentence`` added to the end of the middle plain paragraph."""
    paragraphs = [i for i, block in enumerate(blocks)
                  if block.strip() and not block.lstrip().startswith(("#", "-", "*", ">", "|"))]
    index = paragraphs[len(paragraphs) // 2]
    return [block + " " + sentence if i == index else block for i, block in enumerate(blocks)]


def edit_body(site: Path, run: int) -> Edit:
    """Append one sentence to a paragraph of the middle brief."""
    brief = middle_brief(site)
    marker = f"The scale benchmark added this sentence in run {run}."
    front, blocks, notes = split_brief(brief.read_text(encoding="utf-8"))
    brief.write_text(front + "\n\n".join(append_to_middle_paragraph(blocks, marker)) + notes, encoding="utf-8")
    return Edit(f"briefs/{brief.stem}/index.html", marker)


def add_note(site: Path, run: int) -> Edit:
    """Cite a new note [K+1] in the middle brief's body and add that note to its notes list."""
    brief = middle_brief(site)
    front, blocks, notes = split_brief(brief.read_text(encoding="utf-8"))
    number = max((int(n) for n in NOTE_NUMBER.findall(notes)), default=0) + 1
    url = f"https://example.org/new-source-{number}-run-{run}"
    blocks = append_to_middle_paragraph(blocks, f"A new source supports this sentence.[{number}]")
    notes = notes.rstrip("\n") + f"\n\n[{number}] {url}\n"
    brief.write_text(front + "\n\n".join(blocks) + notes, encoding="utf-8")
    return Edit(f"briefs/{brief.stem}/index.html", url)


def edit_registry(site: Path, run: int) -> Edit:
    """Change the title of the middle entry of citations/sources.yaml."""
    registry = site / "citations" / "sources.yaml"
    lines = registry.read_text(encoding="utf-8").split("\n")
    titles = [i for i, line in enumerate(lines) if line.startswith("  title: ")]
    index = titles[len(titles) // 2]
    key = next(lines[i] for i in range(index, -1, -1) if lines[i] and not lines[i].startswith((" ", "#")))
    title = f"Registry title edited by the scale benchmark in run {run}"
    lines[index] = f'  title: "{title}"'
    registry.write_text("\n".join(lines), encoding="utf-8")
    return Edit(f"sources/{key.rstrip(':').strip()}/index.html", title)
