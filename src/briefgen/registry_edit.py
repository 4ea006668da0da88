"""Completing the registry: inferred sources appended to a YAML registry file as text.

The existing text is never re-dumped: its comments, order and spelling stay exactly
as they are; new entries are added at the end, each marked for completion.
"""

from __future__ import annotations

import re
from typing import Iterable

from briefgen.importer import yaml_scalar
from briefgen.model import Source

HEADER = "# Added by `briefgen sources --add`: check each title, publisher and date, then remove the TODO comments."
_TOP_KEY = re.compile(r"^(['\"]?)([^\s:#'\"][^:#'\"]*?)\1\s*:(?:\s|$)", re.MULTILINE)
_URL_LINE = re.compile(r"^\s+(?:url|-)\s*:?\s*['\"]?(\S+?)['\"]?\s*$", re.MULTILINE)


def existing_ids(text: str) -> set[str]:
    """The source ids (top-level keys) a YAML registry text already defines."""
    return {match.group(2).strip() for match in _TOP_KEY.finditer(text)}


def entry_text(source: Source) -> str:
    """One registry entry for ``source``, with TODO comments where a person should look."""
    lines = [
        f"{source.id}:",
        f"  url: {yaml_scalar(source.url)}",
        f"  title: {yaml_scalar(source.title)}  # TODO: guessed from the URL",
        f"  publisher: {yaml_scalar(source.publisher)}" if source.publisher
        else "  publisher:  # TODO: who published it",
        f"  date: {source.date.isoformat()}" if source.date else "  date:  # TODO: YYYY-MM-DD",
        f"  kind: {source.kind}",
    ]
    return "\n".join(lines) + "\n"


def entries_text(sources: Iterable[Source]) -> str:
    return "\n".join(entry_text(s) for s in sources)


def append_entries(existing: str, sources: Iterable[Source]) -> tuple[str, int]:
    """``existing`` with an entry appended for every source it does not define yet."""
    known = existing_ids(existing)
    urls = {m.group(1) for m in _URL_LINE.finditer(existing)}
    new = [s for s in sources if s.id not in known and s.url not in urls]
    if not new:
        return existing, 0
    head = existing
    if head and not head.endswith("\n"):
        head += "\n"
    if head.strip():
        head += "\n"
    return head + HEADER + "\n" + entries_text(new), len(new)
