"""The search stage: Pagefind's bundle for the brief pages, byte-stable across runs."""

from __future__ import annotations

import asyncio
import gzip
import threading

from briefgen.search import index_search, is_complete, is_searchable, settled_bundle
from briefgen.search_bundle import _decode, _encode, stable_bundle

PAGE = """<!DOCTYPE html><html lang="en"><head><title>{title}</title></head><body>
<article data-pagefind-body><h1>{title}</h1>
<ul>{authors}</ul><p data-pagefind-filter="series">Daily Assessment</p>
<p>{text}</p></article></body></html>"""


def outputs() -> dict[str, bytes]:
    pages = {}
    for n, (title, text) in enumerate([("Ceasefire talk", "Kremlin feigns interest in a ceasefire."),
                                       ("Kharkiv front", "Russian forces opened a new front near Kharkiv."),
                                       ("Budapest memorandum", "Russia committed to respect sovereignty.")]):
        authors = "".join(f'<li data-pagefind-filter="author">{a}</li>' for a in ("Ann Lee", "Bo Diaz", f"Cy {n}"))
        pages[f"briefs/b{n}/index.html"] = PAGE.format(title=title, text=text, authors=authors).encode()
    pages["index.html"] = b"<!DOCTYPE html><html lang='en'><body><p>home</p></body></html>"
    return pages


def test_only_brief_pages_are_searchable():
    assert [is_searchable(p) for p in ("briefs/a/index.html", "briefs/a/cite.bib", "sources/x/index.html",
                                       "index.html", "briefs/index.html")] == [True, False, False, False, False]


def test_the_bundle_is_added_under_pagefind_and_keeps_the_outputs():
    given = outputs()
    result = index_search(given)
    assert {k: v for k, v in result.items() if not k.startswith("pagefind/")} == given
    names = sorted(k for k in result if k.startswith("pagefind/"))
    assert "pagefind/pagefind-ui.js" in names and "pagefind/pagefind-entry.json" in names
    assert sum(n.startswith("pagefind/filter/") for n in names) == 2
    assert sum(n.startswith("pagefind/fragment/") for n in names) == 3
    assert not any("component-ui" in n or "modular-ui" in n for n in names)


def test_two_runs_give_the_same_bytes():
    first, second = index_search(outputs()), index_search(outputs())
    assert sorted(first) == sorted(second)
    assert [k for k in first if first[k] != second[k]] == []


def test_filter_values_are_sorted_and_files_renamed_by_content():
    shuffled = _encode(["author", [["Cy 0", [0]], ["Ann Lee", [2, 0, 1]], ["Bo Diaz", [0, 1, 2]]]])
    meta = _encode(["1.5.2", [["en_idx", 9]], [["author", "en_old"]]])
    files = {"filter/en_old.pf_filter": shuffled, "pagefind.en_1234567890.pf_meta": meta,
             "pagefind-entry.json": b'{"version":"1.5.2","languages":{"en":{"hash":"en_1234567890","wasm":"en"}}}'}
    stable = stable_bundle(files)
    [filter_name] = [k for k in stable if k.startswith("filter/")]
    assert _decode(stable[filter_name]) == ["author", [["Ann Lee", [0, 1, 2]], ["Bo Diaz", [0, 1, 2]], ["Cy 0", [0]]]]
    [meta_name] = [k for k in stable if k.endswith(".pf_meta")]
    new_filter = filter_name.removeprefix("filter/").removesuffix(".pf_filter")
    assert _decode(stable[meta_name]) == ["1.5.2", [["en_idx", 9]], [["author", new_filter]]]
    assert meta_name.removeprefix("pagefind.").removesuffix(".pf_meta").encode() in stable["pagefind-entry.json"]
    assert gzip.decompress(stable[filter_name]).startswith(b"pagefind_dcd")


def complete_bundle() -> dict[str, bytes]:
    return {"pagefind-entry.json": b'{"version":"1","languages":{"en":{"hash":"en_1","page_count":1}}}',
            "pagefind.en_1.pf_meta": gzip.compress(b"pagefind_dcd\x80"),
            "pagefind.js": b"export {}"}


def test_a_bundle_is_complete_only_when_every_file_is_whole():
    assert is_complete(complete_bundle())
    unfinished = {**complete_bundle(), "pagefind-entry.json": b""}
    truncated = {**complete_bundle(), "pagefind.en_1.pf_meta": gzip.compress(b"pagefind_dcd\x80" * 50)[:-6]}
    empty_script = {**complete_bundle(), "pagefind.js": b""}
    missing_meta = {k: v for k, v in complete_bundle().items() if not k.endswith(".pf_meta")}
    assert [is_complete(b) for b in (unfinished, truncated, empty_script, missing_meta)] == [False] * 4


def test_the_bundle_is_read_once_the_indexer_s_last_write_has_landed(tmp_path):
    files = complete_bundle()
    for name, data in files.items():
        (tmp_path / name).write_bytes(b"" if name == "pagefind-entry.json" else data)
    late = threading.Timer(0.2, (tmp_path / "pagefind-entry.json").write_bytes, [files["pagefind-entry.json"]])
    late.start()
    try:
        assert asyncio.run(settled_bundle(tmp_path)) == files
    finally:
        late.join()
