"""Edit -> rebuilt page served, as `briefgen serve` users see it.

Starts `briefgen serve` in a subprocess on a copy of a site, edits one brief's body on
disk, and polls the brief's page over HTTP until the edit shows; prints the latencies.

    python3 benchmarks/serve_latency.py                       # the repository's example site
    python3 benchmarks/serve_latency.py --corpus 1000         # make_corpus.py --briefs 1000
    python3 benchmarks/serve_latency.py --site DIR --edits 5  # any site folder (copied first)
    python3 benchmarks/serve_latency.py --corpus 1000 --edit note  # add a note instead

``--edit body`` (the default) writes a word at the start of the brief's body; ``--edit note``
adds a sentence citing a new note, whose URL is by turns a source another brief cites
(its count of citing notes changes everywhere it shows) and a URL no brief cites (a new
source page).

The latency includes the watcher's settle window (0.1 s), which waits for an editor's
burst of events to end before rebuilding.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MAKE_CORPUS = REPO.parent / "shared" / "bench" / "make_corpus.py"


def main() -> None:
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="serve-latency-") as tmp:
        root = prepare(args, Path(tmp))
        briefs = sorted((root / "briefs").glob("*.md"))
        brief = briefs[len(briefs) // 2]
        page = f"/briefs/{slug_of(brief)}/"
        started = time.perf_counter()
        server = Server(root)
        first = time.perf_counter() - started
        cited = cited_elsewhere(briefs, brief)
        try:
            latencies, rendered = measure(server, brief, page, args, cited)
        finally:
            server.stop()
    report(args, root, first, server.status_at_start, latencies, rendered)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--site", type=Path, help="a site folder to copy (default: the repository's example)")
    parser.add_argument("--corpus", type=int, help="generate a corpus of this many briefs with make_corpus.py")
    parser.add_argument("--edits", type=int, default=15)
    parser.add_argument("--edit", choices=("body", "note"), default="body", help="what each edit changes")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds to wait for one edit")
    return parser.parse_args()


def prepare(args: argparse.Namespace, tmp: Path) -> Path:
    root = tmp / "site"
    if args.corpus:
        subprocess.run([sys.executable, str(MAKE_CORPUS), "--briefs", str(args.corpus), "--out", str(tmp / "c"),
                        "--format", "briefgen"], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        source = tmp / "c" / "briefgen" if (tmp / "c" / "briefgen").is_dir() else tmp / "c"
        shutil.move(str(source), root)
        return root
    source = args.site or REPO
    root.mkdir()
    for name in ("briefs", "citations", "templates"):
        if (source / name).is_dir():
            shutil.copytree(source / name, root / name)
    if (source / "briefgen.yaml").is_file():
        shutil.copy(source / "briefgen.yaml", root / "briefgen.yaml")
    return root


def slug_of(brief: Path) -> str:
    found = re.search(r"^slug:\s*(\S+)\s*$", brief.read_text(encoding="utf-8").split("\n---", 1)[0], re.M)
    return found.group(1) if found else brief.stem


class Server:
    def __init__(self, root: Path) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "briefgen", "serve", "--port", "0", "--root", str(root)],
                                     stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
                                     env={**os.environ, "PYTHONUNBUFFERED": "1"})
        for line in self.proc.stderr:
            if line.startswith("serving "):
                self.port = int(line.split()[1].rstrip("/").rsplit(":", 1)[1])
                break
        else:
            self.proc.kill()
            raise SystemExit("briefgen serve did not start")
        threading.Thread(target=self.proc.stderr.read, daemon=True).start()   # keep the pipe drained
        self.status_at_start = self.status()
        if not self.status_at_start["ok"]:
            errors = self.status_at_start["errors"]
            self.stop()
            raise SystemExit(f"the first build failed with {len(errors)} error(s), e.g. {errors[:3]}")

    def get(self, path: str) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def status(self) -> dict:
        return json.loads(self.get("/__briefgen/status")[1])

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=60)


def cited_elsewhere(briefs: list[Path], brief: Path) -> str:
    """A URL that a note of another brief cites."""
    for other in briefs:
        found = re.search(r"^\[\d+\] (https?://[^\s;]+)", other.read_text(encoding="utf-8"), re.M)
        if other != brief and found:
            return found.group(1)
    return "https://www.reuters.com/world/"


def edited(original: str, marker: str, kind: str, number: int, cited: str) -> str:
    if kind == "body":
        head, body = original.split("\n---\n", 1)
        return f"{head}\n---\n{marker} {body}"
    url = cited if number % 2 == 0 else f"https://www.example-news.com/2024/01/02/{marker}"
    return original.rstrip("\n") + f"\n\n{marker} said so.[990]\n\n[990] {url}\n"


def measure(server: Server, brief: Path, page: str, args: argparse.Namespace,
            cited: str) -> tuple[list[float], list[int]]:
    original = brief.read_text(encoding="utf-8")
    latencies, rendered = [], []
    for i in range(args.edits):
        marker = f"edited{i}x{os.getpid()}"
        before = server.status()["rebuilds"]
        started = time.perf_counter()
        brief.write_bytes(edited(original, marker, args.edit, i, cited).encode("utf-8"))   # one write()
        while marker.encode() not in server.get(page)[1]:
            if time.perf_counter() - started > args.timeout:
                raise SystemExit(f"edit {i} not served within {args.timeout} s; status: {server.status()}")
            time.sleep(0.01)
        latencies.append(time.perf_counter() - started)
        status = server.status()
        assert status["rebuilds"] == before + 1, status
        rendered.append((status["rendered"], status["milliseconds"]))
    return latencies, rendered


def report(args, root, first, status, latencies, rendered) -> None:
    name = f"corpus of {args.corpus} briefs" if args.corpus else str(args.site or "the example site")
    ms = sorted(x * 1000 for x in latencies)
    print(f"site: {name}: {status['pages']} pages")
    print(f"first build (start to serving): {first:.2f} s")
    print(f"edit -> rebuilt page served, {len(ms)} edits ({args.edit}): median {statistics.median(ms):.0f} ms, "
          f"min {ms[0]:.0f} ms, max {ms[-1]:.0f} ms")
    print(f"pages rendered per edit: median {statistics.median(r for r, _ in rendered):.0f} of {status['pages']}; "
          f"rebuild itself (read, parse, resolve, plan, render): median "
          f"{statistics.median(m for _, m in rendered):.0f} ms")


if __name__ == "__main__":
    main()
