"""Watching a site's inputs for ``briefgen serve``: watchdog events, filtered and settled.

An editor's save is a burst of events (write in place; a temporary file renamed over
the brief; Vim's rename to ``file~``, create, delete; Emacs' ``#file#`` and ``.#file``).
Every event that touches an input wakes the watcher; it then waits until the folder has
been quiet for ``settle`` seconds and calls ``on_change`` once. Whether anything really
changed is for ``on_change`` to decide (the preview compares the files' contents), so a
burst gives one rebuild, and an event during a rebuild gives one more look afterwards.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path, PurePosixPath
from typing import Callable

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from briefgen.config import CONFIG_FILE

INPUT_FOLDERS = ("briefs", "citations", "templates")
IGNORED_EVENTS = ("opened", "closed_no_write")
SETTLE_SECONDS = 0.1


def is_editor_temp(name: str) -> bool:
    """Backup, swap, lock and probe files that editors write beside the file being saved."""
    return (
        name.startswith((".", "#")) or name.endswith(("~", "#", ".swp", ".swx", ".swo", ".tmp"))
        or name == "4913"   # Vim's "can I write here?" probe
    )


def is_input(root: Path, path: str, ignored: tuple[Path, ...] = ()) -> bool:
    """Whether ``path`` is one of the site's inputs (and not under the output folder)."""
    target = Path(path).absolute()
    if any(target == folder or folder in target.parents for folder in ignored):
        return False
    try:
        rel = PurePosixPath(target.relative_to(root.absolute()).as_posix())
    except ValueError:
        return False
    if rel.as_posix() == CONFIG_FILE:
        return True
    if not rel.parts or rel.parts[0] not in INPUT_FOLDERS:
        return False
    return not any(is_editor_temp(part) for part in rel.parts[1:])


class _Handler(FileSystemEventHandler):
    def __init__(self, watcher: "Watcher") -> None:
        self._watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in IGNORED_EVENTS:
            return
        paths = [event.src_path, getattr(event, "dest_path", "")]
        if any(p and self._watcher.relevant(str(p)) for p in paths):
            self._watcher.poke()


class Watcher:
    """Calls ``on_change`` (in the watcher's own thread) once a burst of input events settles."""

    def __init__(self, root: Path, on_change: Callable[[], None], poll: bool = False,
                 settle: float = SETTLE_SECONDS, ignored: tuple[Path, ...] = ()) -> None:
        self.root = root.absolute()
        self._on_change = on_change
        self._settle = settle
        self._ignored = tuple(p.absolute() for p in ignored)
        self._observer = PollingObserver(timeout=0.2) if poll else Observer()
        self._dirty = threading.Event()
        self._last_event = 0.0
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="briefgen-rebuild", daemon=True)

    def relevant(self, path: str) -> bool:
        return is_input(self.root, path, self._ignored)

    def poke(self) -> None:
        self._last_event = time.monotonic()
        self._dirty.set()

    def start(self) -> None:
        self._observer.schedule(_Handler(self), str(self.root), recursive=True)
        self._observer.start()
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._dirty.set()
        self._observer.stop()
        self._observer.join(timeout=10)
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout=30)

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._dirty.wait()
            if self._stopping.is_set() or not self._settled():
                return
            self._on_change()

    def _settled(self) -> bool:
        """Wait until no event came for ``settle`` seconds; False when stopping."""
        while True:
            remaining = self._last_event + self._settle - time.monotonic()
            if remaining <= 0:
                self._dirty.clear()   # what came until now is read by on_change; later events set it again
                return True
            if self._stopping.wait(remaining):
                return False
