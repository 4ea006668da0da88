import os
from pathlib import Path

import pytest

from briefgen.diagnostics import BriefgenError
from briefgen.write import build_lock, confined, write_site


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_writes_the_whole_tree_and_removes_stale_files(tmp_path):
    out = tmp_path / "site"
    write_site(out, {"index.html": b"a", "briefs/x/index.html": b"b"})
    write_site(out, {"index.html": b"c"})
    assert tree(out) == {"index.html": b"c"}
    assert sorted(os.listdir(tmp_path)) == ["site"]


def test_a_path_outside_the_output_is_refused_and_the_old_site_stays(tmp_path):
    out = tmp_path / "site"
    write_site(out, {"index.html": b"old"})
    for bad in ("../evil.html", "/etc/passwd", "a/../../evil"):
        with pytest.raises(BriefgenError):
            write_site(out, {"index.html": b"new", bad: b"x"})
    assert tree(out) == {"index.html": b"old"}
    assert not (tmp_path / "evil.html").exists()
    assert sorted(os.listdir(tmp_path)) == ["site"]


def test_confined_checks_resolved_paths(tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "link").symlink_to(tmp_path)
    with pytest.raises(BriefgenError):
        confined(tmp_path / "out", "link/escape.html")
    assert confined(tmp_path / "out", "a/b.html") == (tmp_path / "out" / "a" / "b.html").resolve()


def test_leftovers_of_a_killed_build_are_removed(tmp_path):
    out = tmp_path / "site"
    (tmp_path / ".site.new-999").mkdir()
    (tmp_path / ".site.new-999" / "half.html").write_text("x")
    write_site(out, {"index.html": b"a"})
    assert sorted(os.listdir(tmp_path)) == ["site"]


def test_a_second_build_is_refused_while_one_holds_the_lock(tmp_path):
    out = tmp_path / "site"
    with build_lock(out):
        with pytest.raises(BriefgenError) as info:
            with build_lock(out):
                pass
    assert info.value.diagnostics[0].code == "write.locked"
    with build_lock(out):
        pass
