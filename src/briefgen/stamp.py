"""The up-to-date check: a build whose inputs have not changed leaves the output alone.

A successful build records a stamp in ``.briefgen-cache/build.json``: a digest of the
size and modification time of every input file (briefs/, citations/, templates/,
briefgen.yaml and the theme of the installed briefgen), the options that shape the
output, the identity of the output folder it swapped in, and its diagnostics. The next
build takes the same stamp before reading anything; when they are equal it reports the
recorded diagnostics again and writes nothing, so the output keeps its bytes and times.

The stamp is taken before the inputs are read, so a file saved while a build runs
makes the next build run. A change made by hand inside the output folder is not seen:
``briefgen build --force`` rebuilds whatever the stamp says.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from briefgen import __version__
from briefgen.config import CONFIG_FILE
from briefgen.diagnostics import Diagnostic, Location
from briefgen.read import THEME_DIR

CACHE_DIR = ".briefgen-cache"
STAMP_FILE = "build.json"
INPUT_FOLDERS = ("briefs", "citations", "templates")


KEPT_TREE = "kept-site"   # the output tree a swap replaced, kept for the next build (write.py)


@dataclass(frozen=True, slots=True)
class Stamp:
    inputs: str                 # digest of (path, size, mtime) of every input file
    options: str                # briefgen version, --strict, SOURCE_DATE_EPOCH, output folder
    output: tuple[int, ...]     # device, inode and mtime of the output folder; () before it exists


@dataclass(frozen=True, slots=True)
class Recorded:
    stamp: Stamp
    counts: tuple[int, int, int]            # briefs, sources, pages
    diagnostics: tuple[Diagnostic, ...]


def take(root: Path, out: Path, strict: bool) -> Stamp:
    """The stamp of the inputs and options as they are now."""
    digest = hashlib.sha256()
    for path, size, mtime in _input_files(root):
        digest.update(f"{path}\0{size}\0{mtime}\n".encode("utf-8", "surrogateescape"))
    options = json.dumps([__version__, strict, os.environ.get("SOURCE_DATE_EPOCH", ""), str(out.absolute())])
    return Stamp(digest.hexdigest(), options, output_identity(out))


def output_identity(out: Path) -> tuple[int, ...]:
    try:
        info = os.stat(out)
    except OSError:
        return ()
    return (info.st_dev, info.st_ino, info.st_mtime_ns)


def _input_files(root: Path):
    """(path, size, mtime) of every file the build may read, in a stable order."""
    places = [root / CONFIG_FILE] + [root / folder for folder in INPUT_FOLDERS] + [THEME_DIR]
    for place in places:
        yield from sorted(_walk(place))


def _walk(path: Path, top: bool = True):
    """Files under ``path``. Like the read stage (``Path.rglob``), a linked folder inside is
    not entered (a link to ``..`` would otherwise walk the site and its output again and
    again); a linked file counts with its target's size and time."""
    try:
        info = path.stat()
    except OSError:
        return
    if not path.is_dir():
        yield (str(path), info.st_size, info.st_mtime_ns)
        return
    if not top and path.is_symlink():
        return
    with os.scandir(path) as entries:
        for entry in entries:
            yield from _walk(Path(entry.path), top=False)


def load(root: Path) -> Recorded | None:
    """The stamp the last successful build recorded, if any (a damaged file counts as none)."""
    try:
        data = json.loads((root / CACHE_DIR / STAMP_FILE).read_text(encoding="utf-8"))
        stamp = Stamp(data["inputs"], data["options"], tuple(data["output"]))
        diagnostics = tuple(_diagnostic(d) for d in data["diagnostics"])
        return Recorded(stamp, tuple(data["counts"]), diagnostics)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def save(root: Path, recorded: Recorded) -> None:
    """Record a successful build (written through a temporary file, then renamed)."""
    folder = root / CACHE_DIR
    folder.mkdir(exist_ok=True)
    data = {"inputs": recorded.stamp.inputs, "options": recorded.stamp.options,
            "output": list(recorded.stamp.output), "counts": list(recorded.counts),
            "diagnostics": [d.as_dict() for d in recorded.diagnostics]}
    temporary = folder / f".{STAMP_FILE}.{os.getpid()}"
    temporary.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    os.replace(temporary, folder / STAMP_FILE)


def _diagnostic(data: dict) -> Diagnostic:
    return Diagnostic(data["code"], data["severity"], Location(data["file"], data["line"], data["column"]),
                      data["message"], data["hint"])
