"""The write stage: the only writer. A new tree is written beside the output
folder and swapped in only when complete, so a failed build leaves the old one.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import os
import shutil
from pathlib import Path
from typing import Iterator

from briefgen.diagnostics import BriefgenError, Location, error

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def write_site(out: Path, outputs: dict[str, bytes]) -> int:
    """Write every output into a fresh tree and swap it in; returns the file count."""
    out = out.absolute()
    out.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(out)
    staging = out.parent / f".{out.name}.new-{os.getpid()}"
    try:
        for rel in sorted(outputs):
            _write_file(staging, rel, outputs[rel])
        staging.mkdir(exist_ok=True)
        _swap_in(staging, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return len(outputs)


def confined(root: Path, rel: str) -> Path:
    """The path of ``rel`` inside ``root``, checked on resolved paths (never string prefixes)."""
    target = (root / rel).resolve()
    if rel.startswith(("/", "\\")) or "\x00" in rel or not target.is_relative_to(root.resolve()):
        raise BriefgenError([error("write.outside", Location(rel), f"refusing to write {rel!r} outside the output folder",
                                   "use ids and slugs made of letters, digits and '-'")])
    return target


def _write_file(staging: Path, rel: str, data: bytes) -> None:
    staging.mkdir(parents=True, exist_ok=True)
    target = confined(staging, rel)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


def _swap_in(staging: Path, out: Path) -> None:
    """Exchange the staged tree with ``out`` atomically where the kernel allows it."""
    if not out.exists():
        os.rename(staging, out)
        return
    if _exchange(staging, out):
        return  # the old tree now sits at ``staging`` and is removed by the caller
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    os.rename(out, old)
    os.rename(staging, out)
    shutil.rmtree(old, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def remove_leftovers(out: Path) -> None:
    """Staging trees left by a build that was killed."""
    for pattern in (f".{out.name}.new-*", f".{out.name}.old-*"):
        for leftover in out.parent.glob(pattern):
            shutil.rmtree(leftover, ignore_errors=True)


@contextlib.contextmanager
def build_lock(out: Path) -> Iterator[None]:
    """One build at a time per output folder; a second one is refused with a message."""
    out = out.absolute()
    out.parent.mkdir(parents=True, exist_ok=True)
    lock_path = out.parent / f".{out.name}.lock"
    with open(lock_path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BriefgenError([error("write.locked", Location(str(lock_path.name)),
                                       f"another build is writing {out.name}/ right now",
                                       "wait for it to finish, then build again")]) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
