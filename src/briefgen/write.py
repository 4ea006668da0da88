"""The write stage: the only writer. A tree is written beside the output folder and
swapped in only when complete, so a failed build leaves the old one.

With ``keep`` (a folder in the build cache, on the output's file system), the tree the
swap takes out is kept there, with a manifest of its files (digest, size, modification
time, inode), and the next build writes into it instead of a fresh tree: a file whose
bytes the manifest already holds, and whose size, time and inode on disk still match,
is not written again; files the build no longer makes are removed. Nothing is deleted
wholesale, and most files of a rebuild are not touched at all. A manifest is taken
(deleted) before its tree is written into and recorded again only after the swap, for
the tree's own root folder: a tree without a valid manifest is removed, never reused.
The kept tree is listed when taken (the listing says what to prune once the build has
written): a tree holding anything but files and folders (a link put in the output by
hand, which a write could follow out of the tree) is removed, never written into.

The output's manifest also records each page's key (page_keys.py): a page whose key is
the one it had is not rendered again, and ``reuse_file`` puts the output's bytes of it in
the tree (already there when the kept tree holds the same bytes, else a hard link to the
output's file, or a copy of it checked against the manifest's digest). No file is ever
written in place, so trees sharing files never change each other.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Mapping

from briefgen.diagnostics import BriefgenError, Location, error

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


Record = tuple[str, int, int, int]     # a file's digest, size, modification time (ns), inode


@dataclass
class Staging:
    """A tree being written: its folder, what it held before (a kept tree's manifest), the
    files written into it so far (or found already there), and the output it will replace:
    its folder, its files and the keys of its pages, as the last build recorded them
    (empty without a valid manifest)."""

    path: Path
    held: Mapping[str, Record] = field(default_factory=dict)
    written: dict[str, Record] = field(default_factory=dict)
    listed: tuple[list[str], list[str]] = field(default_factory=lambda: ([], []))   # a kept tree's, when taken
    out: Path | None = None
    last: Mapping[str, Record] | None = None
    last_keys: Mapping[str, str] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)     # page keys of this build, to record


def write_site(out: Path, outputs: dict[str, bytes], keep: Path | None = None) -> int:
    """Write every output into a staged tree and swap it in; returns the file count."""
    with staged_tree(out, keep) as staging:
        write_files(staging, sorted(outputs.items()))
    return len(outputs)


@contextlib.contextmanager
def staged_tree(out: Path, keep: Path | None = None, listing: "Listing | None" = None) -> Iterator[Staging]:
    """A tree to write into (the kept one in ``keep``, else a fresh folder beside ``out``);
    swapped in for ``out`` when the block ends without an exception. The tree it replaces
    is kept in ``keep`` for the next build, or removed. ``listing``: the kept tree's,
    started earlier (``Listing``)."""
    out = out.absolute()
    out.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(out)
    keep = keep.absolute() if keep is not None and _same_file_system(keep, out) else None
    staging = _take_kept(keep, out, listing) if keep else None
    staging = staging or Staging(out.parent / f".{out.name}.new-{os.getpid()}")
    if keep:
        staging.out = out
        staging.last, staging.last_keys = _read_output_manifest(keep, out)
    kept = False
    try:
        staging.path.mkdir(exist_ok=staging.path == keep)
        yield staging
        _prune(staging)
        kept = _swap_and_keep(staging, out, keep)
    finally:
        if not kept:
            shutil.rmtree(staging.path, ignore_errors=True)


def write_files(staging: Staging, items: Iterable[tuple[str, bytes]]) -> dict[str, Record]:
    """Write (path, bytes) items into a staged tree; returns the record of each file."""
    records = {}
    for rel, data in items:
        records[rel] = _write_file(staging, rel, data)
    staging.written.update(records)
    return records


def reuse_file(staging: Staging, rel: str) -> Record | None:
    """The last output's file ``rel``, put in the staged tree without being made again: kept
    there when the kept tree holds the same bytes, else linked to the output's file when it
    is as the manifest recorded it, else copied from it once its bytes are checked against
    the manifest's digest. None when none of these can be trusted."""
    last = (staging.last or {}).get(rel)
    if last is None or staging.out is None:
        return None
    target = os.path.join(staging.path, _relative_inside(rel))
    held = staging.held.get(rel)
    if held is not None and held[0] == last[0] and _stat_record(target, held[0]) == held:
        return held
    source = os.path.join(staging.out, _relative_inside(rel))
    if _stat_record(source, last[0]) == last:
        linked = _linked(source, target, last[0])
        if linked is not None:
            return linked
    try:
        with open(source, "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    if hashlib.blake2b(data, digest_size=16).hexdigest() != last[0]:
        return None
    return _write_file(staging, rel, data)


def _linked(source: str, target: str, digest: str) -> Record | None:
    """``target`` made a hard link to the output's file ``source``, unchanged since the last
    build recorded it (its size, time and inode): the tree shares the files it would copy.
    Safe because no file is ever written in place (``_put``). None when linking fails."""
    try:
        _make_folder(target)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(target)                 # a file of two builds ago, in a kept tree
        os.link(source, target, follow_symlinks=False)
    except OSError:
        return None
    return _stat_record(target, digest)


def confined(root: Path, rel: str) -> Path:
    """The path of ``rel`` inside ``root``, checked on resolved paths (never string prefixes)."""
    target = (root / rel).resolve()
    if rel.startswith(("/", "\\")) or "\x00" in rel or not target.is_relative_to(root.resolve()):
        raise _outside(rel)
    return target


def _write_file(staging: Staging, rel: str, data: bytes) -> Record:
    """Write one file, unless the tree holds its bytes already (checked by digest, then by
    size, time and inode on disk: a file changed by hand since is written again)."""
    target = os.path.join(staging.path, _relative_inside(rel))
    digest = hashlib.blake2b(data, digest_size=16).hexdigest()
    held = staging.held.get(rel)
    if held is not None and held[0] == digest and _stat_record(target, digest) == held:
        return held
    try:
        return _put(target, data, digest)
    except (FileExistsError, NotADirectoryError, IsADirectoryError):
        _clear_way(staging.path, rel)     # a kept tree had a file where a folder goes, or the reverse
        return _put(target, data, digest)


def _put(target: str, data: bytes, digest: str) -> Record:
    """Write a new file at ``target``: one there is removed first, never written in place
    (it may be a hard link shared with the output, ``reuse_file``)."""
    _make_folder(target)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC | os.O_NOFOLLOW
    try:
        fd = os.open(target, flags, 0o666)
    except FileExistsError:
        os.unlink(target)
        fd = os.open(target, flags, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        info = os.fstat(fd)
    finally:
        os.close(fd)
    return digest, info.st_size, info.st_mtime_ns, info.st_ino


def _make_folder(target: str) -> None:
    """The folder of the file ``target``, made if missing."""
    folder = os.path.dirname(target)
    if not os.path.isdir(folder):
        os.makedirs(folder, exist_ok=True)


def _stat_record(target: str, digest: str) -> Record | None:
    try:
        info = os.stat(target, follow_symlinks=False)
    except OSError:
        return None
    return digest, info.st_size, info.st_mtime_ns, info.st_ino


def _clear_way(root: Path, rel: str) -> None:
    """Remove whatever stands in the way of the file ``rel``: a file where one of its folders
    goes, or a folder where it goes."""
    place = Path(root)
    for part in rel.split("/"):
        place = place / part
        if place.is_symlink() or place.is_file():
            place.unlink()
            return
    shutil.rmtree(place, ignore_errors=True)


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


def _swap_in(staging: Path, out: Path) -> bool:
    """Exchange the staged tree with ``out`` atomically where the kernel allows it. True
    when the old tree now sits at ``staging``."""
    if not out.exists():
        os.rename(staging, out)
        return False
    if _exchange(staging, out):
        return True
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    os.rename(out, old)
    os.rename(staging, out)
    shutil.rmtree(old, ignore_errors=True)
    return False


def _exchange(a: Path, b: Path) -> bool:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


# ------------------------------------------------------------- the kept tree
def _same_file_system(keep: Path, out: Path) -> bool:
    try:
        keep.parent.mkdir(parents=True, exist_ok=True)
        return os.stat(keep.parent).st_dev == os.stat(out.parent).st_dev
    except OSError:
        return False


def _manifests(keep: Path) -> tuple[Path, Path]:
    """Where the manifests of the kept tree and of the output's tree are."""
    return keep.with_name(keep.name + ".json"), keep.with_name(keep.name + ".output.json")


def _take_kept(keep: Path, out: Path, listing: "Listing | None" = None) -> Staging | None:
    """The kept tree, with its manifest, which is deleted now: a build killed while it
    writes leaves a tree without one, which the next build removes. A tree the listing
    seeded from the output (``Listing``) holds the output's files: the output's manifest
    records them. A seeded tree is built beside ``keep`` and put in its place only here,
    under the build's lock: a build that waits for another never touches the tree that
    one writes into."""
    kept_manifest, _ = _manifests(keep)
    seeding = listing is not None and listing.seeds is not None
    for other in keep.parent.glob(keep.name + ".seed-*"):     # left by builds that were stopped
        if not seeding or other != listing.seed:
            shutil.rmtree(other, ignore_errors=True)
    seeded = _seeded(keep, listing) if seeding else None
    if seeded is not None:
        files, listed = listing.seeds, seeded
    else:
        files = _read_manifest(kept_manifest, out, keep)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(kept_manifest)
        if files is None:
            listed = None
        elif listing is None or seeding:     # (a seeding's listing is of its own tree)
            listed = _listing(str(keep))
        else:
            listed = listing.result()
    if files is None or listed is None:
        shutil.rmtree(keep, ignore_errors=True)
        return None
    return Staging(keep, files, listed=listed)


def _seeded(keep: Path, listing: "Listing") -> tuple[list[str], list[str]] | None:
    """The listing of the tree ``listing`` seeded, once that tree is put in the place of
    ``keep`` (None when it failed, or when a kept tree with a manifest is there now: a build
    that ran meanwhile kept one)."""
    listed = listing.result()
    if listed is not None and not _manifests(keep)[0].exists():
        shutil.rmtree(keep, ignore_errors=True)              # a tree without a manifest
        with contextlib.suppress(OSError):
            os.rename(listing.seed, keep)
            return listed
    shutil.rmtree(listing.seed, ignore_errors=True)
    return None


@contextlib.contextmanager
def kept_listing(keep: Path, out: Path | None = None) -> Iterator["Listing"]:
    """The listing of the kept tree in ``keep``, made by ``find`` in a process of its own
    while the block runs (a build parses, resolves and plans meanwhile); stopped at its end.
    Given ``out``, a build with no kept tree (the first one after a cold build) has one
    seeded from the output in that process (``Listing``)."""
    listing = Listing(keep, out)
    try:
        yield listing
    finally:
        listing.stop()


# Seeds a tree ($2, beside the kept tree) from the output ($1): whatever stands at $2 is
# removed, the output's folders are made again and its files hard-linked
# (cp -R -P -l: no file is copied, no link followed; folders keep no times or owners:
# 2,000 briefs, 5.5 s against 9.2 s with -a), then the tree is listed as ``find`` lists a kept tree.
_SEED = 'rm -rf -- "$2" && cp -R -P -l -- "$1" "$2" && cd -- "$2" && exec find . -mindepth 1 -printf "%y %P\\0"'


class Listing:
    """A kept tree's files and folders, as ``_listing`` gives them, listed by find(1) in a
    process of its own (on Linux; elsewhere, or when find fails, walked when asked for).

    When there is no kept tree but the output and its manifest are there (the first
    rebuild after a cold build), that process first seeds one beside ``keep`` (``seed``):
    the output's files hard-linked (``_SEED``), while the build parses, resolves and plans on
    the other core, instead of linking them one by one while it renders (2,000 briefs:
    100,000 links and 86,000 folders). ``seeds`` is then the output's manifest, which
    records the seeded tree's files too (same inodes); each is still checked against its
    record on disk before it is kept. The seeded tree takes the place of ``keep`` only under
    the build's lock (``_take_kept``); those stopped builds left are removed then."""

    def __init__(self, tree: Path, out: Path | None = None) -> None:
        self.tree, self.process = tree, None
        self.seeds: dict[str, Record] | None = None
        self.seed = tree.absolute().with_name(f"{tree.name}.seed-{os.getpid()}")    # where it is seeded
        self.output = tempfile.TemporaryFile()
        if not sys.platform.startswith("linux"):
            return
        seeds = _seeds(tree, out) if out is not None else None
        command = ["find", ".", "-mindepth", "1", "-printf", "%y %P\\0"]
        if seeds is not None:
            command = ["sh", "-c", _SEED, "sh", str(out.absolute()), str(self.seed)]
        elif not (tree.is_dir() and not tree.is_symlink()):
            return
        with contextlib.suppress(OSError):
            self.process = subprocess.Popen(command, cwd=tree if seeds is None else tree.parent,
                                            stdout=self.output, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
                                            start_new_session=seeds is not None)   # stopped as a group
            self.seeds = seeds

    def result(self) -> tuple[list[str], list[str]] | None:
        if self.process is None or self.process.wait() != 0:
            return None if self.seeds is not None else _listing(str(self.tree))
        self.output.seek(0)
        files: list[str] = []
        folders: list[str] = []
        for entry in self.output.read().split(b"\0"):
            if not entry:
                continue
            kind, rel = entry[:1], os.fsdecode(entry[2:])
            if kind not in (b"f", b"d"):
                return None
            (folders if kind == b"d" else files).append(rel)
        return files, folders

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(OSError):
                if self.seeds is not None:
                    os.killpg(self.process.pid, signal.SIGKILL)     # the shell and its cp
                else:
                    self.process.kill()
            self.process.wait()
        self.output.close()


def _seeds(keep: Path, out: Path) -> dict[str, Record] | None:
    """The output's files as its manifest records them, when a kept tree should be seeded
    from it: there is no kept tree with a manifest, the output is a folder that has a
    manifest, and the two are on one file system (hard links)."""
    out = out.absolute()
    if _manifests(keep)[0].exists() or not out.is_dir() or out.is_symlink():
        return None
    files = _read_output_manifest(keep, out)[0]
    return files if files and _same_file_system(keep, out) else None


def _listing(tree: str) -> tuple[list[str], list[str]] | None:
    """The files and folders of ``tree`` (paths inside it, folders before what they hold);
    None when it holds anything else (a link put there by hand, which a write could follow
    out of the tree, or a device or pipe): such a tree is not written into."""
    files: list[str] = []
    folders: list[str] = []
    pending = [("", tree)]
    while pending:
        prefix, folder = pending.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    folders.append(prefix + entry.name)
                    pending.append((prefix + entry.name + "/", entry.path))
                elif entry.is_file(follow_symlinks=False):
                    files.append(prefix + entry.name)
                else:
                    return None
    return files, folders


def _read_manifest(path: Path, out: Path, tree: Path) -> dict[str, Record] | None:
    """The files of ``tree``, if ``path`` records them for this output and for this very
    tree (its root folder's device and inode)."""
    found = _manifest(path, out, tree)
    return found[0] if found else None


def _read_output_manifest(keep: Path, out: Path) -> tuple[dict[str, Record] | None, dict[str, str]]:
    """The output's files and the keys of its pages, as the last build recorded them."""
    found = _manifest(_manifests(keep)[1], out, out) if out.exists() else None
    return found if found else (None, {})


def _manifest(path: Path, out: Path, tree: Path) -> tuple[dict[str, Record], dict[str, str]] | None:
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
        info = os.stat(tree)
        if found["out"] != str(out) or found["root"] != [info.st_dev, info.st_ino]:
            return None
        keys = found.get("keys", {})
        if not isinstance(keys, dict):
            return None
        return {rel: tuple(record) for rel, record in found["files"].items()}, keys
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _write_manifest(path: Path, out: Path, tree: Path, files: Mapping[str, Record],
                    keys: Mapping[str, str] | None = None) -> None:
    info = os.stat(tree)
    record = {"out": str(out), "root": [info.st_dev, info.st_ino], "files": files}
    if keys:
        record["keys"] = {rel: key for rel, key in keys.items() if rel in files}
    text = json.dumps(record, separators=(",", ":"), sort_keys=True)
    temporary = path.with_name(path.name + ".new")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def _prune(staging: Staging) -> None:
    """Remove from a kept tree every file this build did not write (those of pages gone,
    and anything put there by hand: the manifest is not trusted to list them all, the
    listing made when the tree was taken is), and the folders left empty."""
    if not staging.held:                    # a fresh tree holds only what was written
        return
    files, folders = staging.listed
    root = str(staging.path)
    for rel in files:
        if rel not in staging.written:
            _removed(os.unlink, os.path.join(root, rel))
    needed = _folders_of(staging.written)
    for rel in reversed(folders):           # what a folder holds comes after it
        if rel not in needed and rel not in staging.written:
            _removed(os.rmdir, os.path.join(root, rel))


def _folders_of(paths: Iterable[str]) -> set[str]:
    """Every folder that holds one of ``paths``, however deep."""
    folders: set[str] = set()
    for rel in paths:
        folder = rel.rpartition("/")[0]
        while folder and folder not in folders:
            folders.add(folder)
            folder = folder.rpartition("/")[0]
    return folders


def _removed(remove: Callable[[str], None], path: str) -> bool:
    try:
        remove(path)
    except OSError:
        return False
    return True


def _swap_and_keep(staging: Staging, out: Path, keep: Path | None) -> bool:
    """Swap the staged tree in; keep the tree it replaces in ``keep`` with its manifest.
    True when the staged folder now holds that kept tree."""
    if keep is None:
        _swap_in(staging.path, out)
        return False
    kept_manifest, out_manifest = _manifests(keep)
    old_files = staging.last
    exchanged = _swap_in(staging.path, out)
    _write_manifest(out_manifest, out, out, staging.written, staging.keys)
    if not exchanged or old_files is None:
        return False
    if staging.path != keep:
        try:
            os.rename(staging.path, keep)
        except OSError:
            return False
    _write_manifest(kept_manifest, out, keep, old_files)
    return True


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
