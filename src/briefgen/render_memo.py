"""Which pages of a rebuild keep the bytes the last build wrote for them (render stage).

A page's key is a digest of everything its bytes depend on: briefgen's own code and the
versions of Jinja2 and MarkupSafe; its template and every template that one extends,
includes or imports; the site's title, base URL, language and build date; the feed's
``updated`` when those templates read it; the page's path and template; and its views,
pickled. In the pickle a brief as the parse stage made it stands for itself by its parse
key (path, text and briefgen's code: parse_cache.py), a source by the digest of its
fields, and the notes, references and citations of the page's own brief by their place
in it: the key is small to make, and equal keys mean equal bytes.

The last build's keys and the digests of the files they gave are kept in
``.briefgen-cache/pages.pickle`` (``load``/``save``). A page whose key is the one recorded
is not rendered: its file is taken from the kept tree or from the current output, each
checked against the digest (write.py, ``reuse_file``). A page whose template read any
other attribute of the site (``SiteRecorder``) is not recorded, so it is always rendered;
a page whose views cannot be pickled has no key, and is rendered too.
"""

from __future__ import annotations

import contextlib
import copyreg
import hashlib
import importlib.metadata
import io
import os
import pickle
import sys
from pathlib import Path
from typing import Any, Callable, Mapping

import jinja2
from jinja2 import meta

from briefgen import render
from briefgen.model import Brief, Citation, InputFile, Note, Page, Reference, Site, Source
from briefgen.parse_cache import code_identity
from briefgen.render import make_environment

FILE = "pages.pickle"
# What templates may read of ``site`` for a page to be keyed (they are in every key).
KEYED_SITE = ("title", "base_url", "language", "build_date")

Memo = dict[str, tuple[bytes, str]]     # page path -> (its key, the digest of its file)


class PageKeys:
    """Makes the key of each page of one site (in any process: it is forked with the site)."""

    def __init__(self, site: Site, templates: tuple[InputFile, ...], parsed: Mapping[str, tuple[Brief, str]]) -> None:
        """``parsed``: brief path -> (the brief as parsed, its parse key)."""
        self.briefs = {id(brief): (brief, key) for brief, key in parsed.values()}
        self.sources: dict[int, tuple[Source, tuple]] = {}
        self.parts: dict[int, dict[int, tuple[Any, tuple]]] = {}
        closures = template_closures(templates)
        site_part = repr(tuple(getattr(site, name) for name in KEYED_SITE))
        base = [code_identity(), _versions().encode(), site_part.encode()]
        updated = render._updated(site).encode()
        self.prefix = {name: _digest(base + [_closure_digest(closure)]
                                     + ([updated] if reads_page_globals(closure) else []))
                       for name, closure in closures.items()}

    def key(self, page: Page) -> bytes | None:
        prefix = self.prefix.get(page.template)
        if prefix is None:
            return None
        buffer = io.BytesIO()
        pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
        pickler.dispatch_table = self._table(page)
        pickler.fast = True    # no memo: equal views give equal bytes however their objects are shared
        try:
            pickler.dump((page.path, page.template, page.context))
        except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
            return None
        return hashlib.blake2b(prefix + buffer.getvalue(), digest_size=16).digest()

    def _table(self, page: Page) -> dict[type, Callable]:
        own = self._own_parts(page)

        def part(obj):
            found = own.get(id(obj))
            return (_ref, found[1]) if found is not None and found[0] is obj else obj.__reduce__()

        table = copyreg.dispatch_table.copy()
        table.update({Brief: self._brief, Source: self._source, Note: part, Reference: part, Citation: part})
        return table

    def _brief(self, brief: Brief):
        found = self.briefs.get(id(brief))
        return (_ref, ("brief", found[1])) if found is not None and found[0] is brief else brief.__reduce__()

    def _source(self, source: Source):
        found = self.sources.get(id(source))
        if found is None or found[0] is not source:
            data = pickle.dumps(source.__reduce__()[1], protocol=pickle.HIGHEST_PROTOCOL)
            found = self.sources[id(source)] = (source, ("source", hashlib.blake2b(data, digest_size=16).digest()))
        return (_ref, found[1])

    def _own_parts(self, page: Page) -> dict[int, tuple[Any, tuple]]:
        """The notes, references and citations of the page's own brief (a brief page or
        a brief's export), by their place in it, when that brief is as parsed."""
        brief = next((getattr(value, "brief", None) for name, value in page.context if name == "view"), None)
        if not isinstance(brief, Brief) or self.briefs.get(id(brief), (None,))[0] is not brief:
            return {}
        found = self.parts.get(id(brief))
        if found is None:
            found = self.parts[id(brief)] = _parts_of(brief)
        return found


def _parts_of(brief: Brief) -> dict[int, tuple[Any, tuple]]:
    parts: dict[int, tuple[Any, tuple]] = {}
    for n, note in enumerate(brief.notes):
        parts[id(note)] = (note, ("note", n))
        for c, citation in enumerate(note.citations):
            parts[id(citation)] = (citation, ("citation", n, c))
    for r, reference in enumerate(brief.references):
        parts[id(reference)] = (reference, ("reference", r))
    return parts


def _ref(*tag):
    """Stands for an object in a page's key (never called: keys are not unpickled)."""
    raise TypeError("a page key is not unpickled")


def _digest(parts: list[bytes]) -> bytes:
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        digest.update(len(part).to_bytes(8, "little") + part)
    return digest.digest()


def _closure_digest(closure: tuple[InputFile, ...]) -> bytes:
    return _digest([part.encode("utf-8", "surrogatepass") for t in closure for part in (t.path, t.text)])


def _versions() -> str:
    found = []
    for name in ("jinja2", "markupsafe"):
        try:
            found.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            found.append(f"{name} ?")
    return "; ".join(found)


def kept(memo: Memo, path: str, key: bytes | None) -> str | None:
    """The digest of the file the last build wrote for this page, when its key is the same."""
    found = memo.get(path)
    return found[1] if key is not None and found is not None and found[0] == key else None


# ------------------------------------------------------------------ the memo on disk
def load(folder: Path) -> Memo:
    try:
        with open(folder / FILE, "rb") as handle:
            identity, memo = pickle.load(handle)
    except Exception:      # noqa: BLE001 - missing, damaged or foreign: every page is rendered
        return {}
    return memo if identity == code_identity() and isinstance(memo, dict) else {}


def save(folder: Path, memo: Memo) -> None:
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        temporary = folder / f".{FILE}.{os.getpid()}"
        with open(temporary, "wb") as handle:
            pickle.dump((code_identity(), memo), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, folder / FILE)


# ------------------------------------------------- what a page's bytes depend on
class SiteRecorder:
    """Stands in for ``site`` while a page renders and records the attributes read.

    Reads by ``render._updated`` are not recorded: its result (the feed's ``updated``) is
    part of ``globals_fingerprint``, and recording them would make every page depend on
    every brief. Everything else (templates, ``canonical_url``, ``abs_url``) is recorded.
    """

    __slots__ = ("_site", "touched")

    def __init__(self, site: Site) -> None:
        self._site, self.touched = site, set()

    def __getattr__(self, name: str):
        if sys._getframe(1).f_code is not _UPDATED_CODE:
            self.touched.add(name)
        return getattr(self._site, name)


_UPDATED_CODE = getattr(getattr(render, "_updated", None), "__code__", None)




PAGE_GLOBALS = frozenset({"updated"})   # what globals_fingerprint covers (besides constants)


def reads_page_globals(closure: tuple[InputFile, ...]) -> bool:
    """Whether any template of ``closure`` names a page-independent global (a template that
    does not parse counts as reading them)."""
    env = make_environment(())       # knows briefgen's filters, which the analysis compiles
    for template in closure:
        try:
            if meta.find_undeclared_variables(env.parse(template.text)) & PAGE_GLOBALS:
                return True
        except jinja2.TemplateSyntaxError:
            return True
    return False


def template_closures(templates: tuple[InputFile, ...]) -> dict[str, tuple[InputFile, ...]]:
    """For each template: itself and every template it extends, includes or imports."""
    by_name = {t.path: t for t in templates}
    env = jinja2.Environment()
    refs: dict[str, set[str] | None] = {}
    for t in templates:
        try:
            found = list(meta.find_referenced_templates(env.parse(t.text)))
            refs[t.path] = None if None in found else set(found)
        except jinja2.TemplateSyntaxError:
            refs[t.path] = {t.path}
    return {name: _closure(name, refs, by_name) for name in by_name}


def _closure(name: str, refs: dict[str, set[str] | None], by_name: dict[str, InputFile]) -> tuple[InputFile, ...]:
    seen, todo = set(), [name]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        found = refs.get(current, set())
        todo += list(by_name) if found is None else sorted(found)
    return tuple(by_name[n] for n in sorted(seen) if n in by_name)

