"""The search stage: rendered outputs -> the same outputs plus a Pagefind index under pagefind/.

Only brief pages are indexed (``briefs/<slug>/index.html``); their ``data-pagefind-*``
attributes (body, filters for series, author, tag and publisher) come from the theme.
Pagefind's Python API is asynchronous and writes its bundle to a folder; this stage
runs it to completion in a private scratch folder and returns the bundle as bytes, so
the build stays a chain of plain functions and write.py remains the only writer of site/.
Pagefind's filter files are not byte-stable by themselves: search_bundle.py sorts them.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import tempfile
import time
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from briefgen.diagnostics import BriefgenError, Location, error
from briefgen.search_bundle import stable_bundle

BUNDLE = "pagefind/"
_CONFIG = {"keep_index_url": False, "write_playground": False}
# Interfaces the theme does not load (it uses the default pagefind-ui.js).
_UNUSED = ("pagefind-component-ui.", "pagefind-modular-ui.", "pagefind-highlight.")
# Pagefind answers "written" while its last writes may still be in flight, and ending
# its service cuts them off: the bundle is read back, before the service ends, once it is
# complete and has stopped changing.
_SETTLE_POLL = 0.02
_SETTLE_TIMEOUT = 120.0


def index_search(outputs: dict[str, bytes]) -> dict[str, bytes]:
    """``outputs`` plus the Pagefind files (``pagefind/...``) indexing every brief page."""
    pages = {path: outputs[path] for path in sorted(outputs) if is_searchable(path)}
    try:
        bundle = run_to_completion(pages)
    except Exception as exc:  # noqa: BLE001 - the indexer is an external program
        raise BriefgenError([error(
            "search.index", Location("briefgen.yaml"), f"the search index could not be built: {exc}",
            "reinstall briefgen with its search indexer: pip install 'pagefind[bin]'")]) from None
    bundle = stable_bundle({name: data for name, data in bundle.items() if not name.startswith(_UNUSED)})
    return {**outputs, **{BUNDLE + name: data for name, data in sorted(bundle.items())}}


def is_searchable(path: str) -> bool:
    """Brief pages, and nothing else, are search results."""
    parts = path.split("/")
    return len(parts) == 3 and parts[0] == "briefs" and parts[2] == "index.html"


def run_to_completion(pages: dict[str, bytes]) -> dict[str, bytes]:
    """Pagefind's bundle for ``pages``, from a thread of its own: the caller may already be
    running an event loop (a browser driver, a server), where asyncio.run() is not allowed."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="briefgen-search") as pool:
        return pool.submit(asyncio.run, _index(pages)).result()


async def _index(pages: dict[str, bytes]) -> dict[str, bytes]:
    from pagefind.service import PagefindService

    with tempfile.TemporaryDirectory(prefix="briefgen-search-") as scratch:
        async with PagefindService() as service:
            index = await service.create_index(_CONFIG)
            for path, html in pages.items():
                await index.add_html_file(content=html.decode("utf-8"), source_path=path)
            await index.write_files(output_path=scratch)
            return await settled_bundle(Path(scratch))


async def settled_bundle(root: Path) -> dict[str, bytes]:
    """The bundle under ``root`` once it is complete and two reads in a row agree."""
    deadline = time.monotonic() + _SETTLE_TIMEOUT
    previous = None
    while True:
        files = {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
        if files == previous and is_complete(files):
            return files
        if time.monotonic() > deadline:
            raise RuntimeError("the search indexer did not finish writing its files")
        previous = files
        await asyncio.sleep(_SETTLE_POLL)


def is_complete(files: dict[str, bytes]) -> bool:
    """Every file has content, every compressed file decompresses whole, the entry file parses."""
    try:
        entry = json.loads(files["pagefind-entry.json"])
        hashes = [info["hash"] for info in entry["languages"].values()]
        metas = [f"pagefind.{h}.pf_meta" for h in hashes]
        for data in files.values():
            if not data:
                return False
            if data[:2] == b"\x1f\x8b":
                gzip.decompress(data)
        return all(meta in files for meta in metas)
    except (KeyError, ValueError, TypeError, OSError, EOFError, zlib.error):
        return False
