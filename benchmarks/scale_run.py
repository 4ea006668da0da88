"""One timed build for benchmarks/scale.py: wall time, peak memory, exit status, pages.

Each command runs under ``/usr/bin/time -v`` in a session of its own, so that a timeout
ends the whole process tree. ``time -v`` reports the maximum resident set size of the
largest single process of the tree it waited for (not the sum over the tree).
"""

from __future__ import annotations

import os
import re
import signal
import statistics
import subprocess
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

TIME = "/usr/bin/time"
TAIL_LINES = 15
TAIL_CHARS = 2000


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mb: float | None
    exit: int | None          # None when the command timed out
    timed_out: bool
    pages: int
    tail: str                 # the last lines of stderr (then stdout) when the build failed
    shows_edit: bool | None = None   # whether the edited page shows the edit (rebuilds only)

    @property
    def ok(self) -> bool:
        return not self.timed_out and self.exit == 0


def timed_run(cmd: list[str], cwd: Path, out_dir: Path, timeout: float, env: dict | None = None) -> Run:
    """Run ``cmd`` in ``cwd`` under ``time -v``; count the pages under ``out_dir`` afterwards."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report, \
            tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen([TIME, "-v", "-o", report.name, *cmd], cwd=cwd, stdout=out, stderr=err,
                                stdin=subprocess.DEVNULL, start_new_session=True,
                                env={**os.environ, **(env or {})})
        timed_out = wait_or_kill(proc, timeout)
        seconds = time.perf_counter() - started
        peak_kb = parse_peak_kb(Path(report.name).read_text(encoding="utf-8", errors="replace"))
        exit_status = None if timed_out else proc.returncode
        tail = "" if exit_status == 0 else output_tail(err, out)
    return Run(seconds=seconds, peak_mb=None if peak_kb is None else peak_kb / 1024, exit=exit_status,
               timed_out=timed_out, pages=count_pages(out_dir), tail=tail)


def wait_or_kill(proc: subprocess.Popen, timeout: float) -> bool:
    """Wait for ``proc``; past ``timeout`` seconds kill its whole session. True when it timed out."""
    try:
        proc.wait(timeout=timeout)
        return False
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()
        return True


def parse_peak_kb(report: str) -> int | None:
    found = re.search(r"Maximum resident set size \(kbytes\):\s*(\d+)", report)
    return int(found.group(1)) if found else None


def output_tail(*streams) -> str:
    """The last lines of the first non-empty stream."""
    for stream in streams:
        stream.seek(0)
        text = stream.read().decode("utf-8", errors="replace").strip()
        if text:
            return "\n".join(text.splitlines()[-TAIL_LINES:])[-TAIL_CHARS:]
    return ""


def count_pages(folder: Path) -> int:
    if not folder.is_dir():
        return 0
    return sum(1 for _, _, files in os.walk(folder) for name in files if name.endswith(".html"))


def summarize(runs: list[Run]) -> dict:
    """Medians over the runs, and the first failure if any run failed."""
    failed = [r for r in runs if not r.ok]
    peaks = [r.peak_mb for r in runs if r.peak_mb is not None]
    return {
        "seconds": statistics.median(r.seconds for r in runs),
        "peak_mb": statistics.median(peaks) if peaks else None,
        "pages": int(statistics.median(r.pages for r in runs)),
        "status": status_of(failed[0]) if failed else "ok",
        "tail": failed[0].tail if failed else "",
        "shows_edit": None if any(r.shows_edit is None for r in runs) else all(r.shows_edit for r in runs),
        "runs": [asdict(r) for r in runs],
    }


def status_of(run: Run) -> str:
    if run.timed_out:
        return f"timeout ({run.seconds:.0f} s)"
    if run.exit is not None and run.exit > 128:
        return f"killed (signal {run.exit - 128})"
    return f"exit {run.exit}"
