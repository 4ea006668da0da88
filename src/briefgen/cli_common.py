"""What every command shares: the --root option, and turning BriefgenError into diagnostics and exit 1."""

from __future__ import annotations

import contextlib
import functools
import os
import sys
import traceback
from pathlib import Path

import click

from briefgen.diagnostics import BriefgenError, Diagnostic, format_report


def guarded(command):
    """Turn BriefgenError into its diagnostics and exit 1; anything else into a short report."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except BriefgenError as exc:
            print_diagnostics(exc.diagnostics, kwargs.get("fmt", "text"))
            print_summary(exc.diagnostics)
            sys.exit(1)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)
        except Exception:  # noqa: BLE001 - a bug in briefgen, not bad input
            if os.environ.get("BRIEFGEN_DEBUG"):
                traceback.print_exc()
            click.echo("briefgen: internal error: this is a bug in briefgen, not in your files; "
                       "run again with BRIEFGEN_DEBUG=1 to see the details and report them", err=True)
            sys.exit(2)

    return wrapper


def print_diagnostics(diagnostics: tuple[Diagnostic, ...], fmt: str = "text") -> None:
    if diagnostics:
        stream_is_err = fmt == "text"
        click.echo(format_report(diagnostics, fmt), err=stream_is_err)


def print_summary(diagnostics: tuple[Diagnostic, ...]) -> None:
    errors = sum(d.severity == "error" for d in diagnostics)
    warnings = len(diagnostics) - errors
    click.echo(f"{errors} error(s), {warnings} warning(s)", err=True)


root_option = click.option(
    "--root", type=click.Path(file_okay=False, exists=True, path_type=Path), default=Path("."),
    help="The site folder (default: the current folder).")


@contextlib.contextmanager
def progress_line():
    """A one-line progress display on a terminal (rewritten in place, erased at the end);
    nothing when standard error is a file or a pipe, as in CI logs."""
    if not sys.stderr.isatty():
        yield None
        return

    def show(step: str, done: int, total: int) -> None:
        text = f"{step} {done:,}/{total:,} pages" if total else f"{step}..."
        click.echo(f"\r\x1b[2K{text}", err=True, nl=False)

    try:
        yield show
    finally:
        click.echo("\r\x1b[2K", err=True, nl=False)
