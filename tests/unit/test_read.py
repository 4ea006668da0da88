import os

from briefgen.read import ReadCache, read_site


def test_reads_briefs_registry_and_config_in_sorted_order(tmp_path):
    (tmp_path / "briefs" / "sub").mkdir(parents=True)
    (tmp_path / "briefs" / "b.md").write_text("b", encoding="utf-8")
    (tmp_path / "briefs" / "sub" / "a.md").write_text("a\r\nb", encoding="utf-8")
    (tmp_path / "briefs" / "notes.txt").write_text("ignored")
    (tmp_path / "citations").mkdir()
    (tmp_path / "citations" / "x.yaml").write_text("{}")
    (tmp_path / "citations" / "y.bib").write_text("")
    (tmp_path / "briefgen.yaml").write_text("title: T")
    files, diags = read_site(tmp_path)
    assert diags == []
    assert [f.path for f in files.briefs] == ["briefs/b.md", "briefs/sub/a.md"]
    assert files.briefs[1].text == "a\nb"
    assert [f.path for f in files.registries] == ["citations/x.yaml", "citations/y.bib"]
    assert files.config.text == "title: T"
    assert "brief.html" in [t.path for t in files.templates]
    assert ("assets/style.css" in dict(files.assets))


def test_site_templates_override_the_theme(tmp_path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "index.html").write_text("mine")
    files, _ = read_site(tmp_path)
    assert {t.path: t.text for t in files.templates}["index.html"] == "mine"


def test_bom_is_dropped_and_bad_bytes_are_diagnosed(tmp_path):
    (tmp_path / "briefs").mkdir()
    (tmp_path / "briefs" / "bom.md").write_bytes("\ufeffhello".encode())
    (tmp_path / "briefs" / "latin.md").write_bytes(b"ok\ncaf\xe9")
    (tmp_path / "briefs" / "bin.md").write_bytes(b"a\x00b")
    files, diags = read_site(tmp_path)
    assert [f.text for f in files.briefs] == ["hello"]
    assert [(d.code, str(d.location)) for d in diags] == [
        ("read.binary", "briefs/bin.md:1:2"),
        ("read.encoding", "briefs/latin.md:2:4"),
    ]


def test_a_symlink_out_of_briefs_is_refused(tmp_path):
    (tmp_path / "briefs").mkdir()
    secret = tmp_path / "secret.md"
    secret.write_text("secret")
    (tmp_path / "briefs" / "link.md").symlink_to(secret)
    files, diags = read_site(tmp_path)
    assert files.briefs == ()
    assert [(d.code, d.location.path) for d in diags] == [("read.outside", "briefs/link.md")]


def test_the_read_cache_reuses_unchanged_files_and_reads_changed_ones(tmp_path):
    (tmp_path / "briefs").mkdir()
    brief = tmp_path / "briefs" / "a.md"
    brief.write_text("---\ntitle: A\ndate: 2024-05-24\n---\nOne.\n", encoding="utf-8")
    cache = ReadCache()
    cache.SETTLED_AFTER = 0.0   # trust times at once: here the file's signature alone decides
    first, _ = read_site(tmp_path, cache)
    again, _ = read_site(tmp_path, cache)
    assert again.briefs[0] is first.briefs[0]
    stat = brief.stat()
    brief.write_text("---\ntitle: A\ndate: 2024-05-24\n---\nTwo.\n", encoding="utf-8")   # same size
    os.utime(brief, ns=(stat.st_atime_ns, stat.st_mtime_ns))                            # same mtime
    changed, _ = read_site(tmp_path, cache)
    assert changed.briefs[0].text.endswith("Two.\n")


def test_the_read_cache_reads_a_file_changed_in_the_last_seconds_again(tmp_path):
    (tmp_path / "briefs").mkdir()
    brief = tmp_path / "briefs" / "a.md"
    brief.write_text("---\ntitle: A\ndate: 2024-05-24\n---\nOne.\n", encoding="utf-8")
    cache = ReadCache()
    first, _ = read_site(tmp_path, cache)
    again, _ = read_site(tmp_path, cache)
    assert again.briefs[0] == first.briefs[0] and again.briefs[0] is not first.briefs[0]


def test_the_read_cache_forgets_files_the_site_no_longer_has(tmp_path):
    (tmp_path / "briefs").mkdir()
    for name in ("a", "b"):
        (tmp_path / "briefs" / f"{name}.md").write_text(f"---\ntitle: {name}\ndate: 2024-05-24\n---\nOne.\n",
                                                       encoding="utf-8")
    cache = ReadCache()
    cache.SETTLED_AFTER = 0.0
    read_site(tmp_path, cache)
    assert len(cache._files) == 2
    (tmp_path / "briefs" / "b.md").unlink()
    after, _ = read_site(tmp_path, cache)
    assert [f.path for f in after.briefs] == ["briefs/a.md"]
    assert list(cache._files) == [tmp_path / "briefs" / "a.md"]
