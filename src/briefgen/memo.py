"""Memos of pure functions, and their results kept between builds.

``memoized`` wraps a pure one-argument function (``clean_url``, ``identity_key``,
``infer_source``'s inference, the label of an inferred source) with a dict of its results.
A build keeps the results it used in ``.briefgen-cache/memo.pickle`` (``load`` before
parsing, ``save`` after a successful build): the next build gives the same arguments the
same results without computing them again (on a 2,000-brief archive, about 3 s of
resolve on every rebuild). The file is keyed by briefgen's own code: another briefgen
never meets old results. Results are only ever those the function itself gives, so a
build with them writes the bytes a build without them writes.
"""

from __future__ import annotations

import contextlib
import functools
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

from briefgen.parse_cache import code_identity, read_pickle, write_pickle

FILE = "memo.pickle"
_ALL: dict[str, dict] = {}      # name -> results this process used, for every memo
_KEPT: dict[str, dict] = {}     # name -> results the last build kept, not used yet
_MISSING = object()
_FRESH: set[str] = set()        # names of the memos that got a result the last build had not kept


def memoized(function: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``function`` with a dict of its results (unbounded: the arguments are the URLs of
    one site). A result the last build kept is taken instead of computed."""
    name = f"{function.__module__}.{function.__qualname__}"
    results, kept = _ALL.setdefault(name, {}), _KEPT.setdefault(name, {})

    def taken(argument):
        """The result the last build kept for ``argument``, now one of this build's (or _MISSING)."""
        value = kept.pop(argument, _MISSING)
        if value is not _MISSING:
            results[argument] = value
        return value

    @functools.wraps(function)
    def remembered(argument):
        try:
            return results[argument]
        except KeyError:
            value = taken(argument)
            if value is _MISSING:
                value = results[argument] = function(argument)
                _FRESH.add(name)
            return value
        except TypeError:                    # an unhashable argument: no memo
            return function(argument)

    def known(argument):
        """The result for ``argument`` if this process or the last build has it, else None
        (for results made in bulk elsewhere: ``keep`` records them)."""
        value = results.get(argument, _MISSING)
        if value is _MISSING:
            value = taken(argument)
        return None if value is _MISSING else value

    def keep(argument, value) -> None:
        """Record ``function(argument)``, made elsewhere (a worker process)."""
        results[argument] = value
        _FRESH.add(name)

    remembered.known, remembered.keep = known, keep
    return remembered


def load(folder: Path) -> int:
    """Add the results kept by the last build to the memos; how many were added."""
    found = read_pickle(folder / FILE)    # missing, damaged or foreign: computed again
    if not (isinstance(found, tuple) and len(found) == 2 and found[0] == code_identity()
            and isinstance(found[1], dict)):
        return 0
    added = 0
    for name, results in found[1].items():
        if name in _KEPT and isinstance(results, dict):
            _KEPT[name].update(results)
            added += len(results)
    return added


def save(folder: Path) -> None:
    """Keep the results this process used for the next build: those of URLs the site no
    longer cites are not kept again. When this build used every result the last one kept
    and made none, the file already holds them: it is left as it is."""
    if not _FRESH and not any(_KEPT.values()) and (folder / FILE).exists():
        return
    _FRESH.clear()
    with contextlib.suppress(OSError, pickle.PicklingError):
        folder.mkdir(parents=True, exist_ok=True)
        write_pickle(folder / FILE, (code_identity(), _ALL))
