"""What the parse stage made, kept between builds in ``.briefgen-cache/parsed/``.

Each brief file's parse (its ``Brief`` and diagnostics) is kept under a key made of the
file's path and text and of briefgen's own code (every module of the installed package
and the Python version): a changed brief, or another briefgen, never meets an old entry.
The registries are kept as one entry (``registries``), with the key of all their paths and
texts: their sources, diagnostics, the labels of those sources in the citation style that
entry names, and the parse of each chunk of entries (sources/registry_chunks.py). When a
registry changed, the last entry still gives the parse of every chunk whose text is the
same and the label of every source that is the same: only what changed is parsed and
labelled again.

Reading (``load``) happens with the read stage, before anything is parsed; writing
(``ParseCache.keep``) happens in a forked process while the build goes on (the entries of
a 2,000-brief archive take seconds to pickle, while resolve and plan leave a core idle),
and ``wait`` joins it. Entries of files the site no longer has are removed then. An
entry that cannot be read is parsed again, never trusted: a cache is only ever a shortcut
to the bytes a build without it writes (tests/unit/test_parse_cache.py).
"""

from __future__ import annotations

import contextlib
import hashlib
import multiprocessing
import os
import pickle
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefgen.diagnostics import Diagnostic
from briefgen.model import Brief, InputFile, Source
from briefgen.read import SiteFiles

if TYPE_CHECKING:
    from briefgen.sources.registry_chunks import ChunkParse

FOLDER = "parsed"
_REGISTRIES = "registries"      # the entry's file name, and the kind of its key

BriefParse = tuple["Brief | None", tuple[Diagnostic, ...]]


@dataclass(frozen=True)
class RegistryParse:
    sources: tuple[Source, ...]
    diagnostics: tuple[Diagnostic, ...]
    style: str = ""                                  # bibstyle.style_identity of ``labels``
    labels: tuple[tuple[str, str], ...] | None = None  # (html, missing field) per source
    chunks: dict[str, ChunkParse] = field(default_factory=dict)   # chunk key -> its parse


@dataclass
class ParseCache:
    """The entries this build may reuse, and the writer of the ones it makes."""

    folder: Path
    keys: dict[str, str]                     # brief path -> its key, for every brief of the site
    registry_key: str
    briefs: dict[str, BriefParse] = field(default_factory=dict)   # key -> what parsing gave
    registry: RegistryParse | None = None       # the registries' parse, when they did not change
    last_registry: RegistryParse | None = None  # the last parse of registries that changed since
    _writer: Any = None

    def brief(self, file: InputFile) -> BriefParse | None:
        return self.briefs.get(self.keys[file.path])

    def keep(self, fresh: dict[str, BriefParse], registry: RegistryParse | None) -> None:
        """Write the entries parsed this time (brief path -> its parse; the registries'
        parse or None when it came from the cache), and remove those of files gone, in a
        forked process."""
        entries: dict[str, Any] = {self.keys[path]: result for path, result in fresh.items()}
        if registry is not None:
            entries[_REGISTRIES] = (code_identity(), self.registry_key, registry)
        wanted = set(self.keys.values()) | {_REGISTRIES}
        if not entries and _present(self.folder) <= wanted:
            return
        if not _can_fork():
            _store(self.folder, entries, wanted)
            return
        self._writer = multiprocessing.get_context("fork").Process(
            target=_store, args=(self.folder, entries, wanted), daemon=True)
        self._writer.start()

    def wait(self) -> None:
        if self._writer is not None:
            self._writer.join()
            self._writer = None


def load(folder: Path, files: SiteFiles) -> ParseCache:
    """The entries of ``folder`` (a site's ``.briefgen-cache/parsed``) for these files."""
    folder = folder / FOLDER
    keys = {f.path: _key("brief", f.path, f.text) for f in files.briefs}
    registry_key = _key(_REGISTRIES, *(part for f in files.registries for part in (f.path, f.text)))
    cache = ParseCache(folder, keys, registry_key)
    for key in keys.values():
        found = read_pickle(folder / key)
        if isinstance(found, tuple) and len(found) == 2:
            cache.briefs[key] = found
    found = read_pickle(folder / _REGISTRIES)
    if isinstance(found, tuple) and len(found) == 3 and found[0] == code_identity() \
            and isinstance(found[2], RegistryParse):
        if found[1] == registry_key:
            cache.registry = found[2]
        else:
            cache.last_registry = found[2]
    return cache


@lru_cache(maxsize=1)
def code_identity() -> bytes:
    """briefgen's own code and the Python that runs it: what a parse depends on besides
    the file."""
    digest = hashlib.sha256(sys.version.encode())
    package = Path(__file__).parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.digest()


def _key(kind: str, *parts: str) -> str:
    digest = hashlib.sha256(code_identity() + kind.encode())
    for part in parts:
        data = part.encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "little") + data)
    return digest.hexdigest()[:40]


def read_pickle(path: Path) -> Any:
    """What the pickle at ``path`` holds, or None when it is missing, damaged or foreign
    (whatever reads the build cache then works it out again)."""
    try:
        with open(path, "rb") as handle:
            return pickle.load(handle)
    except Exception:      # noqa: BLE001 - missing, damaged or foreign: never trusted
        return None


def write_pickle(path: Path, value: Any) -> None:
    """Pickle ``value`` to ``path`` through a temporary file, then renamed: a reader never
    meets half a file. Raises OSError."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    with open(temporary, "wb") as handle:
        pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(temporary, path)


def _present(folder: Path) -> set[str]:
    try:
        return {name for name in os.listdir(folder) if not name.startswith(".")}
    except OSError:
        return set()


def _store(folder: Path, entries: dict[str, Any], wanted: set[str]) -> None:
    """Write ``entries`` (each atomically), then remove the entries nobody wants."""
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        for key, value in entries.items():
            write_pickle(folder / key, value)
        for name in os.listdir(folder):
            if name not in wanted:
                with contextlib.suppress(OSError):
                    os.unlink(folder / name)


def _can_fork() -> bool:
    from briefgen.workers import can_fork
    return can_fork()
