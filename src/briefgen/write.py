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
from typing import Iterable, Iterator

from briefgen.diagnostics import BriefgenError, Location, error

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def write_site(out: Path, outputs: dict[str, bytes]) -> int:
    """Write every output into a fresh tree and swap it in; returns the file count."""
    with staged_tree(out) as staging:
        write_files(staging, sorted(outputs.items()))
    return len(outputs)


@contextlib.contextmanager
def staged_tree(out: Path) -> Iterator[Path]:
    """A fresh folder beside ``out`` to write into; swapped in for ``out`` when the block
    ends without an exception, removed in every case."""
    out = out.absolute()
    out.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(out)
    staging = out.parent / f".{out.name}.new-{os.getpid()}"
    try:
        staging.mkdir()
        yield staging
        _swap_in(staging, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def write_files(staging: Path, items: Iterable[tuple[str, bytes]]) -> int:
    """Write (path, bytes) items into a staged tree; returns how many were written."""
    count = 0
    for rel, data in items:
        _write_file(staging, rel, data)
        count += 1
    return count


def confined(root: Path, rel: str) -> Path:
    """The path of ``rel`` inside ``root``, checked on resolved paths (never string prefixes)."""
    target = (root / rel).resolve()
    if rel.startswith(("/", "\\")) or "\x00" in rel or not target.is_relative_to(root.resolve()):
        raise _outside(rel)
    return target


def _write_file(staging: Path, rel: str, data: bytes) -> None:
    target = os.path.join(staging, _relative_inside(rel))
    folder = os.path.dirname(target)
    if not os.path.isdir(folder):
        os.makedirs(folder, exist_ok=True)
    with open(target, "wb") as handle:
        handle.write(data)


def _relative_inside(rel: str) -> str:
    """``rel`` if it names a place inside a tree, judged on its text alone: the staged tree
    is a fresh folder holding only what this stage wrote, so no link inside can lead out."""
    parts = rel.split("/")
    if (not rel or rel.startswith("/") or "\x00" in rel or "\\" in rel
            or any(part in ("", ".", "..") for part in parts)):
        raise _outside(rel)
    return rel


def _outside(rel: str) -> BriefgenError:
    return BriefgenError([error("write.outside", Location(rel), f"refusing to write {rel!r} outside the output folder",
                                "use ids and slugs made of letters, digits and '-'")])


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
