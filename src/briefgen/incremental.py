"""Incremental rebuilds for ``briefgen serve``: the build's own stages, with caches.

Between rebuilds the engine keeps
- each brief and registry file parsed, keyed by its path and text (only changed files are
  parsed again);
- each page's rendered bytes, keyed by what the rendering read: the ``Page`` itself (its
  template name and its views, compared by equality), the sources of its template and of
  every template it extends, includes or imports, the page-independent globals
  (``updated``), and the attributes of ``site`` that the template touched (recorded while
  it renders).

When only briefs changed, resolve and plan run for the edit alone (resolve_edit.py,
plan_edit.py): pages the edit cannot have changed are the last plan's own ``Page`` objects,
which are known unchanged by identity, without comparing them. Any other change, or an
edit those stages cannot patch exactly, runs resolve and plan over the whole site. Either
way the result is byte-identical to a clean build (tests/serve/test_incremental.py).
"""

from __future__ import annotations

import gc
import sys
from dataclasses import dataclass, field

import jinja2
from jinja2 import meta

from briefgen.bibstyle import label_diagnostics, label_sources
from briefgen.build import Compiled, collector_paused, compile_site, judge, label_html
from briefgen.parse_pool import parse_brief_file, parse_registry_file
from briefgen.diagnostics import Diagnostic
from briefgen.model import Brief, InputFile, Page, Site, Source
from briefgen.plan_edit import plan_edit
from briefgen.read import SiteFiles
from briefgen import render
from briefgen.render import make_environment, render_page
from briefgen.resolve_edit import Edit, resolve_edit


@dataclass(frozen=True)
class Rebuilt:
    outputs: dict[str, bytes]
    diagnostics: tuple[Diagnostic, ...]
    pages: int
    rendered: tuple[str, ...]   # pages rendered again (the others came from the cache)
    parsed: int            # files parsed again
    whole: bool = True     # resolved and planned the whole site (not only an edit's part)


def _settle_memory() -> None:
    """After a whole compile: collect what the last site left, and keep the caches out of
    Python's cycle collector. On a large site the caches hold millions of objects, and a
    full collection over them (about a second each) would come back during every edit."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def collect_edit_garbage() -> None:
    """Free what the last edit rebuild left: once its pages are served."""
    gc.collect()


@dataclass(frozen=True)
class _Last:
    """The last good rebuild: what the next edit starts from."""

    files: SiteFiles
    compiled: Compiled
    pages: dict[str, Page]


def _relabel(before: Compiled, site: Site, edit: Edit) -> dict[str, tuple[str, str]]:
    """The labels of the last compile, made again for the sources the edit touched."""
    labelled = dict(before.labelled)
    for source_id in edit.removed:
        labelled.pop(source_id, None)
    by_id = {s.id: s for s in site.sources} if edit.sources or edit.added else {}
    touched = [by_id[i] for i in sorted(edit.sources | edit.added) if i in by_id]
    labelled.update(label_sources(before.config.citation_style, touched, jobs=1))
    return labelled


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
    _page_globals: dict[str, bool] = field(default_factory=dict)   # template -> its closure reads them
    _parsed: int = 0
    _last: "_Last | None" = None

    def rebuild(self, files: SiteFiles, read_diagnostics: list[Diagnostic]) -> Rebuilt:
        """The site rebuilt: for an edit of briefs alone, with the collector paused (the
        caller runs ``collect_edit_garbage`` once the result is served); otherwise whole."""
        self._parsed = 0
        # Rendering makes cyclic garbage (Jinja's contexts): with the collector on, a dozen
        # full collections ran during each edit of a 2,000-brief site (1.5-2 s of a 3-5 s
        # note edit). One collection once the edit is served frees the same garbage.
        with collector_paused():
            compiled = self._compile_edit(files, read_diagnostics)
            if compiled is not None:
                return self._finish(files, compiled, whole=False)
        compiled = compile_site(files, read_diagnostics, self.strict,
                                parse_one=self._parse_brief, parse_sources=self._parse_registry)
        result = self._finish(files, compiled, whole=True)
        _settle_memory()
        return result

    def _finish(self, files: SiteFiles, compiled: Compiled, whole: bool) -> Rebuilt:
        self._forget_missing(files)
        outputs, rendered = self._render(compiled, files)
        self._last = _Last(files, compiled, {page.path: page for page in compiled.pages})
        return Rebuilt(outputs, compiled.diagnostics, len(compiled.pages), rendered, self._parsed, whole)

    def _compile_edit(self, files: SiteFiles, read_diagnostics: list[Diagnostic]) -> Compiled | None:
        """The stages for an edit of briefs alone, or None (then the whole site is compiled)."""
        last = self._last
        if (last is None or last.compiled.index is None or files.config != last.files.config
                or files.registries != last.files.registries):
            return None
        known = {f.path: f for f in last.files.briefs}
        if not known.keys() <= {f.path for f in files.briefs}:
            return None                  # a brief removed
        edited = []
        for file in files.briefs:
            before = known.get(file.path)
            if before is None or file.text != before.text:
                brief, _ = self._parse_brief(file)
                if brief is None:
                    return self._refuse(files, read_diagnostics, last.compiled)
                edited.append(brief)
        before = last.compiled
        done = resolve_edit(before.site, before.index, edited, before.rules, before.config)
        if done is None:
            return None
        site, index, edit = done
        labelled = _relabel(before, site, edit)
        diagnostics = judge(self._diagnostics(files, read_diagnostics, before, index, site, labelled),
                            before.config, self.strict)
        pages = plan_edit(before.site, label_html(before.labelled), last.pages, site, label_html(labelled), edit)
        return Compiled(before.config, site, pages, tuple(diagnostics), index, labelled, before.rules, before.setup)

    def _refuse(self, files: SiteFiles, read_diagnostics: list[Diagnostic], before: Compiled) -> None:
        """A brief that does not parse: raise its errors at once, as the whole compile would
        (the rest of the site is as it was); under --strict, let the whole compile judge."""
        if not (self.strict or before.config.strict):
            found = self._diagnostics(files, read_diagnostics, before, before.index, before.site, before.labelled)
            judge(found, before.config, False)
        return None

    def _diagnostics(self, files: SiteFiles, read_diagnostics: list[Diagnostic], before: Compiled,
                     index, site: Site, labelled: dict[str, tuple[str, str]]) -> list[Diagnostic]:
        """Every diagnostic a whole compile would give (parse results come from the caches)."""
        found = list(read_diagnostics) + list(before.setup)
        for file in files.briefs:
            found += self._parse_brief(file)[1]
        for file in files.registries:
            found += self._parse_registry(file)[1]
        return found + index.diagnostics() + label_diagnostics(before.config.citation_style, labelled, site.sources)

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
            self._page_globals = {name: reads_page_globals(closure) for name, closure in self._closures.items()}
            self._templates = files.templates
        site = compiled.site
        changed = _ChangedAttrs(self._site, site)
        recorder = SiteRecorder(site)
        fingerprint = globals_fingerprint(site)
        outputs, entries, rendered = dict(files.assets), {}, []
        for page in compiled.pages:
            closure = self._closures.get(page.template, ())
            entry = self._pages.get(page.path)
            globals_read = self._page_globals.get(page.template, True)
            if not _still_valid(entry, page, closure, fingerprint if globals_read else None, changed):
                recorder.touched = set()
                data = render_page(self._env, recorder, page)
                entry = _Entry(page, closure, fingerprint, frozenset(recorder.touched), data)
                rendered.append(page.path)
            entries[page.path] = entry
            outputs[page.path] = entry.data
        self._pages, self._site = entries, site   # committed only when every page rendered
        return outputs, tuple(rendered)


def _still_valid(entry: _Entry | None, page: Page, closure: tuple[InputFile, ...],
                 fingerprint: str | None, changed: "_ChangedAttrs") -> bool:
    """``fingerprint``: None when the page's templates read none of the page-independent
    globals (``updated``): then a change of them leaves the page as it was."""
    return (entry is not None and (fingerprint is None or entry.globals == fingerprint)
            and (entry.closure is closure or entry.closure == closure)
            and (entry.page is page or entry.page == page) and not changed.any_of(entry.site_attrs))


class _ChangedAttrs:
    """Which attributes of ``site`` differ from the previous site (each compared once)."""

    def __init__(self, old: Site | None, new: Site) -> None:
        self._old, self._new, self._seen, self._sets = old, new, {}, {}

    def any_of(self, names: frozenset[str]) -> bool:
        found = self._sets.get(names)
        if found is None:
            found = self._sets[names] = any(self(name) for name in names)
        return found

    def __call__(self, name: str) -> bool:
        if name not in self._seen:
            missing = object()
            old = getattr(self._old, name, missing)
            new = getattr(self._new, name, missing)
            self._seen[name] = old is missing or not (old is new or old == new)
        return self._seen[name]


class SiteRecorder:
    """Stands in for ``site`` while a page renders and records the attributes read.

    Reads by ``render.feed_updated`` are not recorded: its result (the feed's ``updated``) is
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


_UPDATED_CODE = getattr(getattr(render, "feed_updated", None), "__code__", None)


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

