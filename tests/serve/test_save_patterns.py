"""Editors' save patterns against a `briefgen serve` subprocess: each one gives exactly one
rebuild, misses nothing, and leaves the same output as a clean build."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Iterator

import pytest

from tests.serve.support import ServeProcess, clean_digest, clean_outputs, strip_injected

BRIEF = "briefs/2024-05-24-negotiations.md"
PAGE = "/briefs/2024-05-24-negotiations/"
OLD = "Why Putin Remains Uninterested"


def write_in_place(path: Path, text: str) -> None:
    path.write_bytes(text.encode("utf-8"))   # one write() call, as an editor saving in place


def temp_and_rename(path: Path, text: str) -> None:
    temp = path.with_name(f".{path.name}.tmp1234")
    temp.write_bytes(text.encode("utf-8"))
    os.replace(temp, path)


def vim(path: Path, text: str) -> None:
    """Vim with 'backupcopy=no': probe file, swap file, rename to file~, write anew, delete file~."""
    probe = path.with_name("4913")
    probe.write_bytes(b"")
    probe.unlink()
    swap = path.with_name(f".{path.name}.swp")
    swap.write_bytes(b"b0VIM 9.0")
    backup = path.with_name(path.name + "~")
    os.rename(path, backup)
    path.write_bytes(text.encode("utf-8"))
    backup.unlink()
    swap.unlink()


def emacs(path: Path, text: str) -> None:
    """Emacs: the .#file lock symlink, the #file# auto-save, the file~ backup, then the save."""
    lock = path.with_name(".#" + path.name)
    os.symlink("analyst@host.1234:1700000000", lock)
    autosave = path.with_name(f"#{path.name}#")
    autosave.write_bytes(text.encode("utf-8"))
    backup = path.with_name(path.name + "~")
    backup.write_bytes(path.read_bytes())
    path.write_bytes(text.encode("utf-8"))
    autosave.unlink()
    lock.unlink()


def burst(path: Path, text: str) -> None:
    """50 writes within about 200 ms, the last one the real content."""
    for i in range(49):
        path.write_bytes((text.replace(OLD, f"Draft {i}", 1)).encode("utf-8"))
        os.sched_yield()
    path.write_bytes(text.encode("utf-8"))


PATTERNS: dict[str, Callable[[Path, str], None]] = {
    "in-place": write_in_place, "temp-rename": temp_and_rename, "vim": vim, "emacs": emacs, "burst": burst,
}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, repo: Path) -> Iterator[tuple[ServeProcess, Path]]:
    import shutil

    root = tmp_path_factory.mktemp("patterns") / "site"
    root.mkdir()
    for name in ("briefs", "citations"):
        shutil.copytree(repo / name, root / name)
    shutil.copy(repo / "briefgen.yaml", root / "briefgen.yaml")
    server = ServeProcess(root)
    yield server, root
    assert server.stop() == 0


@pytest.mark.parametrize("name", list(PATTERNS))
def test_pattern_gives_exactly_one_rebuild(served: tuple[ServeProcess, Path], name: str) -> None:
    server, root = served
    before = server.status()["rebuilds"]
    path = root / BRIEF
    marker = f"Saved by {name}"
    PATTERNS[name](path, path.read_text(encoding="utf-8").replace(OLD, f"{marker} {OLD}", 1))
    server.wait_page(PAGE, marker)
    assert server.status()["rebuilds"] == before + 1
    # a barrier: one more edit elsewhere; any late rebuild of the pattern would come before it
    (root / "citations" / "sources.yaml").write_bytes((
        (root / "citations" / "sources.yaml").read_text() + f"\n# {name}\n").encode("utf-8"))
    status = server.wait_status(lambda s: s["rebuilds"] >= before + 2)
    assert status["rebuilds"] == before + 2
    assert server.status(digest=True)["digest"] == clean_digest(root)
    restore = path.read_text(encoding="utf-8").replace(f"{marker} ", "", 1)
    path.write_bytes(restore.encode("utf-8"))
    server.wait_status(lambda s: s["rebuilds"] >= before + 3)


def test_every_page_served_equals_a_clean_build(served: tuple[ServeProcess, Path]) -> None:
    server, root = served
    expected = clean_outputs(root)
    assert server.status(digest=True)["digest"] == clean_digest(root)
    for path, data in expected.items():
        url = "/" + path.removesuffix("index.html")
        code, body = server.get(url)
        assert code == 200, url
        text = data.decode("utf-8")
        assert (strip_injected(body) if path.endswith(".html") else body) == text, url
        if path.endswith(".html"):
            assert body != text   # the live-reload script was added in serve mode only
            assert "/__briefgen/" not in text


def test_output_folder_is_ignored(served: tuple[ServeProcess, Path]) -> None:
    server, root = served
    before = server.status()["rebuilds"]
    (root / "site" / "briefs").mkdir(parents=True, exist_ok=True)
    (root / "site" / "briefs" / "x.md").write_bytes(("---\ntitle: x\n---\n").encode("utf-8"))
    (root / "briefs" / "notes.txt").write_bytes(("not a brief").encode("utf-8"))
    # a real edit afterwards: it must be the only rebuild
    path = root / BRIEF
    path.write_bytes((path.read_text(encoding="utf-8").replace(OLD, "Output ignored " + OLD, 1)).encode("utf-8"))
    server.wait_page(PAGE, "Output ignored")
    assert server.status()["rebuilds"] == before + 1
    path.write_bytes((path.read_text(encoding="utf-8").replace("Output ignored ", "", 1)).encode("utf-8"))
    server.wait_status(lambda s: s["rebuilds"] >= before + 2)


def test_poll_mode_sees_an_edit(tmp_path: Path, example_site: Path) -> None:
    server = ServeProcess(example_site, "--poll")
    try:
        before = server.status()["rebuilds"]
        temp_and_rename(example_site / BRIEF,
                        (example_site / BRIEF).read_text(encoding="utf-8").replace(OLD, "Polled " + OLD, 1))
        server.wait_page(PAGE, "Polled ")
        (example_site / "briefgen.yaml").write_bytes((
            (example_site / "briefgen.yaml").read_text() + "\n# barrier\n").encode("utf-8"))
        assert server.wait_status(lambda s: s["rebuilds"] >= before + 2)["rebuilds"] == before + 2
    finally:
        assert server.stop() == 0
