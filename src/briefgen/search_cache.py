"""The last search bundle, kept in ``.briefgen-cache/search.pickle`` with the digests of
the pages it indexes: a build whose brief pages (as rendered for the indexer) are all the
same reuses it instead of running Pagefind again (search.py, ``indexed``). It is keyed by
briefgen's own code and Pagefind's version; an entry that cannot be read is ignored.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
from pathlib import Path

from briefgen.parse_cache import code_identity, read_pickle, write_pickle
from briefgen.search import Indexed

FILE = "search.pickle"


def load(folder: Path) -> Indexed | None:
    found = read_pickle(folder / FILE)    # missing, damaged or foreign: Pagefind runs
    if isinstance(found, tuple) and len(found) == 2 and found[0] == _identity() and isinstance(found[1], Indexed):
        return found[1]
    return None


def save(folder: Path, indexed: Indexed) -> None:
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        write_pickle(folder / FILE, (_identity(), indexed))


def _identity() -> tuple[bytes, str]:
    try:
        version = importlib.metadata.version("pagefind")
    except importlib.metadata.PackageNotFoundError:
        version = ""
    return code_identity(), version
