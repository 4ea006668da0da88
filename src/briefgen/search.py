"""The search stage: rendered brief pages -> a Pagefind index under pagefind/.

Only brief pages are indexed (``briefs/<slug>/index.html``); their ``data-pagefind-*``
attributes (body, filters for series, author, tag and publisher) come from the theme.
Pagefind runs as a service (``pagefind --service``, from the ``pagefind[bin]`` package)
that reads requests on its standard input and answers on its standard output, each
message base64-encoded JSON followed by a comma. This stage sends it the pages of a shard
(a render streams them: only one shard's pages at a time are held here), then asks for the
bundle's files in its last answer (Pagefind's ``GetFiles``): nothing is written to disk,
and no file can be read back half-written. Only then is its input closed, and the
service ends by itself.

The client is here rather than Pagefind's Python API because that API waits a tenth of
a second before reading each answer (one answer per page: 20 s for 200 pages) and cannot
read an answer larger than 2 MiB (the bundle's files). Pagefind's filter files are not
byte-stable by themselves: search_bundle.py sorts them.

The index is made of shards of a few hundred pages (search_shards.py), one Pagefind run
each, one after the other: a rebuild runs Pagefind only for the shards whose pages changed,
and no run holds more than one shard's pages.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import subprocess
import threading
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import chain
from typing import IO

from briefgen import search_shards
from briefgen.diagnostics import BriefgenError, Location, error
from briefgen.search_bundle import stable_bundle

BUNDLE = "pagefind/"
_CONFIG = {"keep_index_url": False, "write_playground": False}
# Interfaces the theme does not load (it uses the default pagefind-ui.js).
_UNUSED = ("pagefind-component-ui.", "pagefind-modular-ui.", "pagefind-highlight.")
_READ = 1 << 20
_IN_FLIGHT = 4  # pages sent ahead of Pagefind's answers: it never waits, and queues little


class IndexerError(RuntimeError):
    """Pagefind could not be started, refused a request, or stopped before answering."""


def index_search(outputs: dict[str, bytes]) -> dict[str, bytes]:
    """``outputs`` plus the Pagefind files (``pagefind/...``) indexing every brief page."""
    return {**outputs, **search_files(sorted(outputs.items()))}


def search_files(pages: Iterable[tuple[str, bytes]], meanwhile: Callable[[], None] | None = None,
                 ) -> dict[str, bytes]:
    """The Pagefind files (``pagefind/...``) indexing the brief pages among ``pages``, which
    come in path order (a page that does not is refused); an error raised while producing
    the pages passes through unchanged. ``meanwhile`` runs once every page is sent, while
    Pagefind builds its files (a build renders its other pages then)."""
    return indexed(((path, digest_of(html), html, None) for path, html in pages), meanwhile).bundle


def digest_of(html: bytes) -> str:
    """What a page rendered for the indexer is known by when it has no key (page_keys.py)."""
    return hashlib.blake2b(html, digest_size=16).hexdigest()


# A searchable page: its path, the digest of its HTML as rendered for the indexer, that
# HTML or None when it was not rendered again (its key is one the last index recorded with
# that digest: equal keys render equal HTML), and its page key (page_keys.py) or None.
Searchable = tuple[str, str, "bytes | None", "str | None"]


@dataclass(frozen=True)
class Shard:
    """A part of the search index (search_shards.py): the path and digest of each of its
    pages, in order, Pagefind's files indexing them (names inside its folder), and the key
    of each page (None for a page without one)."""

    pages: tuple[tuple[str, str], ...]
    files: dict[str, bytes]
    keys: tuple[str | None, ...] = ()


@dataclass(frozen=True)
class Indexed:
    """A search index, shard by shard."""

    shards: tuple[Shard, ...]

    @property
    def pages(self) -> tuple[tuple[str, str], ...]:
        """The path and digest of each page indexed, in order."""
        return tuple(page for shard in self.shards for page in shard.pages)

    def digests(self) -> dict[tuple[str, str], str]:
        """(path, page key) -> the digest of the page as rendered for the indexer."""
        return {(path, key): digest for shard in self.shards
                for (path, digest), key in zip(shard.pages, shard.keys) if key is not None}

    @property
    def bundle(self) -> dict[str, bytes]:
        """Every file of the bundle (paths under pagefind/), in path order."""
        files = search_shards.compose([shard.files for shard in self.shards])
        return {BUNDLE + name: data for name, data in sorted(files.items())}


def indexed(pages: Iterable[Searchable], meanwhile: Callable[[], None] | None = None,
            last: Indexed | None = None, render: Callable[[str], bytes] | None = None) -> Indexed:
    """``search_files``, shard by shard: a shard whose pages are those a shard of ``last``
    (the previous build's index) indexed, with the same digests, is that shard again;
    Pagefind indexes the others, with the HTML of their pages that were not rendered again
    made by ``render`` (path -> the page as rendered for the indexer). ``meanwhile`` runs
    once, while the last shard is indexed."""
    known = {shard.pages: shard for shard in last.shards} if last is not None else {}
    shards = []
    for pages_of_shard, final in _with_last(search_shards.split(_in_order(
            page for page in pages if is_searchable(page[0])))):
        digests = tuple((path, digest) for path, digest, _, _ in pages_of_shard)
        keys = tuple(key for _, _, _, key in pages_of_shard)
        then = meanwhile if final else None
        shard = known.get(digests)
        if shard is None:
            # Pages not rendered again are rendered as Pagefind asks for them: it indexes
            # the ones before meanwhile.
            html = ((path, page if page is not None else render(path)) for path, _, page, _ in pages_of_shard)
            shard = Shard(digests, _index(html, then), keys)
        else:
            shard = Shard(digests, shard.files, keys) if shard.keys != keys else shard
            if then is not None:
                then()
        shards.append(shard)
    return Indexed(tuple(shards))


def _with_last(shards: Iterator[list[Searchable]]) -> Iterator[tuple[list[Searchable], bool]]:
    """Each shard, and whether it is the last; one empty shard when there are none (the
    bundle still holds Pagefind's code for the search page)."""
    current = next(shards, [])
    for following in shards:
        yield current, False
        current = following
    yield current, True


def _index(pages: list[tuple[str, bytes]], meanwhile: Callable[[], None] | None) -> dict[str, bytes]:
    """Pagefind's files for ``pages``, byte-stable, without the interfaces the theme does not load."""
    try:
        bundle = run_to_completion(pages, meanwhile)
    except IndexerError as exc:
        raise BriefgenError([error(
            "search.index", Location("briefgen.yaml"), f"the search index could not be built: {exc}",
            "reinstall briefgen with its search indexer: pip install 'pagefind[bin]'")]) from None
    return stable_bundle({name: data for name, data in bundle.items() if not name.startswith(_UNUSED)})


def is_searchable(path: str) -> bool:
    """Brief pages, and nothing else, are search results."""
    parts = path.split("/")
    return len(parts) == 3 and parts[0] == "briefs" and parts[2] == "index.html"


def _in_order(pages: Iterator[Searchable]) -> Iterator[Searchable]:
    """The pages, checked to come in path order: the index's bytes depend on their order."""
    last = None
    for page in pages:
        if last is not None and page[0] <= last:
            raise ValueError(f"search pages out of order: {page[0]} after {last}")
        last = page[0]
        yield page


def run_to_completion(pages: Iterable[tuple[str, bytes]], meanwhile: Callable[[], None] | None = None,
                      ) -> dict[str, bytes]:
    """Pagefind's bundle (paths inside pagefind/ -> bytes) for ``pages``, in the order they
    come; ``meanwhile`` runs after the last request is sent, before the bundle is awaited."""
    pages = iter(pages)
    # The first page is asked for before the service and its threads start: a page source
    # that forks worker processes (the render) forks them from a process of one thread.
    first = next(pages, None)
    service = _Service()
    finished = False
    try:
        service.send(requests(chain([first] if first else [], pages)))
        if meanwhile is not None:
            meanwhile()
        bundle = service.bundle()
        finished = True
        return bundle
    finally:
        service.stop(finished)


def requests(pages: Iterable[tuple[str, bytes]]) -> Iterator[bytes]:
    """The service's messages: a new index, one message a page (made when sent), then the bundle's files."""
    payloads = chain([{"type": "NewIndex", "config": _CONFIG}],
                     (_add_file(path, html) for path, html in pages),
                     [{"type": "GetFiles", "index_id": 0}])
    for message_id, payload in enumerate(payloads, 1):
        yield base64.b64encode(json.dumps({"message_id": message_id, "payload": payload}).encode("ascii")) + b","


def _add_file(path: str, html: bytes) -> dict:
    return {"type": "AddFile", "index_id": 0, "file_path": path, "url": None, "file_contents": html.decode("utf-8")}


class _Service:
    """One ``pagefind --service`` process: this thread writes, a thread of its own reads the answers."""

    def __init__(self):
        from pagefind.service import get_executable

        binary = get_executable()
        if binary is None:
            raise IndexerError("Pagefind's program was not found")
        try:  # its own folder as working folder: no pagefind.yml of the user's changes the index
            self.process = subprocess.Popen([str(binary), "--service"], cwd=binary.parent, stdin=subprocess.PIPE,
                                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        except OSError as exc:
            raise IndexerError(f"Pagefind's program could not be started: {exc}") from None
        self.errors: list[bytes] = []
        self.outcome: dict[str, bytes] | Exception = IndexerError("the indexer gave no answer")
        self.window = threading.Semaphore(_IN_FLIGHT)
        self.threads = [threading.Thread(target=self._drain, daemon=True),
                        threading.Thread(target=self._read, daemon=True)]
        for thread in self.threads:
            thread.start()

    def send(self, messages: Iterator[bytes]) -> None:
        """Writes the messages as they are made, no more than _IN_FLIGHT ahead of the answers
        (the service queues what it has read: pages sent far ahead would wait in its memory);
        stops early if the service failed or ended."""
        try:
            for message in messages:
                while not self.window.acquire(timeout=0.1):
                    if not self.threads[1].is_alive():
                        return
                self.process.stdin.write(message)
                self.process.stdin.flush()
        except BrokenPipeError:  # the service ended: the reader says why
            pass

    def bundle(self) -> dict[str, bytes]:
        self.threads[1].join()
        if isinstance(self.outcome, Exception):
            raise self.outcome
        return self.outcome

    def _read(self) -> None:
        try:
            self.outcome = bundle_from(self._released(answers(self.process.stdout)))
        except EOFError:
            self.threads[0].join(timeout=5)
            tail = b"".join(self.errors).decode(errors="replace").strip()[-500:]
            self.outcome = IndexerError(f"the indexer stopped{': ' + tail if tail else ''}")
        except (IndexerError, ValueError, KeyError, TypeError) as exc:
            self.outcome = exc if isinstance(exc, IndexerError) else IndexerError(f"unreadable answer: {exc}")

    def _released(self, replies: Iterator[dict]) -> Iterator[dict]:
        for reply in replies:
            self.window.release()
            yield reply

    def _drain(self) -> None:
        self.errors.append(self.process.stderr.read())

    def stop(self, finished: bool) -> None:
        """Closing its input ends the service once it has answered everything; otherwise it is killed."""
        if not finished:
            self.process.kill()
        try:
            self.process.stdin.close()
        except OSError:  # the pipe broke: the service had already ended
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for thread in self.threads:
            thread.join()
        self.process.stdout.close()
        self.process.stderr.close()


def answers(stream: IO[bytes]) -> Iterator[dict]:
    """The service's answers, decoded, in the order they come; EOFError if it ends first."""
    buffer, start = bytearray(), 0
    while True:
        end = buffer.find(b",", start)
        if end < 0:
            start = len(buffer)
            chunk = stream.read1(_READ)
            if not chunk:
                raise EOFError
            buffer += chunk
            continue
        frame = bytes(buffer[:end])
        del buffer[:end + 1]
        start = 0
        yield json.loads(base64.b64decode(frame))


def bundle_from(replies: Iterator[dict]) -> dict[str, bytes]:
    """Checks the answers (one a request, in order, none an error) up to the bundle's files,
    which are asked for last, and returns those files once checked whole."""
    for message_id, reply in enumerate(replies, 1):
        payload = reply.get("payload", {})
        if payload.get("type") == "Error":
            raise IndexerError(payload.get("message", "the indexer refused a request"))
        if reply.get("message_id") != message_id:
            raise IndexerError(f"the indexer answered message {reply.get('message_id')}, not {message_id}")
        if payload.get("type") == "GetFiles":
            files = {entry["path"]: base64.b64decode(entry["content"]) for entry in payload["files"]}
            if not is_complete(files):
                raise IndexerError("the indexer's files are incomplete")
            return files
    raise EOFError


def is_complete(files: dict[str, bytes]) -> bool:
    """Every file has content, every compressed file decompresses whole, the entry file parses."""
    try:
        entry = json.loads(files["pagefind-entry.json"])
        hashes = [info["hash"] for info in entry["languages"].values()]
        metas = [f"pagefind.{h}.pf_meta" for h in hashes]
        for data in files.values():
            if not data:
                return False
            if data[:2] == b"\x1f\x8b":
                gzip.decompress(data)
        return all(meta in files for meta in metas)
    except (KeyError, ValueError, TypeError, OSError, EOFError, zlib.error):
        return False
