"""The up-to-date check: what changes the stamp, and what the record keeps."""

from __future__ import annotations

import os
from pathlib import Path

from briefgen import stamp
from briefgen.diagnostics import Location, warning


def make_site(root: Path) -> Path:
    (root / "briefs").mkdir(parents=True)
    (root / "citations").mkdir()
    (root / "briefs" / "a.md").write_text("---\ntitle: A\ndate: 2024-05-24\n---\nText.\n")
    (root / "citations" / "s.yaml").write_text("s:\n  url: https://e.org/x\n")
    (root / "briefgen.yaml").write_text("title: T\n")
    return root


def test_the_stamp_changes_with_every_input_and_option(tmp_path):
    root = make_site(tmp_path)
    out = root / "site"
    first = stamp.take(root, out, strict=False)
    assert stamp.take(root, out, strict=False) == first
    assert stamp.take(root, out, strict=True).options != first.options
    assert stamp.take(root, root / "elsewhere", strict=False).options != first.options
    changes = [
        lambda: (root / "briefs" / "a.md").write_text("---\ntitle: A\ndate: 2024-05-24\n---\nText!\n"),
        lambda: (root / "briefs" / "b.md").write_text("new"),
        lambda: os.utime(root / "citations" / "s.yaml", ns=(1, 1)),
        lambda: (root / "briefgen.yaml").unlink(),
        lambda: (root / "templates").mkdir() or (root / "templates" / "brief.html").write_text("x"),
    ]
    seen = {first.inputs}
    for change in changes:
        change()
        now = stamp.take(root, out, strict=False).inputs
        assert now not in seen
        seen.add(now)


def test_the_output_folder_is_known_by_its_identity(tmp_path):
    root = make_site(tmp_path)
    assert stamp.take(root, root / "site", strict=False).output == ()
    (root / "site").mkdir()
    there = stamp.take(root, root / "site", strict=False).output
    os.rename(root / "site", root / "old")
    (root / "site").mkdir()
    assert stamp.take(root, root / "site", strict=False).output not in ((), there)


def test_a_record_round_trips_and_a_damaged_one_counts_as_none(tmp_path):
    root = make_site(tmp_path)
    diagnostic = warning("note.unreferenced", Location("briefs/a.md", 7, 1), "note 3 is never referenced", "cite it")
    recorded = stamp.Recorded(stamp.take(root, root / "site", strict=False), (1, 2, 9), (diagnostic,))
    stamp.save(root, recorded)
    assert stamp.load(root) == recorded
    (root / stamp.CACHE_DIR / stamp.STAMP_FILE).write_text("{not json")
    assert stamp.load(root) is None


def test_a_linked_folder_inside_is_not_walked(tmp_path):
    root = make_site(tmp_path)
    out = root / "site"
    first = stamp.take(root, out, strict=False)
    (root / "briefs" / "loop").symlink_to("..")
    (root / "site").mkdir()
    (root / "site" / "index.html").write_text("built")
    linked = stamp.take(root, out, strict=False)
    (root / "site" / "index.html").write_text("built again, later")
    assert stamp.take(root, out, strict=False).inputs == linked.inputs == first.inputs
