"""A YAML registry parsed in chunks of entries, each kept between builds (parse_cache.py).

A registry of an archive holds tens of thousands of entries in one file (10.7 MB for
2,000 briefs: about 9 s to parse and label). An edit changes one entry; the parse of
every other entry is the last build's. The file is cut before the lines that start an
entry (an id at the start of a line, then ``:``): a chunk ends before an entry whose id's
digest falls on a boundary (one id in ``SPREAD``), once it holds ``MIN_ENTRIES``, and at
``MAX_ENTRIES`` in any case, so an entry added or removed changes its own chunk and no
other. Each chunk is composed on its own; a chunk whose text the last build parsed is
not parsed again (moved to its new line when lines were added or removed above it).

Only a plain file takes this way: every line that does not start with a space is blank,
a comment or an entry's id, no anchor or alias may appear (they may reach across entries,
an anchor given twice is an error, and an alias bomb is judged on the whole file), and
editors and YAML count its lines alike. Any other file, or a chunk YAML finds
wrong, is parsed whole (registry.parse_registry): diagnostics are then exactly those of
a whole parse, and so are the sources and diagnostics of a chunked one
(tests/unit/sources/test_registry_chunks.py).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from typing import Mapping

from briefgen.diagnostics import Diagnostic, Location
from briefgen.model import Source
from briefgen.safe_yaml import editor_lines, may_anchor
from briefgen.sources.registry import (Entry, collect, compose_registry, parse_registry,
                                       registry_entries)

MIN_ENTRIES = 64
SPREAD = 64
MAX_ENTRIES = 256
_ENTRY_LINE = re.compile(r"([A-Za-z0-9][A-Za-z0-9._-]*):(?:[ \t]|\r?\Z)")


@dataclass(frozen=True)
class Chunk:
    line: int        # where its text starts in the file (1-based)
    text: str


@dataclass(frozen=True)
class ChunkParse:
    """What a chunk's entries gave, with locations in the file it was cut from."""

    line: int
    entries: tuple[Entry, ...]

    def at(self, line: int) -> "ChunkParse | None":
        """The same parse for the chunk starting at ``line``: its locations moved, or None
        when a diagnostic's message may name a line (it is parsed again)."""
        if line == self.line:
            return self
        if any(e.bad_id or e.problems for e in self.entries):
            return None
        lines = line - self.line
        return ChunkParse(line, tuple(_moved(e, lines) for e in self.entries))


Kept = Mapping[str, ChunkParse]     # chunk key -> its parse


def parse_registry_chunks(text: str, path: str, kept: Kept | None = None,
                          ) -> tuple[list[Source], list[Diagnostic], dict[str, ChunkParse]]:
    """``parse_registry(text, path)``, chunk by chunk, taking from ``kept`` (the last
    build's chunks) the parse of each chunk it holds; with the chunks of this parse (none
    for a file parsed whole)."""
    chunks = split(text)
    if chunks is None:
        return (*parse_registry(text, path), {})
    parsed: dict[str, ChunkParse] = {}
    in_order = []
    for chunk in chunks:
        key = chunk_key(path, chunk.text)
        found = kept.get(key) if kept else None
        found = (found.at(chunk.line) if found else None) or _parse_chunk(chunk, path)
        if found is None:
            return (*parse_registry(text, path), {})
        parsed[key] = found
        in_order.append(found)
    sources, diagnostics = collect([entry for found in in_order for entry in found.entries])
    return sources, diagnostics, parsed


def split(text: str) -> list[Chunk] | None:
    """The file's chunks, or None when it is not plain (see above)."""
    if editor_lines(text) is not None or may_anchor(text):
        return None
    lines = text.split("\n")
    chunks, start, entries = [], 0, 0
    for number, line in enumerate(lines):
        if not line or line[0] in " #" or line == "\r":
            continue
        match = _ENTRY_LINE.match(line)
        if match is None:
            return None
        if entries and _ends_before(match.group(1), entries):
            chunks.append(Chunk(start + 1, "\n".join(lines[start:number]) + "\n"))
            start, entries = number, 0
        entries += 1
    chunks.append(Chunk(start + 1, "\n".join(lines[start:])))
    return chunks


def _ends_before(source_id: str, size: int) -> bool:
    if size >= MAX_ENTRIES:
        return True
    digest = hashlib.blake2b(source_id.encode("utf-8"), digest_size=8).digest()
    return size >= MIN_ENTRIES and int.from_bytes(digest, "big") % SPREAD == 0


def chunk_key(path: str, text: str) -> str:
    digest = hashlib.blake2b(path.encode("utf-8", "surrogatepass") + b"\0", digest_size=20)
    digest.update(text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _parse_chunk(chunk: Chunk, path: str) -> ChunkParse | None:
    """The chunk's entries, or None when YAML finds the chunk wrong on its own (the file is
    then parsed whole, for the diagnostics of a whole parse)."""
    root, problems = compose_registry(chunk.text, path)
    if root is None:
        return None
    parsed = ChunkParse(1, tuple(registry_entries(root, path)))
    moved = parsed.at(chunk.line)
    if moved is None:      # a diagnostic may name a line: parsed where it stands in the file
        root, _ = compose_registry("\n" * (chunk.line - 1) + chunk.text, path)
        moved = ChunkParse(chunk.line, tuple(registry_entries(root, path)))
    return moved


def _moved(entry: Entry, lines: int) -> Entry:
    where = _down(entry.where, lines)
    source = replace(entry.source, location=where) if entry.source is not None else None
    return replace(entry, where=where, source=source)


def _down(location: Location, lines: int) -> Location:
    return Location(location.path, location.line + lines, location.column)
