"""A `briefgen serve` subprocess for tests, and helpers to poll it (timeouts, never sleeps)."""

from __future__ import annotations

import http.client
import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

from briefgen.build import compile_site
from briefgen.read import read_site
from briefgen.render import render_site
from briefgen.serve import outputs_digest

TIMEOUT = 20.0
INJECTED = re.compile(r'<script src="/__briefgen/livereload\.js" data-generation="\d+"></script>')


class ServeProcess:
    """`python -m briefgen serve --port 0` on a site folder; ``url`` is its base URL."""

    def __init__(self, root: Path, *options: str) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "briefgen", "serve", "--port", "0", "--root", str(root), *options],
            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env)
        self.lines: queue.Queue[str] = queue.Queue()
        self.log: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        try:
            line = self.wait_line(lambda l: l.startswith("serving "))
        except AssertionError:
            self.proc.kill()
            self.proc.wait()
            raise
        self.url = line.split()[1]
        parts = urlsplit(self.url)
        self.host, self.port = parts.hostname, parts.port

    def _read(self) -> None:
        for line in self.proc.stderr:
            self.lines.put(line.rstrip("\n"))

    def wait_line(self, predicate: Callable[[str], bool], timeout: float = TIMEOUT) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                break
            self.log.append(line)
            if predicate(line):
                return line
        raise AssertionError(f"no such line within {timeout} s; log so far: {self.log}")

    def get(self, path: str, host: str | None = None) -> tuple[int, str]:
        """A raw GET (the path is sent exactly as given)."""
        connection = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT)
        try:
            connection.putrequest("GET", path, skip_host=True)
            connection.putheader("Host", host or f"{self.host}:{self.port}")
            connection.endheaders()
            response = connection.getresponse()
            return response.status, response.read().decode("utf-8", "replace")
        finally:
            connection.close()

    def status(self, digest: bool = False) -> dict:
        code, body = self.get("/__briefgen/status" + ("?digest" if digest else ""))
        assert code == 200, body
        return json.loads(body)

    def wait_status(self, predicate: Callable[[dict], bool], timeout: float = TIMEOUT) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            status = self.status()
            if predicate(status):
                return status
            if time.monotonic() > deadline:
                raise AssertionError(f"status never matched within {timeout} s: {status}")
            time.sleep(0.02)   # polling interval, not a wait for an outcome

    def wait_page(self, path: str, needle: str, timeout: float = TIMEOUT) -> str:
        deadline = time.monotonic() + timeout
        while True:
            code, body = self.get(path)
            if code == 200 and needle in body:
                return body
            if time.monotonic() > deadline:
                raise AssertionError(f"{path} never showed {needle!r} within {timeout} s")
            time.sleep(0.02)

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError("briefgen serve did not stop on SIGTERM")


def clean_outputs(root: Path) -> dict[str, bytes]:
    """What a clean build of ``root`` renders (before writing)."""
    files, diagnostics = read_site(root)
    compiled = compile_site(files, diagnostics)
    return render_site(compiled.site, compiled.pages, files.templates, files.assets)


def clean_digest(root: Path) -> str:
    return outputs_digest(clean_outputs(root))


def strip_injected(body: str) -> str:
    return INJECTED.sub("", body, count=1)
