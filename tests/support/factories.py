"""Small builders of model objects for unit tests of the stages after parsing."""

from __future__ import annotations

import datetime as dt

from briefgen.diagnostics import Location
from briefgen.model import Brief, Citation, Note, NotePart, Reference


def make_note(path: str, number: int, items: list[str], line: int = 20) -> Note:
    """A note whose items are URLs, ``@keys`` or commentary (anything without ':' or '@')."""
    parts, citations = [], []
    for column, item in enumerate(items, start=5):
        if item.startswith("@") or "://" in item:
            key = item[1:] if item.startswith("@") else None
            url = None if key else item
            citations.append(Citation(item, url, key, Location(path, line, column)))
            parts.append(NotePart("citation", citation=len(citations) - 1))
        else:
            parts.append(NotePart("text", html=item))
    return Note(str(number), number, Location(path, line, 1), tuple(parts), tuple(citations))


def make_brief(slug: str, date: str, notes: dict[int, list[str]], refs: list[int] | None = None,
               series: str = "", shortlinks: tuple[str, ...] = ()) -> Brief:
    path = f"briefs/{slug}.md"
    made = tuple(make_note(path, n, items, line=20 + n) for n, items in sorted(notes.items()))
    references, counts = [], {}
    for n in refs if refs is not None else sorted(notes):
        counts[n] = counts.get(n, 0) + 1
        references.append(Reference(str(n), counts[n], f"ref-{n}-{counts[n]}", Location(path, 6, 10),
                                    f"Sentence citing note {n}."))
    return Brief(path=path, slug=slug, title=f"Brief {slug}", date=dt.date.fromisoformat(date),
                 authors=("A. Analyst",), series=series, summary="Summary.", tags=(), shortlinks=shortlinks,
                 body_html="<p>Body</p>", references=tuple(references), notes=made,
                 location=Location(path, 1, 1))
