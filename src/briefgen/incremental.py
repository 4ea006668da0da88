"""Incremental rebuilds for ``briefgen serve``: the build's own stages, with caches.

Between rebuilds the engine keeps
- each brief and registry file parsed, keyed by its path and text (only changed files are
  parsed again);
- each page's rendered bytes, keyed by what the rendering read: the ``Page`` itself (its
  template name and its views, compared by equality), the sources of its template and of
  every template it extends, includes or imports, the page-independent globals
  (``updated``), and the attributes of ``site`` that the template touched (recorded while
  it renders).

Resolve and plan run on the whole site every time (they are what tells which pages
changed); the result is byte-identical to a clean build (tests/serve/test_incremental.py).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field

import jinja2
from jinja2 import meta

from briefgen.build import Compiled, compile_site, parse_brief_file, parse_registry_file
from briefgen.diagnostics import Diagnostic
from briefgen.model import Brief, InputFile, Page, Site, Source
from briefgen.read import SiteFiles
from briefgen import render
from briefgen.render import make_environment, render_page


@dataclass(frozen=True)
class Rebuilt:
    outputs: dict[str, bytes]
    diagnostics: tuple[Diagnostic, ...]
    pages: int
    rendered: tuple[str, ...]   # pages rendered again (the others came from the cache)
    parsed: int            # files parsed again


@dataclass(frozen=True)
class _Entry:
    page: Page
    closure: tuple[InputFile, ...]
    globals: str
    site_attrs: frozenset[str]
    data: bytes


@dataclass
class Engine:
    """The caches of one ``serve`` session; ``rebuild`` raises BriefgenError like ``build``."""

    strict: bool = False
    _briefs: dict[str, tuple[str, tuple]] = field(default_factory=dict)
    _registries: dict[str, tuple[str, tuple]] = field(default_factory=dict)
    _pages: dict[str, _Entry] = field(default_factory=dict)
    _site: Site | None = None
    _templates: tuple[InputFile, ...] | None = None
    _env: jinja2.Environment | None = None
    _closures: dict[str, tuple[InputFile, ...]] = field(default_factory=dict)
    _parsed: int = 0

    def rebuild(self, files: SiteFiles, read_diagnostics: list[Diagnostic]) -> Rebuilt:
        self._parsed = 0
        compiled = compile_site(files, read_diagnostics, self.strict,
                                parse_one=self._parse_brief, parse_sources=self._parse_registry)
        self._forget_missing(files)
        outputs, rendered = self._render(compiled, files)
        return Rebuilt(outputs, compiled.diagnostics, len(compiled.pages), rendered, self._parsed)

    # ------------------------------------------------------------ parsing
    def _parse_brief(self, file: InputFile) -> tuple[Brief | None, list[Diagnostic]]:
        return self._memo(self._briefs, file, parse_brief_file)

    def _parse_registry(self, file: InputFile) -> tuple[list[Source], list[Diagnostic]]:
        return self._memo(self._registries, file, parse_registry_file)

    def _memo(self, cache: dict, file: InputFile, parse):
        hit = cache.get(file.path)
        if hit is not None and hit[0] == file.text:
            result = hit[1]
        else:
            self._parsed += 1
            found, diagnostics = parse(file)
            result = (found, tuple(diagnostics))
            cache[file.path] = (file.text, result)
        return result[0], list(result[1])

    def _forget_missing(self, files: SiteFiles) -> None:
        for cache, current in ((self._briefs, files.briefs), (self._registries, files.registries)):
            present = {f.path for f in current}
            for path in [p for p in cache if p not in present]:
                del cache[path]

    # ---------------------------------------------------------- rendering
    def _render(self, compiled: Compiled, files: SiteFiles) -> tuple[dict[str, bytes], tuple[str, ...]]:
        if files.templates != self._templates:
            self._env = make_environment(files.templates)
            self._closures = template_closures(files.templates)
            self._templates = files.templates
        site = compiled.site
        changed = _ChangedAttrs(self._site, site)
        recorder = SiteRecorder(site)
        fingerprint = globals_fingerprint(site)
        outputs, entries, rendered = dict(files.assets), {}, []
        for page in compiled.pages:
            closure = self._closures.get(page.template, ())
            entry = self._pages.get(page.path)
            if not _still_valid(entry, page, closure, fingerprint, changed):
                recorder.touched = set()
                data = render_page(self._env, recorder, page)
                entry = _Entry(page, closure, fingerprint, frozenset(recorder.touched), data)
                rendered.append(page.path)
            entries[page.path] = entry
            outputs[page.path] = entry.data
        self._pages, self._site = entries, site   # committed only when every page rendered
        return outputs, tuple(rendered)


def _still_valid(entry: _Entry | None, page: Page, closure: tuple[InputFile, ...],
                 fingerprint: str, changed: "_ChangedAttrs") -> bool:
    return (entry is not None and entry.globals == fingerprint and entry.closure == closure
            and entry.page == page and not any(changed(name) for name in entry.site_attrs))


class _ChangedAttrs:
    """Which attributes of ``site`` differ from the previous site (each compared once)."""

    def __init__(self, old: Site | None, new: Site) -> None:
        self._old, self._new, self._seen = old, new, {}

    def __call__(self, name: str) -> bool:
        if name not in self._seen:
            missing = object()
            old = getattr(self._old, name, missing)
            new = getattr(self._new, name, missing)
            self._seen[name] = old is missing or not (old is new or old == new)
        return self._seen[name]


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


def globals_fingerprint(site: Site) -> str:
    """The values ``render_page`` gives every page (``updated`` and the like), as text."""
    env = make_environment((InputFile("probe.txt", "{{ briefgen_probe() }}"),))
    env.globals["briefgen_probe"] = _probe
    return render_page(env, site, Page("probe.txt", "probe.txt")).decode("utf-8")


@jinja2.pass_context
def _probe(context) -> str:
    names = set(context.environment.globals) | {"site", "page", "root"}
    values = context.get_all()
    return repr(sorted((k, repr(v)) for k, v in values.items() if k not in names and not callable(v)))


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

