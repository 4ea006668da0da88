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


# ------------------------------------------------------------------ a kept tree
def stats(root: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(root).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in root.rglob("*") if p.is_file()}


def test_a_kept_tree_takes_only_the_files_that_changed_and_gives_the_same_tree(tmp_path):
    out, keep = tmp_path / "site", tmp_path / "cache" / "kept"
    versions = [
        {"index.html": b"1", "briefs/a/index.html": b"a", "briefs/b/index.html": b"b", "gone/x.html": b"x"},
        {"index.html": b"2", "briefs/a/index.html": b"a", "briefs/b/index.html": b"b2"},
        {"index.html": b"3", "briefs/a/index.html": b"a", "briefs/b/index.html": b"b2", "new.html": b"n"},
        {"index.html": b"3", "briefs/a/index.html": b"a", "briefs/b/index.html": b"b2", "new.html": b"n"},
    ]
    seen = []
    for outputs in versions:
        write_site(out, outputs, keep=keep)
        assert tree(out) == outputs
        seen.append(stats(out))
    assert keep.is_dir() and sorted(os.listdir(tmp_path)) == ["cache", "site"]
    assert not (out / "gone").exists()             # a folder left empty is removed
    # unchanged through two builds: the file the kept tree held was not written again
    assert seen[3]["briefs/a/index.html"] == seen[1]["briefs/a/index.html"]
    assert seen[3]["briefs/b/index.html"] == seen[1]["briefs/b/index.html"]
    assert seen[2]["index.html"] != seen[0]["index.html"]


def test_a_kept_file_changed_by_hand_is_written_again(tmp_path):
    out, keep = tmp_path / "site", tmp_path / "kept"
    outputs = {"index.html": b"same", "a.html": b"a"}
    write_site(out, outputs, keep=keep)
    write_site(out, outputs, keep=keep)
    (keep / "index.html").write_bytes(b"changed by hand")
    (keep / "a.html").unlink()
    write_site(out, outputs, keep=keep)
    assert tree(out) == outputs


def test_a_kept_tree_without_its_manifest_is_removed_not_reused(tmp_path):
    out, keep = tmp_path / "site", tmp_path / "kept"
    write_site(out, {"index.html": b"1"}, keep=keep)
    write_site(out, {"index.html": b"2"}, keep=keep)
    (keep / "stray.html").write_bytes(b"left by a killed build")
    os.unlink(tmp_path / "kept.json")        # a killed build had taken it
    write_site(out, {"index.html": b"3"}, keep=keep)
    assert tree(out) == {"index.html": b"3"}
    assert tree(keep) == {"index.html": b"2"}   # the tree replaced now, kept afresh


def test_a_kept_tree_where_files_become_folders_and_folders_files(tmp_path):
    out, keep = tmp_path / "site", tmp_path / "kept"
    versions = [{"a": b"file", "b/index.html": b"x"}, {"c": b"c"}, {"a/index.html": b"y", "b": b"file"}]
    for outputs in versions:
        write_site(out, outputs, keep=keep)
        assert tree(out) == outputs


def test_a_failed_build_into_a_kept_tree_leaves_the_site_and_the_next_build_whole(tmp_path):
    out, keep = tmp_path / "site", tmp_path / "kept"
    write_site(out, {"index.html": b"1"}, keep=keep)
    write_site(out, {"index.html": b"2", "x.html": b"x"}, keep=keep)
    with pytest.raises(BriefgenError):
        write_site(out, {"index.html": b"3", "../evil.html": b"e"}, keep=keep)
    assert tree(out) == {"index.html": b"2", "x.html": b"x"}
    write_site(out, {"index.html": b"4"}, keep=keep)
    assert tree(out) == {"index.html": b"4"}
    assert sorted(os.listdir(tmp_path)) == ["kept", "kept.json", "kept.output.json", "site"]


def test_a_kept_tree_for_another_output_is_not_used(tmp_path):
    keep = tmp_path / "kept"
    write_site(tmp_path / "one", {"index.html": b"1"}, keep=keep)
    write_site(tmp_path / "one", {"index.html": b"2"}, keep=keep)
    write_site(tmp_path / "two", {"other.html": b"o"}, keep=keep)
    assert tree(tmp_path / "two") == {"other.html": b"o"}


def test_a_file_put_in_the_output_by_hand_does_not_survive_in_a_kept_tree(tmp_path):
    out, keep = tmp_path / "site", tmp_path / "kept"
    outputs = {"index.html": b"1", "briefs/a/index.html": b"a"}
    write_site(out, outputs, keep=keep)
    (out / "CNAME").write_text("briefs.example.org")
    (out / "stray").mkdir()
    (out / "stray" / "page.html").write_text("x")
    write_site(out, outputs, keep=keep)          # that tree is now the kept one
    write_site(out, outputs, keep=keep)          # and is written into
    assert tree(out) == outputs and not (out / "stray").exists()
