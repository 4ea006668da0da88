"""Commands ``serve`` (live preview) and ``new`` (a brief skeleton)."""

from __future__ import annotations

import datetime as dt
import json
import signal
import sys
import threading
from pathlib import Path

import click

from briefgen.cli_common import guarded, root_option
from briefgen.text import slugify

@click.command("serve")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option("--poll", is_flag=True, help="Poll for changes (network mounts, containers).")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@root_option
@guarded
def serve_command(port: int, host: str, poll: bool, strict: bool, root: Path) -> None:
    """Build, serve on 127.0.0.1, rebuild on change and reload the browser."""
    from briefgen.serve import Serve

    try:
        serve = Serve(root, host=host, port=port, poll=poll, strict=strict)
    except OSError as exc:
        click.echo(f"briefgen: cannot listen on {host}:{port}: {exc.strerror}; "
                   "choose another --port", err=True)
        sys.exit(1)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    serve.start()
    click.echo(f"serving {serve.url} (rebuilds on change; Ctrl+C stops)", err=True)
    try:
        while not done.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        serve.stop()
        click.echo("stopped", err=True)


@click.command("new")
@click.argument("title")
@click.option("--series", default="", help="The series the brief belongs to.")
@click.option("--date", "date", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="The brief's date (default: today).")
@root_option
@guarded
def new_command(title: str, series: str, date: dt.datetime | None, root: Path) -> None:
    """Write a new brief skeleton to briefs/<date>-<slug>.md."""
    day = date.date() if date else dt.date.today()
    if not title.strip():
        click.echo("briefgen: the title is empty; give the brief a title", err=True)
        sys.exit(1)
    path = root / "briefs" / f"{day.isoformat()}-{slugify(title)}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8") as handle:
            handle.write(skeleton(title, day, series))
    except FileExistsError:
        click.echo(f"briefgen: {path} exists already; it was left as it is "
                   "(choose another title or --date)", err=True)
        sys.exit(1)
    click.echo(str(path))


def skeleton(title: str, day: dt.date, series: str = "") -> str:
    """The text of a new brief (JSON strings are valid YAML scalars: any title is safe)."""
    lines = ["---", f"title: {json.dumps(title.strip(), ensure_ascii=False)}", f"date: {day.isoformat()}",
             "authors: []"]
    if series.strip():
        lines.append(f"series: {json.dumps(series.strip(), ensure_ascii=False)}")
    lines += ["tags: []", "---",
              "Write the brief here. Put a numbered reference where a claim needs a source.[1]", "",
              "[1] https://example.org/replace-with-the-source", ""]
    return "\n".join(lines)
