"""The search stage: Pagefind's bundle for the brief pages, byte-stable across runs."""

from __future__ import annotations

import base64
import gzip
import io
import json
import shutil
from pathlib import Path

import pytest

from briefgen.diagnostics import BriefgenError
from briefgen.search import digest_of as search_digest
from briefgen.search import (IndexerError, answers, bundle_from, index_search, is_complete, is_searchable, requests,
                             search_files)
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


def frames(*answers: dict) -> bytes:
    return b"".join(base64.b64encode(json.dumps(a).encode()) + b"," for a in answers)


class Trickle(io.RawIOBase):
    """A pipe that hands out its bytes a few at a time, as a real pipe may."""

    def __init__(self, data: bytes, step: int):
        self.data, self.step = data, step

    def readable(self):
        return True

    def read1(self, size=-1):
        chunk, self.data = self.data[:self.step], self.data[self.step:]
        return chunk


def test_answers_are_split_at_commas_however_the_pipe_cuts_them():
    big = {"message_id": 3, "payload": {"type": "GetFiles", "files": [{"path": "a", "content": "x" * 5000}]}}
    data = frames({"message_id": 1, "payload": {"type": "NewIndex", "index_id": 0}}, big)
    for step in (1, 7, 4096, len(data)):
        replies = answers(Trickle(data, step))
        assert [next(replies), next(replies)] == [{"message_id": 1, "payload": {"type": "NewIndex", "index_id": 0}}, big]
        with pytest.raises(EOFError):
            next(replies)


def test_requests_are_one_message_a_page_in_order_between_a_new_index_and_the_files():
    sent = [json.loads(base64.b64decode(m[:-1])) for m in requests([("briefs/b/index.html", "<p>é</p>".encode())])]
    assert [(m["message_id"], m["payload"]["type"]) for m in sent] == [(1, "NewIndex"), (2, "AddFile"), (3, "GetFiles")]
    assert sent[1]["payload"]["file_contents"] == "<p>é</p>" and sent[1]["payload"]["file_path"] == "briefs/b/index.html"
    assert sent[0]["payload"]["config"] == {"keep_index_url": False, "write_playground": False}


def test_an_error_or_a_missing_answer_from_the_indexer_is_refused():
    files = [{"path": k, "content": base64.b64encode(v).decode()} for k, v in complete_bundle().items()]
    ok = [{"message_id": 1, "payload": {"type": "NewIndex"}}, {"message_id": 2, "payload": {"type": "IndexedFile"}},
          {"message_id": 3, "payload": {"type": "GetFiles", "files": files}}]
    assert bundle_from(iter(ok)) == complete_bundle()
    refused = [ok[0], {"message_id": 2, "payload": {"type": "Error", "message": "Failed to add file"}}]
    with pytest.raises(IndexerError, match="Failed to add file"):
        bundle_from(iter(refused))
    with pytest.raises(IndexerError, match="answered message 3, not 2"):
        bundle_from(iter([ok[0], ok[2]]))
    unfinished = [ok[0], ok[1], {"message_id": 3, "payload": {"type": "GetFiles", "files": files[1:]}}]
    with pytest.raises(IndexerError, match="incomplete"):
        bundle_from(iter(unfinished))
    with pytest.raises(EOFError):
        bundle_from(iter(ok[:2]))


def test_an_indexer_that_stops_early_is_a_diagnostic_not_a_hang(monkeypatch):
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", shutil.which("false"))
    with pytest.raises(BriefgenError) as caught:
        index_search(outputs())
    [diagnostic] = caught.value.diagnostics
    assert diagnostic.code == "search.index" and diagnostic.message.endswith("the indexer stopped")


def pagefind_children() -> list[str]:
    """Pagefind processes that are children of this one."""
    pids = [pid for task in Path("/proc/self/task").iterdir()
            for pid in (task / "children").read_text().split()]
    names = []
    for pid in pids:
        try:
            names.append(Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0].decode())
        except OSError:
            pass
    return [n for n in names if "pagefind" in n]


def test_pages_are_streamed_and_the_bundle_equals_the_one_from_all_pages_at_once():
    given = outputs()
    taken = []

    def render():
        for path, html in sorted(given.items()):
            taken.append(path)
            yield path, html

    streamed = search_files(render())
    assert taken == sorted(given)
    assert streamed == {k: v for k, v in index_search(given).items() if k.startswith("pagefind/")}
    assert pagefind_children() == []


def test_an_error_while_making_the_pages_passes_through_and_ends_the_indexer():
    def failing():
        yield "briefs/b0/index.html", outputs()["briefs/b0/index.html"]
        raise KeyError("a template failed")

    with pytest.raises(KeyError, match="a template failed"):
        search_files(failing())
    assert pagefind_children() == []


def test_pages_out_of_path_order_are_refused():
    pages = sorted(outputs().items(), reverse=True)
    with pytest.raises(ValueError, match="out of order"):
        search_files(pages)
    assert pagefind_children() == []


def test_a_site_without_briefs_still_gets_the_search_interface():
    result = index_search({"index.html": b"<!DOCTYPE html><html lang='en'><body><p>home</p></body></html>"})
    assert sorted(result) == ["index.html", "pagefind/pagefind-entry.json", "pagefind/pagefind-ui.css",
                              "pagefind/pagefind-ui.js", "pagefind/pagefind-worker.js", "pagefind/pagefind.js",
                              "pagefind/shards.json", "pagefind/wasm.unknown.pagefind"]


def _no_indexer(*_args, **_kwargs):
    raise AssertionError("Pagefind ran")


def known(pages):
    """Searchable pages as a build without page keys hands them over."""
    return [(path, search_digest(html), html, None) for path, html in pages]


def test_the_last_bundle_is_reused_when_every_page_is_the_same(monkeypatch):
    import briefgen.search as search

    pages = sorted(outputs().items())
    first = search.indexed(known(pages))
    assert first.bundle == search_files(pages) and [p for p, _ in first.pages] == [
        "briefs/b0/index.html", "briefs/b1/index.html", "briefs/b2/index.html"]
    monkeypatch.setattr(search, "run_to_completion", _no_indexer)
    ran = []
    again = search.indexed(iter(known(pages)), meanwhile=lambda: ran.append(True), last=first)
    assert again == first and ran == [True]


@pytest.mark.parametrize("change", ["edit", "add", "remove", "rename"])
def test_any_page_that_differs_from_the_last_bundle_runs_pagefind_on_every_page(change):
    import briefgen.search as search

    pages = outputs()
    first = search.indexed(known(sorted(pages.items())))
    if change == "edit":
        pages["briefs/b1/index.html"] = pages["briefs/b1/index.html"].replace(b"new front", b"second front")
    elif change == "add":
        pages["briefs/b3/index.html"] = pages["briefs/b0/index.html"]
    elif change == "remove":
        del pages["briefs/b2/index.html"]
    else:
        pages["briefs/b9/index.html"] = pages.pop("briefs/b2/index.html")
    fresh = search_files(sorted(pages.items()))
    again = search.indexed(known(sorted(pages.items())), last=first)
    assert again.bundle == fresh != first.bundle
    assert again == search.indexed(known(sorted(pages.items())))


def test_pages_not_rendered_again_are_rendered_only_when_their_shard_is_indexed_again(monkeypatch):
    import briefgen.search as search

    pages = {path: html for path, html in sorted(outputs().items()) if is_searchable(path)}
    keyed = [(path, search_digest(html), html, f"key {n}") for n, (path, html) in enumerate(pages.items())]
    first = search.indexed(keyed)
    assert first.bundle == search_files(pages.items())
    assert first.digests() == {(path, key): digest for path, digest, _, key in keyed}
    asked = []

    def render(path: str) -> bytes:
        asked.append(path)
        return pages[path]

    edited = pages["briefs/b1/index.html"] = pages["briefs/b1/index.html"].replace(b"new front", b"second front")
    unchanged = [(path, digest, None, key) for path, digest, _, key in keyed]   # as a rebuild hands them over
    unchanged[1] = ("briefs/b1/index.html", search_digest(edited), edited, "key 1, edited")
    again = search.indexed(unchanged, last=first, render=render)
    assert again.bundle == search_files(pages.items()) != first.bundle
    assert asked == ["briefs/b0/index.html", "briefs/b2/index.html"]   # the others of its shard
    asked.clear()
    monkeypatch.setattr(search, "run_to_completion", _no_indexer)
    assert search.indexed(unchanged, last=again, render=render) == again and asked == []


def test_the_search_cache_keeps_a_bundle_for_this_briefgen_and_pagefind_only(tmp_path, monkeypatch):
    from briefgen import search_cache
    from briefgen.search import indexed

    done = indexed(known(sorted(outputs().items())))
    assert search_cache.load(tmp_path) is None
    search_cache.save(tmp_path, done)
    assert search_cache.load(tmp_path) == done
    monkeypatch.setattr(search_cache, "_identity", lambda: (b"another", "0"))
    assert search_cache.load(tmp_path) is None
    (tmp_path / search_cache.FILE).write_bytes(b"damaged")
    monkeypatch.undo()
    assert search_cache.load(tmp_path) is None
