"""Diagnostics: what is wrong, where, and what fixes it.

Every problem briefgen reports is a ``Diagnostic`` with a stable code
(``citation.unknown-note``), a severity, a ``file:line:column`` location,
a message and a hint.  Stages return diagnostics as data; only the CLI
prints them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Iterable, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True, slots=True)
class Location:
    """A place in an input file: path relative to the site root, 1-based line and column."""

    path: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"

    def __reduce__(self):
        return (Location, (self.path, self.line, self.column))   # pickled fast (worker processes)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: str
    severity: Severity
    location: Location
    message: str
    hint: str = ""

    def format_text(self) -> str:
        text = f"{self.location}: {self.severity}: {self.code}: {self.message}"
        return f"{text} (hint: {self.hint})" if self.hint else text

    def format_github(self) -> str:
        kind = "error" if self.severity == "error" else "warning"
        loc = self.location
        body = self.message + (f" Hint: {self.hint}" if self.hint else "")
        body = body.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return (
            f"::{kind} file={loc.path},line={loc.line},col={loc.column},"
            f"title={self.code}::{body}"
        )

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "severity": self.severity,
            "file": self.location.path,
            "line": self.location.line,
            "column": self.location.column,
            "message": self.message,
            "hint": self.hint,
        }


def error(code: str, location: Location, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(code, "error", location, message, hint)


def warning(code: str, location: Location, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(code, "warning", location, message, hint)


def sort_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Order by file, line, column, then code: the same input gives the same report."""
    return sorted(
        diagnostics,
        key=lambda d: (d.location.path, d.location.line, d.location.column, d.code, d.message),
    )


def strict(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Warnings become errors (``--strict``)."""
    return [
        Diagnostic(d.code, "error", d.location, d.message, d.hint) for d in diagnostics
    ]


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.severity == "error" for d in diagnostics)


def format_report(diagnostics: Iterable[Diagnostic], fmt: str = "text") -> str:
    items = sort_diagnostics(diagnostics)
    if fmt == "json":
        return json.dumps([d.as_dict() for d in items], indent=2, ensure_ascii=False)
    if fmt == "github":
        return "\n".join(d.format_github() for d in items)
    return "\n".join(d.format_text() for d in items)


class BriefgenError(Exception):
    """Bad input: carries diagnostics, never reaches a user as a traceback."""

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics = tuple(sort_diagnostics(diagnostics))
        super().__init__("\n".join(d.format_text() for d in self.diagnostics))

    def __reduce__(self):
        """Pickled with its diagnostics (a build's worker process hands it to the parent)."""
        return (type(self), (self.diagnostics,))
