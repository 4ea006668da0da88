"""Shards of the search index: the brief pages, in path order, cut into runs of a few hundred,
each indexed by Pagefind on its own. A rebuild indexes again only the shards whose pages
changed (search.py); the search page merges every shard (Pagefind's ``mergeIndex``).

Where a shard ends depends on the paths alone, not on positions: a shard ends before a page
whose path digest falls on a boundary (one path in ``SPREAD``), once it holds ``MIN_PAGES``,
and at ``MAX_PAGES`` in any case. A brief added, removed or edited changes its own shard; the
others keep their pages and their index. A site of up to ``MIN_PAGES`` briefs has one shard.

The first shard is the bundle at ``pagefind/`` (with Pagefind's scripts, styles and
WebAssembly); shard N is at ``pagefind/shard-N/`` with its index files only (a merged index
uses the first one's code), and ``pagefind/shards.json`` lists their folders for the
search page.
"""

from __future__ import annotations

import hashlib
import json
from typing import Iterable, Iterator, TypeVar

MIN_PAGES = 256
SPREAD = 256
MAX_PAGES = 1024
LIST = "shards.json"

Page = TypeVar("Page", bound=tuple)


def split(pages: Iterable[Page]) -> Iterator[list[Page]]:
    """The (path, ...) pages, in the order they come, cut into shards."""
    shard: list[Page] = []
    for page in pages:
        if shard and _ends_before(page[0], len(shard)):
            yield shard
            shard = []
        shard.append(page)
    if shard:
        yield shard


def _ends_before(path: str, size: int) -> bool:
    """Whether a shard of ``size`` pages ends before the page at ``path``."""
    if size >= MAX_PAGES:
        return True
    digest = hashlib.blake2b(path.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return size >= MIN_PAGES and int.from_bytes(digest, "big") % SPREAD == 0


def folder(number: int) -> str:
    """The folder of shard ``number`` inside the bundle."""
    return "" if number == 0 else f"shard-{number}/"


def compose(shards: list[dict[str, bytes]]) -> dict[str, bytes]:
    """The bundle's files (paths inside ``pagefind/``) from each shard's own files."""
    files = dict(shards[0]) if shards else {}
    for number, shard in enumerate(shards[1:], 1):
        files.update((folder(number) + name, data) for name, data in shard.items() if _is_index(name))
    listed = [folder(number) for number in range(1, len(shards))]
    files[LIST] = json.dumps({"shards": listed}, separators=(",", ":")).encode("ascii")
    return files


def _is_index(name: str) -> bool:
    """What a merged index needs of a shard's files: its entry, metadata, index, fragments
    and filters (not Pagefind's code, styles and WebAssembly: the first shard's serve)."""
    return not name.endswith((".js", ".css")) and not name.startswith("wasm.")
