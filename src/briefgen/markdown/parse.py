"""``parse_brief``: one Markdown brief -> a ``Brief`` and its diagnostics."""

from __future__ import annotations

import posixpath
import re
import sys

from markdown_it import MarkdownIt
from markdown_it.token import Token

from briefgen.diagnostics import Diagnostic, Location, error, warning
from briefgen.markdown.frontmatter import FrontMatter, read_front_matter
from briefgen.markdown.notes import duplicate_urls, notes_env, split_note
from briefgen.markdown.sentences import collapse, cut_words, plain_text, reference_sentences
from briefgen.markdown.setup import markdown_parser
from briefgen.model import Brief, Note, Reference
from briefgen.text import slugify

MAX_SUMMARY = 300
# URL schemes briefgen never links (markdown ``validateLink`` leaves them as text): reported
# in the Markdown source so that the analyst learns why a link is not one.
_UNSUPPORTED_SCHEME = re.compile(
    r"(?<![\w.+-])(?:(?:java|vb)script[\t ]*:|data:[\w.+-]+/|file:/|ftps?://|about:|blob:)", re.IGNORECASE
)
# Text that every match of _UNSUPPORTED_SCHEME holds, lowercased: a brief without any of them
# (nearly every brief) is not searched line by line (2,000 briefs: 2.9 s -> 0.5 s). So is a
# brief with a letter the pattern takes for s or i that lowercases to neither (ſ, İ, ı).
_SCHEME_HINTS = ("script", "data:", "file:/", "ftp", "about:", "blob:")
_ODD_LETTERS = ("\u017f", "\u0130", "\u0131")


def parse_brief(text: str, path: str) -> tuple[Brief | None, list[Diagnostic]]:
    """Parse a brief; None only when its front matter is missing or unusable."""
    md = markdown_parser()
    env: dict = {}
    tokens = md.parse(text.removeprefix("\ufeff"), env)
    front = next((t for t in tokens if t.type == "front_matter"), None)
    if front is None:
        return None, [_missing_front_matter(text, path)]
    fields, diagnostics = read_front_matter(front.content, path, front.map[0] + 2)
    if fields is None:
        return None, diagnostics
    notes, note_diagnostics = _notes(tokens, env, path, md)
    references, reference_diagnostics = _references(tokens, path)
    diagnostics += note_diagnostics + reference_diagnostics
    diagnostics += _unreferenced(notes, references, _written_names(env))
    diagnostics += _unsupported_links(text, front.map[1], path)
    body_html = md.renderer.render(tokens, md.options, env).lstrip("\n")
    return _brief(fields, path, tokens, body_html, notes, references), diagnostics


def _unsupported_links(text: str, body_start: int, path: str) -> list[Diagnostic]:
    """A warning for every ``javascript:``, ``data:``, ``file:`` or ``ftp:`` URL in the body."""
    if not may_hold_unsupported_scheme(text):
        return []
    found = []
    for number, line in enumerate(text.split("\n")[body_start:], start=body_start + 1):
        for match in _UNSUPPORTED_SCHEME.finditer(line):
            scheme = match.group(0).split(":")[0].strip().lower()
            found.append(warning(
                "link.scheme", Location(path, number, match.start() + 1),
                f"`{scheme}:` URLs are not supported; this one is shown as text, never as a link",
                "link to an http(s) address instead",
            ))
    return found


def may_hold_unsupported_scheme(text: str) -> bool:
    """False only for a text in which _UNSUPPORTED_SCHEME finds nothing."""
    lowered = text.lower()
    return any(hint in lowered for hint in _SCHEME_HINTS) or any(letter in text for letter in _ODD_LETTERS)


def _missing_front_matter(text: str, path: str) -> Diagnostic:
    if text.removeprefix("\ufeff").startswith("---"):
        message = "the front matter that starts on line 1 is never closed"
        hint = "end the front matter with a line `---`"
    else:
        message = "the brief has no front matter"
        hint = "start the file with `---`, then `title: ...` and `date: YYYY-MM-DD`, then `---`"
    return error("frontmatter.missing", Location(path, 1, 1), message, hint)


def _brief(
    fields: FrontMatter, path: str, tokens: list[Token], body_html: str,
    notes: list[Note], references: list[Reference],
) -> Brief:
    stem = posixpath.splitext(posixpath.basename(path.replace("\\", "/")))[0]
    return Brief(
        path=path,
        slug=fields.slug or slugify(stem),
        title=fields.title,
        date=fields.date,
        authors=fields.authors,
        series=fields.series,
        summary=fields.summary or first_paragraph_summary(tokens),
        tags=fields.tags,
        shortlinks=fields.shortlinks,
        body_html=body_html,
        references=tuple(references),
        notes=tuple(notes),
        location=Location(path, 1, 1),
    )


def first_paragraph_summary(tokens: list[Token]) -> str:
    """Plain text of the first body paragraph, references removed, cut to 300 chars."""
    for index, token in enumerate(tokens[:-1]):
        if token.type == "paragraph_open" and token.level == 0:
            text = collapse(plain_text(tokens[index + 1].children or [])[0])
            if text:
                return cut_words(text, MAX_SUMMARY)
    return ""


# ----------------------------------------------------------------------- notes
def _notes(tokens: list[Token], env: dict, path: str, md: MarkdownIt):
    notes: dict[int, Note] = {}
    diagnostics: list[Diagnostic] = []
    order: list[Note] = []
    for token in tokens:
        if token.type == "note":
            note = _note(token.meta, path, md)
            if note.number in notes:
                diagnostics.append(_duplicate(note, notes[note.number]))
            else:
                diagnostics += _note_checks(note)
                notes[note.number] = note
                order.append(note)
    diagnostics += _numbering(order)
    kept = sorted(notes.values(), key=lambda n: n.number)
    footnotes = _footnotes(notes_env(env).get("footnotes", []), path, md, diagnostics)
    return kept + footnotes, diagnostics


def _note(meta: dict, path: str, md: MarkdownIt) -> Note:
    number = meta["number"]
    location = Location(path, meta["line"], meta["column"])
    parts, citations = split_note(
        meta["raw"], meta["line"], path, meta["raw_column"], md.renderInline
    )
    return Note(sys.intern(str(number)), number, location, parts, citations)


def _note_checks(note: Note) -> list[Diagnostic]:
    found = duplicate_urls(note.number, note.citations)
    if not note.parts:
        found.append(warning(
            "note.empty", note.location, f"note [{note.number}] is empty",
            "add the sources of the note (URLs or @keys), or remove it",
        ))
    return found


def _duplicate(note: Note, first: Note) -> Diagnostic:
    return warning(
        "note.duplicate", note.location,
        f"note [{note.number}] is given twice; the first one (line {first.location.line}) is kept",
        "renumber or merge the two notes",
    )


def _numbering(order: list[Note]) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    highest = 0
    for note in order:
        if note.number > highest + 1:
            missing = f"[{highest + 1}]" if note.number == highest + 2 else (
                f"[{highest + 1}]–[{note.number - 1}]")
            found.append(warning(
                "note.numbering", note.location,
                f"note [{note.number}] follows [{highest}]: note {missing} is missing",
                "number the notes 1, 2, 3, ... without gaps",
            ))
        elif note.number < highest:
            found.append(warning(
                "note.numbering", note.location,
                f"note [{note.number}] comes after note [{highest}]",
                "put the notes in ascending order",
            ))
        highest = max(highest, note.number)
    return found


def _footnotes(definitions: list[dict], path: str, md: MarkdownIt, diagnostics) -> list[Note]:
    notes: list[Note] = []
    for definition in definitions:
        head = definition["source"][0]
        location = Location(path, definition["map"][0] + 1, head.find("[^") + 1)
        if "duplicate_of" in definition:
            earlier = definition["duplicate_of"]["map"][0] + 1
            diagnostics.append(warning(
                "note.duplicate", location,
                f"footnote [^{definition['label']}] is defined twice; "
                f"the first one (line {earlier}) is kept",
                "rename or merge the two footnotes",
            ))
        else:
            notes.append(_footnote(definition, location, path, md, diagnostics))
    return notes


def _footnote(definition: dict, location: Location, path: str, md: MarkdownIt, diagnostics) -> Note:
    """A ``[^label]: text`` definition as a note: its text is split like a note's."""
    head, *rest = definition["source"]
    colon = head.find("]:", location.column - 1) + 2
    body = [head[colon:], *rest]
    while len(body) > 1 and not body[-1].strip():
        body.pop()
    parts, citations = split_note(
        "\n".join(body), location.line, path, colon + 1, md.renderInline
    )
    note = Note(definition["id"], definition["number"], location, parts, citations)
    diagnostics += _note_checks(note)
    return note


# ------------------------------------------------------------------ references
def _references(tokens: list[Token], path: str) -> tuple[list[Reference], list[Diagnostic]]:
    references: list[Reference] = []
    diagnostics: list[Diagnostic] = []
    for token in tokens:
        if token.type != "inline" or not token.children:
            continue
        for child, sentence in reference_sentences(token):
            if "index" in child.meta:
                references.append(_reference(child, sentence, path))
        diagnostics += _unknown_notes(token.children, path)
    return references, diagnostics


def _reference(child: Token, sentence: str, path: str) -> Reference:
    meta = child.meta
    location = Location(path, meta["line"], meta["column"])
    anchor = f"ref-{meta['note']}-{meta['index']}"
    return Reference(sys.intern(meta["note"]), meta["index"], anchor, location, sentence)


def _unknown_notes(children: list[Token], path: str) -> list[Diagnostic]:
    return [
        warning(
            "citation.unknown-note", Location(path, child.meta["line"], child.meta["column"]),
            f"{child.content} refers to no note: the notes section has no note {child.content}",
            f"add note {child.content} to the notes section, "
            f"or write \\[{child.meta['number']}\\] for literal brackets",
        )
        for child in children
        if child.type == "noteref_literal"
    ]


def _written_names(env: dict) -> dict[str, str]:
    """How a note is cited in the text: ``[3]``, or ``[^label]`` for a footnote."""
    return {d["id"]: f"[^{d['label']}]" for d in notes_env(env).get("footnotes", []) if "id" in d}


def _unreferenced(
    notes: list[Note], references: list[Reference], names: dict[str, str]
) -> list[Diagnostic]:
    cited = {reference.note for reference in references}
    found = []
    for note in notes:
        if note.id in cited:
            continue
        name = names.get(note.id, f"[{note.number}]")
        found.append(warning(
            "note.unreferenced", note.location, f"note {name} is never referenced in the text",
            f"add {name} where the note applies, or remove the note",
        ))
    return found
