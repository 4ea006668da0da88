"""The YAML front matter of a brief, checked field by field.

Only safe YAML is read (``CSafeLoader`` when libyaml is there): ``!!python/object``
is a diagnostic, never executed.  The document is composed first so that every
diagnostic can point at the line and column of the offending key.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass

import yaml

from briefgen.diagnostics import Diagnostic, Location, error, warning
from briefgen.safe_yaml import alias_bomb, loader_for


ALLOWED_KEYS = ("title", "date", "authors", "series", "summary", "tags", "shortlink", "slug")
SAFE_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_HTTP = re.compile(r"(?:https?://)?[A-Za-z0-9.-]+\.[A-Za-z]{2,}(?:[/?#]\S*)?$|https?://\S+$", re.IGNORECASE)


@dataclass(frozen=True)
class FrontMatter:
    title: str
    date: dt.date
    authors: tuple[str, ...] = ()
    series: str = ""
    summary: str = ""
    tags: tuple[str, ...] = ()
    shortlinks: tuple[str, ...] = ()
    slug: str = ""


class _Reader:
    """Diagnostics and key positions while one front matter is checked."""

    def __init__(self, path: str, first_line: int, marks: dict[str, tuple[int, int]]):
        self.path, self.first_line, self.marks = path, first_line, marks
        self.diagnostics: list[Diagnostic] = []

    def at(self, key: str | None = None) -> Location:
        """The key's position, or the opening ``---`` when the key is absent."""
        line, column = self.marks.get(key, (-1, 0)) if key else (-1, 0)
        return Location(self.path, self.first_line + line, column + 1)

    def error(self, code: str, key: str | None, message: str, hint: str = "") -> None:
        self.diagnostics.append(error(code, self.at(key), message, hint))


def read_front_matter(
    text: str, path: str, first_line: int = 2
) -> tuple[FrontMatter | None, list[Diagnostic]]:
    """Check the YAML ``text`` whose first line is line ``first_line`` of ``path``.

    Returns None (with errors) when the title or the date is unusable; a field of
    the wrong type is reported and left at its default.
    """
    data, marks, problem = _load(text, path, first_line)
    if problem is not None:
        return None, [problem]
    reader = _Reader(path, first_line, marks)
    data = {} if data is None else data
    if not isinstance(data, dict):
        reader.error("frontmatter.type", None, "front matter must be a mapping of keys to values",
                     "write one `key: value` per line")
        return None, reader.diagnostics
    _check_keys(data, reader)
    return _fields(data, reader), reader.diagnostics


def _fields(data: dict, reader: _Reader) -> FrontMatter | None:
    """Every field checked (all problems reported at once); None without title or date."""
    title, date = _title(data, reader), _date(data, reader)
    others = {
        "authors": _strings(data, "authors", reader),
        "series": _string(data, "series", reader),
        "summary": _string(data, "summary", reader),
        "tags": _strings(data, "tags", reader),
        "shortlinks": _shortlinks(data, reader),
        "slug": _slug(data, reader),
    }
    if title is None or date is None:
        return None
    return FrontMatter(title=title, date=date, **others)


def _load(text: str, path: str, first_line: int):
    """``(data, key marks, None)`` or ``(None, {}, diagnostic)`` for YAML that cannot be read."""
    loader = loader_for(text)(text)
    where: list = [None]  # the node being built, to place errors that carry no mark
    try:
        node = loader.get_single_node()
        bomb = alias_bomb(node)
        if bomb is not None:
            return None, {}, _yaml_error(path, first_line, bomb.start_mark,
                                         "its aliases expand to a huge (or endless) value")
        data = _construct(loader, node, where)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        return None, {}, _yaml_error(path, first_line, mark, str(exc.problem or exc))
    except RecursionError:
        return None, {}, _yaml_error(path, first_line, None, "it is nested too deeply")
    except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
        mark = where[0].start_mark if where[0] is not None else None
        return None, {}, _yaml_error(path, first_line, mark, str(exc))
    finally:
        loader.dispose()
    return data, _key_marks(node), None


def _construct(loader, node, where: list):
    """Build the data value by value, remembering in ``where`` which node is being built."""
    if not isinstance(node, yaml.MappingNode):
        where[0] = node
        return loader.construct_document(node) if node is not None else None
    loader.flatten_mapping(node)
    data = {}
    for key_node, value_node in node.value:
        where[0] = key_node
        key = loader.construct_object(key_node, deep=True)
        where[0] = value_node
        data[key] = loader.construct_object(value_node, deep=True)
    return data


def _yaml_error(path: str, first_line: int, mark, problem: str) -> Diagnostic:
    line, column = (mark.line, mark.column) if mark is not None else (0, 0)
    return error(
        "frontmatter.yaml", Location(path, first_line + line, column + 1),
        f"the front matter is not valid YAML: {problem}",
        "check indentation, quoting and colons; only plain YAML values are allowed",
    )


def _key_marks(node) -> dict[str, tuple[int, int]]:
    if not isinstance(node, yaml.MappingNode):
        return {}
    marks: dict[str, tuple[int, int]] = {}
    for key, _value in node.value:
        if isinstance(key, yaml.ScalarNode):
            marks.setdefault(key.value, (key.start_mark.line, key.start_mark.column))
    return marks


def _check_keys(data: dict, reader: _Reader) -> None:
    for key in data:
        if key in ALLOWED_KEYS:
            continue
        name = str(key)
        close = difflib.get_close_matches(name, ALLOWED_KEYS, n=1)
        guess = f"did you mean `{close[0]}`? " if close else ""
        reader.diagnostics.append(warning(
            "frontmatter.unknown-key", reader.at(name), f"unknown front matter key `{name}`",
            f"{guess}allowed keys: {', '.join(ALLOWED_KEYS)}",
        ))


def _title(data: dict, reader: _Reader) -> str | None:
    title = data.get("title")
    if isinstance(title, str) and title.strip():
        return title.strip()
    if "title" not in data or title is None:
        reader.error("frontmatter.title", "title", "the brief has no title",
                     "add `title: ...` to the front matter")
    else:
        reader.error("frontmatter.title", "title", "the title must be non-empty text",
                     "write the title as text; quote it if it looks like a number or a list")
    return None


def _date(data: dict, reader: _Reader) -> dt.date | None:
    value = data.get("date")
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    message = "the brief has no date" if value is None else f"`{value}` is not a valid date"
    reader.error("frontmatter.date", "date", message, "write the date as `date: YYYY-MM-DD`")
    return None


def _string(data: dict, key: str, reader: _Reader) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    reader.error("frontmatter.type", key, f"`{key}` must be text, not {_kind(value)}",
                 f"write `{key}: some text` (quote it if needed)")
    return ""


def _strings(data: dict, key: str, reader: _Reader) -> tuple[str, ...]:
    value = data.get(key)
    if value is None:
        return ()
    if isinstance(value, str):
        return (value.strip(),) if value.strip() else ()
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(item.strip() for item in value if item.strip())
    reader.error("frontmatter.type", key,
                 f"`{key}` must be text or a list of text, not {_kind(value)}",
                 f"write `{key}: [first, second]`")
    return ()


def _shortlinks(data: dict, reader: _Reader) -> tuple[str, ...]:
    links = _strings(data, "shortlink", reader)
    bad = [link for link in links if not _HTTP.match(link)]
    if bad:
        reader.error("frontmatter.shortlink", "shortlink", f"`{bad[0]}` is not an http(s) URL",
                     "write the full address, e.g. `shortlink: https://example.org/abc`")
    return tuple(link for link in links if link not in bad)


def _slug(data: dict, reader: _Reader) -> str:
    value = data.get("slug")
    if value is None:
        return ""
    if isinstance(value, str) and SAFE_SLUG.fullmatch(value):
        return value
    reader.error("frontmatter.slug", "slug", f"`{value}` is not a safe slug",
                 "use lower-case letters, digits and '-' (starting with a letter or digit), "
                 "or leave `slug` out to use the file name")
    return ""


def _kind(value: object) -> str:
    if isinstance(value, list):
        return "a list" + (" containing non-text items" if value else "")
    if isinstance(value, dict):
        return "a mapping"
    return f"a {type(value).__name__}"
