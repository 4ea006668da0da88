"""``briefgen serve``: the site rendered to memory, served on 127.0.0.1, rebuilt on change.

- The last good site stays in memory; a failed rebuild keeps it and adds an overlay with
  the diagnostics to every HTML page.
- HTML responses get a small script (``/__briefgen/livereload.js``) that listens on the
  Server-Sent Events endpoint ``/__briefgen/events`` and reloads after a rebuild.
- ``/__briefgen/status`` tells the generation, the rebuild count and the diagnostics (JSON).
- Only paths inside the site are served (no ``..``, no encoded separators, no NUL), only
  to a ``Host`` of this machine (DNS rebinding), never a directory listing.
"""

from __future__ import annotations

import hashlib
import html
import json
import mimetypes
import posixpath
import socket
import sys
import threading
import time
from dataclasses import dataclass, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable
from urllib.parse import unquote

from briefgen.diagnostics import BriefgenError, Diagnostic, Location, error
from briefgen.incremental import Engine, collect_edit_garbage
from briefgen.read import ReadCache, read_site
from briefgen.watch import SETTLE_SECONDS, Watcher

ASSETS = Path(__file__).parent / "serve_assets"
PREFIX = "/__briefgen/"
LOCAL_NAMES = ("127.0.0.1", "localhost", "[::1]")
KEEPALIVE_SECONDS = 15.0
POLL_SETTLE_SECONDS = 0.5
LOGGED_ERRORS = 20


@dataclass(frozen=True)
class State:
    """What the server shows: the last good outputs, and the errors of the last rebuild."""

    outputs: dict[str, bytes]
    generation: int = 0
    rebuilds: int = 0
    errors: tuple[Diagnostic, ...] = ()
    warnings: int = 0
    pages: int = 0
    rendered: int = 0
    milliseconds: float = 0.0


class Preview:
    """The rebuild side: reads the site, rebuilds when the inputs changed, publishes a State."""

    def __init__(self, root: Path, strict: bool = False, log: Callable[[str], None] | None = None) -> None:
        self.root = root
        self._engine = Engine(strict=strict)
        self._files = None
        self._read_cache = ReadCache()
        self._log = log or (lambda line: print(line, file=sys.stderr, flush=True))
        self._changed = threading.Condition()
        self.state = State(outputs={})
        self.stopping = False

    def rebuild(self) -> bool:
        """Rebuild if the inputs changed since the last look; True when it did."""
        started = time.perf_counter()
        files, diagnostics = read_site(self.root, self._read_cache)
        if files == self._files:
            return False
        self._files = files
        try:
            result = self._engine.rebuild(files, diagnostics)
        except BriefgenError as exc:
            self._failed(tuple(d for d in exc.diagnostics if d.severity == "error"), started)
            return True
        except Exception as exc:  # noqa: BLE001 - a bug must not take the preview away
            self._failed((error("internal", Location("."), f"internal error: {type(exc).__name__}: {exc}",
                                "this is a bug in briefgen; the last good site is still served"),), started)
            return True
        old = self.state
        self._publish(State(result.outputs, old.generation + 1, old.rebuilds + 1, (),
                            sum(d.severity == "warning" for d in result.diagnostics), result.pages,
                            len(result.rendered), _ms(started)))
        self._log(f"rebuilt: {len(result.rendered)} of {result.pages} page(s) rendered in "
                  f"{self.state.milliseconds:.0f} ms (rebuild {self.state.rebuilds})")
        if not result.whole:
            collect_edit_garbage()
        return True

    def _failed(self, errors: tuple[Diagnostic, ...], started: float) -> None:
        old = self.state
        self._publish(replace(old, generation=old.generation + 1, rebuilds=old.rebuilds + 1,
                              errors=errors, milliseconds=_ms(started)))
        self._log(f"build failed with {len(errors)} error(s) (rebuild {self.state.rebuilds}); "
                  "still serving the last good site")
        for diagnostic in errors[:LOGGED_ERRORS]:
            self._log("  " + diagnostic.format_text())
        if len(errors) > LOGGED_ERRORS:
            self._log(f"  ... and {len(errors) - LOGGED_ERRORS} more (all of them: /__briefgen/status)")

    def _publish(self, state: State) -> None:
        with self._changed:
            self.state = state
            self._changed.notify_all()

    def wait(self, generation: int, timeout: float) -> State:
        """The state once its generation differs from ``generation`` (or after ``timeout``)."""
        with self._changed:
            self._changed.wait_for(lambda: self.state.generation != generation or self.stopping, timeout)
            return self.state

    def stop(self) -> None:
        with self._changed:
            self.stopping = True
            self._changed.notify_all()

    def status(self, digest: bool = False) -> dict:
        s = self.state
        found = {"generation": s.generation, "rebuilds": s.rebuilds, "ok": not s.errors,
                 "errors": [d.as_dict() for d in s.errors], "warnings": s.warnings,
                 "pages": s.pages, "rendered": s.rendered, "milliseconds": round(s.milliseconds, 1)}
        if digest:
            found["digest"] = outputs_digest(s.outputs)
        return found


def outputs_digest(outputs: dict[str, bytes]) -> str:
    """One SHA-256 over every output path and its bytes (as a clean build would write them)."""
    total = hashlib.sha256()
    for path in sorted(outputs):
        total.update(path.encode("utf-8") + b"\0" + hashlib.sha256(outputs[path]).digest())
    return total.hexdigest()


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


# ------------------------------------------------------------------ requests
def site_path(raw: str) -> str | None:
    """The output key a request path names ("" for the root folder), or None when it
    leaves the site or is malformed: ``..``, ``.``, encoded separators, NUL, backslashes."""
    path = raw.split("?", 1)[0].split("#", 1)[0]   # never urlsplit: it reads //x as a host
    lowered = path.lower()
    if not path.startswith("/") or path.startswith("//") or "\\" in path or "%2f" in lowered \
            or "%5c" in lowered or "%00" in lowered:
        return None
    try:
        decoded = unquote(path, errors="strict")
    except UnicodeDecodeError:
        return None
    parts = decoded.split("/")[1:]
    if any(p in (".", "..") or "\x00" in p or "\\" in p for p in parts):
        return None
    if any(p == "" for p in parts[:-1]):
        return None
    return "/".join(parts)


def lookup(outputs: dict[str, bytes], key: str) -> tuple[str, str | None]:
    """("file", key) for a file, ("redirect", key + "/") for a folder asked without its
    slash, ("missing", None) otherwise (a folder without index.html is missing too)."""
    if key == "" or key.endswith("/"):
        index = key + "index.html"
        return ("file", index) if index in outputs else ("missing", None)
    if key in outputs:
        return "file", key
    if key + "/index.html" in outputs:
        return "redirect", key + "/"
    return "missing", None


def host_allowed(host: str | None, bound: str, port: int) -> bool:
    """Only this machine's names with the bound port: a rebinding attacker's name is refused."""
    if not host:
        return False
    names = {*LOCAL_NAMES, bound if ":" not in bound else f"[{bound}]"}
    allowed = {f"{name}:{port}" for name in names}
    if port == 80:
        allowed |= names
    return host.strip().lower() in allowed


def decorate(body: bytes, state: State) -> bytes:
    """An HTML page as served: the live-reload script, and the overlay while there are errors."""
    extra = f'<script src="{PREFIX}livereload.js" data-generation="{state.generation}"></script>'
    if state.errors:
        extra = overlay(state.errors) + extra
    text = body.decode("utf-8", "replace")
    at = text.lower().rfind("</body>")
    text = text[:at] + extra + text[at:] if at >= 0 else text + extra
    return text.encode("utf-8")


def overlay(errors: tuple[Diagnostic, ...]) -> str:
    items = "".join(
        f'<li><code>{html.escape(str(d.location))}</code>: <strong>{html.escape(d.code)}</strong>: '
        f'{html.escape(d.message)}'
        + (f'<br><span class="briefgen-hint">hint: {html.escape(d.hint)}</span>' if d.hint else "")
        + "</li>"
        for d in errors
    )
    return (f'<link rel="stylesheet" href="{PREFIX}overlay.css"><div id="briefgen-overlay" role="alert">'
            f"<h2>briefgen: the last rebuild failed with {len(errors)} error(s); "
            f"this is the last good site</h2><ul>{items}</ul></div>")


EMPTY_PAGE = b"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>briefgen</title></head><body></body></html>"


class Handler(BaseHTTPRequestHandler):
    server: "PreviewServer"
    server_version = "briefgen"

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._respond(head=False)

    def do_HEAD(self) -> None:  # noqa: N802
        self._respond(head=True)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet: rebuilds are logged
        pass

    def _respond(self, head: bool) -> None:
        if not host_allowed(self.headers.get("Host"), self.server.bound_host, self.server.port):
            return self._send(400, b"Bad Request: unknown Host\n", "text/plain; charset=utf-8", head)
        if "\x00" in self.path or "\\" in self.path:
            return self._missing(head)
        if self.path.startswith(PREFIX):
            return self._internal(self.path[len(PREFIX):], head)
        key = site_path(self.path)
        if key is None:
            return self._missing(head)
        state = self.server.preview.state
        kind, found = lookup(state.outputs, key)
        if kind == "redirect":
            self.send_response(301)
            self.send_header("Location", "/" + found)
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif kind == "file":
            self._file(found, state.outputs[found], state, 200, head)
        elif not state.outputs and state.errors:
            self._file("index.html", EMPTY_PAGE, state, 503, head)
        else:
            self._missing(head)

    def _missing(self, head: bool) -> None:
        state = self.server.preview.state
        body = state.outputs.get("404.html")
        if body is None:
            return self._send(404, b"Not Found\n", "text/plain; charset=utf-8", head)
        self._file("404.html", body, state, 404, head)

    def _file(self, key: str, body: bytes, state: State, status: int, head: bool) -> None:
        kind = content_type(key)
        if kind.startswith("text/html"):
            body = decorate(body, state)
        self._send(status, body, kind, head)

    def _internal(self, target: str, head: bool) -> None:
        name, _, query = target.partition("?")
        if name == "events" and not head:
            return self._events()
        if name == "status":
            status = self.server.preview.status(digest="digest" in query.split("&"))
            body = json.dumps(status, indent=1).encode("utf-8")
            return self._send(200, body, "application/json", head)
        if name in ("livereload.js", "overlay.css"):
            return self._send(200, (ASSETS / name).read_bytes(), content_type(name), head)
        self._missing(head)

    def _send(self, status: int, body: bytes, kind: str, head: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _events(self) -> None:
        """Server-Sent Events: the generation now, then each new one; a comment now and then."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        preview, sent, quiet = self.server.preview, None, 0.0
        try:
            while not preview.stopping:
                state = preview.wait(sent if sent is not None else -1, timeout=0.5)
                if preview.stopping:
                    return
                if state.generation != sent:
                    sent, quiet = state.generation, 0.0
                    self.wfile.write(f"event: generation\ndata: {sent}\n\n".encode())
                    self.wfile.flush()
                elif (quiet := quiet + 0.5) >= KEEPALIVE_SECONDS:
                    self.wfile.write(b": keep-alive\n\n")
                    self.wfile.flush()
                    quiet = 0.0
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            return


def content_type(key: str) -> str:
    if key.endswith(".html"):
        return "text/html; charset=utf-8"
    if key.endswith("feed.xml"):
        return "application/atom+xml; charset=utf-8"
    guessed = mimetypes.guess_type(posixpath.basename(key))[0] or "application/octet-stream"
    text = guessed.startswith("text/") or guessed in ("application/javascript", "application/json", "application/xml")
    return guessed + ("; charset=utf-8" if text else "")


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = False       # server_close() joins every request thread
    block_on_close = True

    def __init__(self, address: tuple[str, int], preview: Preview) -> None:
        self.preview = preview
        self.bound_host = address[0]
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, Handler)
        self.port = self.server_address[1]


class Serve:
    """The whole preview: a first build, the HTTP server, the watcher. ``stop`` joins it all."""

    def __init__(self, root: Path, host: str = "127.0.0.1", port: int = 8000, poll: bool = False,
                 strict: bool = False, settle: float | None = None,
                 log: Callable[[str], None] | None = None) -> None:
        self.preview = Preview(root, strict=strict, log=log)
        self.server = PreviewServer((host, port), self.preview)
        if settle is None:   # a poll sees a burst in slices 0.2 s apart: wait for more than one
            settle = POLL_SETTLE_SECONDS if poll else SETTLE_SECONDS
        self.watcher = Watcher(root, self.preview.rebuild, poll=poll, settle=settle, ignored=(root / "site",))
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.2},
                                        name="briefgen-http", daemon=True)

    @property
    def url(self) -> str:
        host = self.server.bound_host
        return f"http://{f'[{host}]' if ':' in host else host}:{self.server.port}/"

    def start(self) -> "Serve":
        self.preview.rebuild()
        self.watcher.start()
        self._thread.start()
        return self

    def stop(self) -> None:
        self.watcher.stop()
        self.preview.stop()
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=10)

    def __enter__(self) -> "Serve":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
