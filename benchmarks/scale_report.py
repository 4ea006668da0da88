"""The machine description, the markdown table and the JSON file of benchmarks/scale.py."""

from __future__ import annotations

import importlib.metadata
import json
import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BRIEFGEN_ROWS = ("cold", "no-op", "edit body", "add note", "edit registry")
PEER_ROWS = ("hugo", "pelican")


def machine_info() -> dict:
    return {
        "nproc": len(os.sched_getaffinity(0)),
        "cpu": cpu_model(),
        "memory_gb": memory_gb(),
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "briefgen": package_version("briefgen"),
        "git_commit": command_output(["git", "-C", str(REPO), "rev-parse", "HEAD"]),
        "git_dirty": bool(command_output(["git", "--no-optional-locks", "-C", str(REPO), "status",
                                          "--porcelain", "--untracked-files=no"])),
        "hugo": hugo_version(),
        "pelican": package_version("pelican"),
    }


def hugo_version() -> str | None:
    if not shutil.which("hugo"):
        return None
    lines = [line for line in command_output(["hugo", "version"]).splitlines() if line.startswith("hugo v")]
    return lines[0] if lines else "unknown"


def package_version(name: str) -> str | None:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def command_output(cmd: list[str]) -> str:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=60).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def memory_gb() -> float | None:
    try:
        kb = int(Path("/proc/meminfo").read_text().split("\n", 1)[0].split()[1])
    except (OSError, IndexError, ValueError):
        return None
    return round(kb / 1024 / 1024, 1)


def write_json(path: Path, result: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")


def table(result: dict) -> str:
    lines = ["| N | build | seconds | peak MB | pages | pages/s | ratio | status |",
             "| ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |"]
    for size in result["sizes"]:
        cold = size["briefgen"].get("cold")
        for name in BRIEFGEN_ROWS:
            if name in size["briefgen"]:
                lines.append(row(size["briefs"], f"briefgen {name}", size["briefgen"][name], cold, name == "cold"))
        for name in PEER_ROWS:
            if name in size.get("peers", {}):
                lines.append(row(size["briefs"], f"{name} cold", size["peers"][name], cold, True))
    return "\n".join(lines)


def row(briefs: int, label: str, figures: dict, cold: dict | None, is_cold: bool) -> str:
    if "seconds" not in figures:
        return f"| {briefs} | {label} | | | | | | {figures['status']} |"
    seconds, pages = figures["seconds"], figures["pages"]
    rate = f"{pages / seconds:.0f}" if is_cold and figures["status"] == "ok" and seconds else ""
    return (f"| {briefs} | {label} | {seconds:.2f} | {number(figures['peak_mb'], '.0f')} | {pages} | {rate} "
            f"| {ratio(label, figures, cold)} | {status_text(figures)} |")


def ratio(label: str, figures: dict, cold: dict | None) -> str:
    """Peers: briefgen cold / peer cold. Rebuilds: rebuild / briefgen cold. Cold: blank."""
    if not cold or "seconds" not in cold or label == "briefgen cold":
        return ""
    if figures["status"] != "ok" or cold["status"] != "ok":
        return ""
    if label.startswith("briefgen"):
        return f"{figures['seconds'] / cold['seconds']:.2f}"
    return f"{cold['seconds'] / figures['seconds']:.2f}"


def status_text(figures: dict) -> str:
    if figures["status"] == "ok" and figures.get("shows_edit") is False:
        return "ok, but the edit is missing from the page"
    return figures["status"]


def number(value: float | None, spec: str) -> str:
    return "" if value is None else format(value, spec)


def failures(result: dict) -> str:
    """The stderr tail of each failed measurement, for below the table."""
    parts = []
    for size in result["sizes"]:
        for group in ("briefgen", "peers"):
            for name, figures in size.get(group, {}).items():
                if figures.get("tail"):
                    parts.append(f"N={size['briefs']} {group} {name} ({figures['status']}):\n{figures['tail']}")
    return "\n\n".join(parts)


LEGEND = ("ratio: for a rebuild, its seconds / briefgen cold seconds; for a peer, "
          "briefgen cold seconds / the peer's cold seconds (above 1: briefgen is slower). "
          "seconds and peak MB are medians over the repeats.")
