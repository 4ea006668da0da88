"""The read stage: the only reader of a site's folder (briefs/, citations/, templates/).

Everything is read into memory as ``InputFile``s in a stable (sorted) order; the
stages after this one never touch the disk.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from briefgen.config import CONFIG_FILE
from briefgen.diagnostics import Diagnostic, Location, error
from briefgen.model import InputFile

THEME_DIR = Path(__file__).parent / "theme"
BRIEF_SUFFIXES = (".md", ".markdown")
REGISTRY_SUFFIXES = (".yaml", ".yml", ".bib")
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_LINE_CHARS = 1_000_000  # a longer line is refused: no brief needs one, and parsers slow down


@dataclass(frozen=True)
class SiteFiles:
    config: InputFile | None
    briefs: tuple[InputFile, ...]
    registries: tuple[InputFile, ...]
    templates: tuple[InputFile, ...]      # theme templates, overridden by the site's
    assets: tuple[tuple[str, bytes], ...]  # theme assets (output path, bytes)


class ReadCache:
    """The files of earlier reads (``briefgen serve`` reads the site on every save): a file
    whose size, inode, modification and change times are the same is not read again, unless
    it changed within the last seconds, when a second write could keep all four."""

    SETTLED_AFTER = 2.0   # seconds

    def __init__(self) -> None:
        self._files: dict[Path, tuple[tuple[int, int, int, int], InputFile]] = {}
        self._asked: set[Path] = set()

    def get(self, path: Path) -> tuple[tuple[int, int, int, int] | None, InputFile | None]:
        self._asked.add(path)
        try:
            found = path.stat()
        except OSError:
            return None, None
        signature = (found.st_size, found.st_ino, found.st_mtime_ns, found.st_ctime_ns)
        if time.time() - max(found.st_mtime, found.st_ctime) < self.SETTLED_AFTER:
            return None, None
        known = self._files.get(path)
        return signature, (known[1] if known and known[0] == signature else None)

    def put(self, path: Path, signature: tuple[int, int, int, int] | None, file: InputFile) -> None:
        if signature is not None:
            self._files[path] = (signature, file)

    def forget_unasked(self) -> None:
        """Drop the files not asked for since the last call (deleted or renamed ones: a long
        ``serve`` session keeps only the files the site still has)."""
        self._files = {path: known for path, known in self._files.items() if path in self._asked}
        self._asked = set()


def read_site(root: Path, cache: ReadCache | None = None) -> tuple[SiteFiles, list[Diagnostic]]:
    """``cache``: files of earlier reads of this site, reused while unchanged."""
    diagnostics: list[Diagnostic] = []
    config_path = root / CONFIG_FILE
    config = _read_text(root, config_path, diagnostics) if config_path.is_file() else None
    briefs = _read_tree(root, "briefs", BRIEF_SUFFIXES, diagnostics, cache)
    registries = _read_tree(root, "citations", REGISTRY_SUFFIXES, diagnostics, cache)
    templates = _read_templates(root, diagnostics)
    assets = tuple(_read_assets(THEME_DIR / "assets"))
    if cache is not None:
        cache.forget_unasked()
    return SiteFiles(config, tuple(briefs), tuple(registries), templates, assets), diagnostics


def _read_tree(root: Path, folder: str, suffixes: tuple[str, ...],
               diagnostics: list[Diagnostic], cache: ReadCache | None = None) -> list[InputFile]:
    base = root / folder
    if not base.is_dir():
        return []
    files, resolved = [], base.resolve()
    for path in sorted(base.rglob("*"), key=lambda p: p.relative_to(base).as_posix()):
        if path.suffix.lower() not in suffixes or path.name.startswith("."):
            continue
        if not _inside(base, resolved, path, root, diagnostics) or not path.is_file():
            continue
        signature, file = cache.get(path) if cache is not None else (None, None)
        if file is None:
            file = _read_text(root, path, diagnostics)
            if file is not None and cache is not None:
                cache.put(path, signature, file)
        if file is not None:
            files.append(file)
    return files


def _inside(base: Path, resolved: Path, path: Path, root: Path, diagnostics: list[Diagnostic]) -> bool:
    """A symlink that leads out of its folder (``base``, which resolves to ``resolved``) is
    refused, never followed."""
    try:
        path.resolve().relative_to(resolved)
        return True
    except ValueError:
        rel = _relative(root, path)
        diagnostics.append(error(
            "read.outside", Location(rel), f"{rel} leads outside {base.name}/ (a symbolic link?)",
            f"move the file itself into {base.name}/ instead of linking to it",
        ))
        return False


def _read_text(root: Path, path: Path, diagnostics: list[Diagnostic]) -> InputFile | None:
    rel = _relative(root, path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        diagnostics.append(error("read.io", Location(rel), f"cannot read {rel}: {exc.strerror}",
                                 "check the file's permissions"))
        return None
    if len(data) > MAX_FILE_BYTES:
        diagnostics.append(error("read.too-large", Location(rel),
                                 f"{rel} is larger than {MAX_FILE_BYTES // 2**20} MB",
                                 "split the file"))
        return None
    return _decode(rel, data, diagnostics)


def _decode(rel: str, data: bytes, diagnostics: list[Diagnostic]) -> InputFile | None:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        diagnostics.append(error(
            "read.encoding", Location(rel, line, column),
            f"{rel} is not UTF-8 (byte 0x{data[exc.start]:02x})",
            "save the file as UTF-8",
        ))
        return None
    if "\x00" in text:
        offset = text.index("\x00")
        line = text.count("\n", 0, offset) + 1
        diagnostics.append(error("read.binary", Location(rel, line, offset - text.rfind("\n", 0, offset)),
                                 f"{rel} contains a NUL character: is it a binary file?",
                                 "remove the file or the NUL character"))
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    too_long = _long_line(text)
    if too_long:
        diagnostics.append(error("read.long-line", Location(rel, too_long, MAX_LINE_CHARS + 1),
                                 f"line {too_long} of {rel} is longer than {MAX_LINE_CHARS:,} characters",
                                 "break the line; no brief or registry needs lines this long"))
        return None
    return InputFile(rel, text)


def _long_line(text: str) -> int:
    """The number of the first line longer than MAX_LINE_CHARS, or 0."""
    if len(text) <= MAX_LINE_CHARS:
        return 0
    for number, line in enumerate(text.split("\n"), start=1):
        if len(line) > MAX_LINE_CHARS:
            return number
    return 0


def _read_templates(root: Path, diagnostics: list[Diagnostic]) -> tuple[InputFile, ...]:
    theme = {f.path: f for f in _templates_in(THEME_DIR / "templates", diagnostics)}
    site = {f.path: f for f in _templates_in(root / "templates", diagnostics)}
    merged = {**theme, **site}
    return tuple(merged[name] for name in sorted(merged))


def _templates_in(folder: Path, diagnostics: list[Diagnostic]) -> list[InputFile]:
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.rglob("*"), key=lambda p: p.relative_to(folder).as_posix()):
        if path.is_file() and not path.name.startswith(".") and path.suffix in (".html", ".xml", ".txt", ".bib", ".ris", ".json"):
            file = _read_text(folder, path, diagnostics)
            if file is not None:
                found.append(file)
    return found


def _read_assets(folder: Path) -> list[tuple[str, bytes]]:
    if not folder.is_dir():
        return []
    return [
        ("assets/" + path.relative_to(folder).as_posix(), path.read_bytes())
        for path in sorted(folder.rglob("*"), key=lambda p: p.relative_to(folder).as_posix())
        if path.is_file() and not path.name.startswith(".")
    ]


def _relative(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
