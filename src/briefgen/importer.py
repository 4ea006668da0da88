"""Import: the text of an assessment as an analyst pastes it -> the text of a brief.

Pure: text in, text and diagnostics out; the ``import`` command reads and writes.

The rule for the lines above the body (docs/import.md):
- the first non-blank line is the **title**; it moves into the front matter;
- among the next few non-blank lines (up to the first ``[N]`` reference), the first
  line that is only a list of names (``Ann Lee, Bo Chan, and Frederick W. Kagan``,
  optionally ``By ...``) is the **byline**, and the first line that is only a date
  and time (``February 24, 3:00 pm EST``) is the **date line**; both move into the
  front matter;
- every other line is kept, verbatim, in the body.
A line that moves is taken out together with the line breaks before it, so the
body is the input with those lines cut out: nothing else changes.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

import yaml

from briefgen.diagnostics import Diagnostic, Location, error, warning
from briefgen.text import slugify

DEFAULT_SERIES = ("Russian Offensive Campaign Assessment",)
HEADER_ZONE = 4          # non-blank lines after the title that may hold byline and date line
_MONTHS = ("january february march april may june july august september october november "
           "december").split()
_MONTH_RE = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|" \
            r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_DATE_IN_TEXT = re.compile(
    rf"\b(?P<month>{_MONTH_RE})\.?\s+(?P<day>[0-9]{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<year>(?:19|20)[0-9]{{2}}))?\b"
    r"|\b(?P<iso>(?:19|20)[0-9]{2}-[0-9]{2}-[0-9]{2})\b",
    re.IGNORECASE,
)
_DATE_LINE = re.compile(
    rf"^\s*(?:{_MONTH_RE})\.?\s+[0-9]{{1,2}}(?:st|nd|rd|th)?,?(?:\s+(?:19|20)[0-9]{{2}},?)?"
    r"(?:\s*(?:at\s+)?[0-9]{1,2}(?:[:.][0-9]{2})?\s*(?:[ap]\.?\s?m\.?)?)?"
    r"\s*(?:[ECMP][SD]?T|UTC|GMT)?\s*$"
    r"|^\s*(?:19|20)[0-9]{2}-[0-9]{2}-[0-9]{2}\s*$",
    re.IGNORECASE,
)
_NAME = r"[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|van|von|de|der|al|bin))*"
_BYLINE = re.compile(
    rf"^\s*(?:[Bb]y\s+)?(?P<names>{_NAME}(?:\s*(?:,\s*and|,|\band)\s+{_NAME})*)\s*$"
)
_NOT_NAMES = frozenset("key takeaways edition special assessment update notes endnotes "
                       "references sources click map summary introduction".split())
_NOTE_REF = re.compile(r"\[[0-9]{1,9}\]")
_FILE_DATE = re.compile(r"((?:19|20)[0-9]{2})-([0-9]{2})-([0-9]{2})")
_TRAILING_DATE = re.compile(rf"[\s,:–—-]*\b{_MONTH_RE}\.?\s+[0-9]{{1,2}}(?:,?\s+(?:19|20)[0-9]{{2}})?\s*$",
                            re.IGNORECASE)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_PLAIN_YAML = re.compile(r"^[A-Za-z0-9(][^:#\[\]{},\"'`|>&*!%@\n]*$")


@dataclass(frozen=True)
class Imported:
    """A brief made from a pasted assessment."""

    file_name: str            # e.g. "2022-11-23-russian-offensive-campaign-assessment.md"
    title: str
    date: dt.date
    authors: tuple[str, ...]
    series: str
    body: str                 # the input's body and notes, verbatim
    text: str                 # front matter + body: the brief file


@dataclass(frozen=True)
class _Header:
    title: int | None         # line indexes
    byline: int | None
    date_line: int | None


def import_text(text: str, path: str, date: dt.date | None = None,
                series_names: tuple[str, ...] = DEFAULT_SERIES) -> tuple[Imported | None, list[Diagnostic]]:
    """Turn the text of ``path`` (a pasted assessment) into a brief; None on an error."""
    text = _normalise(text)
    lines = text.split("\n")
    header = _find_header(lines)
    if header.title is None:
        return None, [error("import.empty", Location(path), f"{path} holds no text",
                            "import the file that holds the assessment")]
    title = lines[header.title].strip()
    found, source = _choose_date(date, title, lines, header, path)
    if found is None:
        return None, [_no_date(path)]
    diagnostics = _header_warnings(header, lines, path)
    authors = _authors(lines[header.byline]) if header.byline is not None else ()
    series = _series(title, lines, header, series_names)
    body = cut_lines(text, [i for i in (header.title, header.byline, header.date_line) if i is not None])
    stem = slugify(_TRAILING_DATE.sub("", title) or title, max_length=70)
    name = f"{found.isoformat()}-{stem}.md"
    front = front_matter(title, found, authors, series)
    return Imported(name, title, found, authors, series, body, front + body), diagnostics


def _normalise(text: str) -> str:
    """Line breaks as ``\\n`` (what the brief reader does too); a byte-order mark dropped."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def body_and_notes(text: str) -> str:
    """The body and notes of a pasted assessment: what an imported brief holds verbatim."""
    text = _normalise(text)
    header = _find_header(text.split("\n"))
    return cut_lines(text, [i for i in (header.title, header.byline, header.date_line) if i is not None])


# ------------------------------------------------------------------- header
def _find_header(lines: list[str]) -> _Header:
    filled = [i for i, line in enumerate(lines) if line.strip()]
    if not filled:
        return _Header(None, None, None)
    title, byline, date_line = filled[0], None, None
    for index in filled[1:1 + HEADER_ZONE]:
        line = lines[index]
        if _NOTE_REF.search(line):
            break
        if date_line is None and _DATE_LINE.match(line):
            date_line = index
        elif byline is None and is_byline(line):
            byline = index
    return _Header(title, byline, date_line)


def is_byline(line: str) -> bool:
    """A line that is only a list of personal names."""
    match = _BYLINE.match(line)
    if match is None or len(line) > 400:
        return False
    words = re.findall(r"[\w'’]+", match.group("names").lower())
    return not any(word in _NOT_NAMES for word in words) and len(words) >= 2


def _authors(line: str) -> tuple[str, ...]:
    names = re.sub(r"^\s*[Bb]y\s+", "", line.strip())
    parts = re.split(r"\s*,\s*and\s+|\s*,\s*|\s+and\s+", names)
    return tuple(" ".join(p.split()) for p in parts if p.strip())


def _series(title: str, lines: list[str], header: _Header, names: tuple[str, ...]) -> str:
    zone = [title] + [lines[i] for i in range((header.title or 0) + 1, min(len(lines), (header.title or 0) + 12))]
    for name in names:
        if any(name.casefold() in line.casefold() for line in zone):
            return name
    return ""


def _header_warnings(header: _Header, lines: list[str], path: str) -> list[Diagnostic]:
    if header.byline is not None:
        return []
    return [warning("import.no-byline", Location(path, (header.title or 0) + 1, 1),
                    "no byline (a line listing the authors) under the title; the brief has no authors",
                    "add `authors: [...]` to the front matter of the imported brief")]


# --------------------------------------------------------------------- date
def _choose_date(date: dt.date | None, title: str, lines: list[str], header: _Header,
                 path: str) -> tuple[dt.date | None, str]:
    """The date from --date, else the title, the date line, the file name, in that order."""
    if date is not None:
        return date, "option"
    candidates = [("title", full_date(title))]
    if header.date_line is not None:
        candidates.append(("date line", full_date(lines[header.date_line])))
    candidates.append(("file name", file_name_date(path)))
    return next(((found, where) for where, found in candidates if found), (None, ""))


def full_date(text: str) -> dt.date | None:
    """The first full date (day, month and year) written in ``text``."""
    for match in _DATE_IN_TEXT.finditer(text):
        if match.group("iso"):
            found = _date(*map(int, match.group("iso").split("-")))
        elif match.group("year"):
            month = _month_number(match.group("month"))
            found = _date(int(match.group("year")), month, int(match.group("day")))
        else:
            continue
        if found:
            return found
    return None


def file_name_date(path: str) -> dt.date | None:
    name = re.split(r"[\\/]", path)[-1]
    match = _FILE_DATE.search(name)
    return _date(*map(int, match.groups())) if match else None


def _month_number(name: str) -> int:
    prefix = name.lower()[:3]
    return next(i for i, month in enumerate(_MONTHS, start=1) if month.startswith(prefix))


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _no_date(path: str) -> Diagnostic:
    return error("import.no-date", Location(path),
                 f"{path}: no full date (day, month and year) in the title, the date line or the file name",
                 "give the date with --date YYYY-MM-DD, or name the file like isw-2022-11-23.txt")


# --------------------------------------------------------------- the output
def cut_lines(text: str, cut: list[int]) -> str:
    """``text`` without the given lines, each taken out with the line breaks before it."""
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    spans = []
    for index in sorted(set(cut)):
        previous = next((i for i in range(index - 1, -1, -1) if lines[i].strip()), None)
        start = starts[previous] + len(lines[previous]) if previous is not None else 0
        spans.append((start, starts[index] + len(lines[index])))
    kept, done = [], 0
    for start, end in spans:
        kept.append(text[done:max(start, done)])
        done = max(done, end)
    kept.append(text[done:])
    return _drop_leading_blank_lines("".join(kept))


def _drop_leading_blank_lines(text: str) -> str:
    while True:
        newline = text.find("\n")
        if newline < 0 or text[:newline].strip():
            return text
        text = text[newline + 1:]


def front_matter(title: str, date: dt.date, authors: tuple[str, ...], series: str) -> str:
    lines = ["---", f"title: {yaml_scalar(title)}", f"date: {date.isoformat()}"]
    if authors:
        lines.append("authors: [" + ", ".join(yaml_scalar(a) for a in authors) + "]")
    if series:
        lines.append(f"series: {yaml_scalar(series)}")
    return "\n".join(lines + ["---", ""])


def yaml_scalar(text: str) -> str:
    """A YAML scalar for ``text``: plain when that reads back the same, else double-quoted."""
    if _PLAIN_YAML.match(text) and text == text.strip() and not re.search(r"\s#|:\s|:$", text):
        try:
            if yaml.load(text, Loader=_LOADER) == text:
                return text
        except yaml.YAMLError:
            pass
    return json.dumps(text, ensure_ascii=False)
