"""The last search bundle, kept in ``.briefgen-cache/search.pickle`` with the digests of
the pages it indexes: a build whose brief pages (as rendered for the indexer) are all the
same reuses it instead of running Pagefind again (search.py, ``indexed``). It is keyed by
briefgen's own code and Pagefind's version; an entry that cannot be read is ignored.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import os
import pickle
from pathlib import Path

from briefgen.parse_cache import code_identity
from briefgen.search import Indexed

FILE = "search.pickle"


def load(folder: Path) -> Indexed | None:
    try:
        with open(folder / FILE, "rb") as handle:
            identity, found = pickle.load(handle)
    except Exception:      # noqa: BLE001 - missing, damaged or foreign: Pagefind runs
        return None
    return found if identity == _identity() and isinstance(found, Indexed) else None


def save(folder: Path, indexed: Indexed) -> None:
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        temporary = folder / f".{FILE}.{os.getpid()}"
        with open(temporary, "wb") as handle:
            pickle.dump((_identity(), indexed), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, folder / FILE)


def _identity() -> tuple[bytes, str]:
    try:
        version = importlib.metadata.version("pagefind")
    except importlib.metadata.PackageNotFoundError:
        version = ""
    return code_identity(), version
