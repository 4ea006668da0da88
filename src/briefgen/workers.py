"""Worker processes: a large build spreads its parsing and rendering over every core.

Workers are forked, so they start with everything the parent has built so far
(nothing is pickled on the way in); what they return is pickled back, in the order
of the work, so a parallel build produces exactly what a serial one does.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
import threading
from typing import Callable, Iterable, Iterator, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


def worker_count(size: int, jobs: int | None, parallel_from: int) -> int:
    """Processes for ``size`` units of work. ``jobs`` given: that many. Otherwise one per
    core once ``size`` reaches ``parallel_from``; and one in a process where another thread
    runs, since a lock held by that thread would stay held in a forked child, or on a
    platform that does not fork (``can_fork``)."""
    if not can_fork():
        return 1
    if jobs is not None:
        return max(1, jobs)
    if size < parallel_from or threading.active_count() > 1:
        return 1
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def can_fork() -> bool:
    """Forked workers only where forking is the platform's own way to start a process
    (Linux); elsewhere (macOS, Windows) a build runs in one process."""
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def fork_map(function: Callable[[Item], Result], items: Iterable[Item], workers: int,
             chunksize: int = 1) -> Iterator[Result]:
    """``map(function, items)`` over ``workers`` forked processes, results in order."""
    if workers <= 1:
        yield from map(function, items)
        return
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        yield from pool.imap(function, items, chunksize)


@contextlib.contextmanager
def in_background(function: Callable[[Item], Result], argument: Item) -> Iterator[Callable[[], Result]]:
    """``function(argument)`` in a forked process while the block runs; yields a function
    that waits for its result."""
    with multiprocessing.get_context("fork").Pool(1) as pool:
        pending = pool.apply_async(function, (argument,))
        yield pending.get


class Turns:
    """The numbers 0 to ``count - 1``, each handed out once, to whichever process asks first.
    Made before the processes that share it are forked (they inherit it; it cannot be
    pickled)."""

    def __init__(self, count: int) -> None:
        self.count = count
        self._next = multiprocessing.get_context("fork").Value("i", 0)

    def __iter__(self) -> Iterator[int]:
        while True:
            with self._next.get_lock():
                turn = self._next.value
                self._next.value = turn + 1
            if turn >= self.count:
                return
            yield turn
