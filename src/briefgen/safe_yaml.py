"""Guards shared by every YAML reader: aliases may not expand a small text into a huge one.

``yaml.compose`` keeps an alias as a second reference to the same node, so a
"billion laughs" document composes quickly; it is measuring (or constructing) the
expanded value that would explode.  ``expanded_size`` counts the nodes the document
would expand to, stopping as soon as the count passes a limit, so a bomb is refused
in time proportional to the limit, never expanded.
"""

from __future__ import annotations

import re
from dataclasses import replace

import yaml

from briefgen.diagnostics import Diagnostic, Location

MAX_EXPANDED_NODES = 100_000


def alias_bomb(node: yaml.Node | None, limit: int = MAX_EXPANDED_NODES, text: str | None = None,
               ) -> yaml.Node | None:
    """The first node where the expanded document passes ``limit`` nodes (or that
    contains itself), or None. Given the ``text`` it was composed from, a text with no
    place where an alias could stand is not walked at all."""
    if text is not None and not _MAY_ALIAS.search(text):
        return None
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(node, False)] if node is not None else []
    while stack:
        current, children_done = stack.pop()
        if id(current) in sizes:
            continue
        children = _children(current)
        if not children_done and children:
            if any(id(child) in open_nodes for child in children):
                return current  # a recursive alias: infinitely large
            open_nodes.add(id(current))
            stack.append((current, True))
            stack.extend((child, False) for child in children if id(child) not in sizes)
            continue
        open_nodes.discard(id(current))
        sizes[id(current)] = 1 + sum(sizes.get(id(child), 0) for child in children)
        # A document without aliases expands to exactly its own nodes, however large;
        # only an expansion far beyond the nodes actually written is a bomb.
        if sizes[id(current)] > max(limit, 4 * len(sizes)):
            return current
    return None


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [item for pair in node.value for item in pair]
    return []


SAFE_TAGS = frozenset(tag for tag in yaml.SafeLoader.yaml_constructors if tag)
# libyaml composes nested collections recursively in C; text that may nest deeper than
# this goes to the pure-Python loader, whose RecursionError is caught.
MAX_NESTING_CHARS = 1000
# What may open a block collection at the start of a line: indentation and indicators.
# An alias (``*name``) or a tag (``!name``) starts a node: it follows the start of a line,
# white space or a flow indicator. Anywhere else the character is part of a scalar.
_NODE_START = r"(?:^|[\s\[{,])"
_MAY_ALIAS = re.compile(_NODE_START + r"\*", re.MULTILINE)
_MAY_ANCHOR = re.compile(_NODE_START + r"[*&]", re.MULTILINE)    # an anchor (&name) too
_MAY_TAG = re.compile(_NODE_START + "!", re.MULTILINE)
_BLOCK_PREFIX = re.compile(r"^[ ?:-]*", re.MULTILINE)


def may_anchor(text: str) -> bool:
    """Whether an anchor (``&name``) or an alias (``*name``) may stand somewhere in ``text``."""
    return _MAY_ANCHOR.search(text) is not None


def unsafe_tags(node: yaml.Node | None, text: str | None = None) -> list[yaml.Node]:
    """Nodes with an explicit tag plain YAML does not know (``!!python/object``, ``!custom``).
    Given the ``text``, a text with no place where a tag could stand is not walked."""
    if text is not None and not _MAY_TAG.search(text):
        return []
    found, seen = [], set()
    stack = [node] if node is not None else []
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if current.tag not in SAFE_TAGS:
            found.append(current)
        stack.extend(_children(current))
    return sorted(found, key=lambda n: (n.start_mark.line, n.start_mark.column))


def loader_for(text: str) -> type:
    """libyaml's safe loader, or the pure-Python one for text that may nest deeply."""
    fast = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    if nesting_bound(text) <= MAX_NESTING_CHARS or nesting_depth(text, fast) <= MAX_NESTING_CHARS:
        return fast
    return yaml.SafeLoader


def nesting_depth(text: str, loader: type) -> int:
    """The exact nesting depth of ``text`` from libyaml's events (its parser keeps a stack
    of its own, it does not recurse), stopping once past the limit; a syntax error counts
    as too deep, so that the pure-Python loader reports it."""
    depth = deepest = 0
    try:
        for event in yaml.parse(text, Loader=loader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                deepest = max(deepest, depth)
                if deepest > MAX_NESTING_CHARS:
                    break
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return MAX_NESTING_CHARS + 1
    return deepest


def nesting_bound(text: str) -> int:
    """An upper bound of the nesting depth of ``text``: every flow bracket anywhere, plus
    the longest run of indentation and block indicators at the start of a line (each
    nested block collection takes at least one column of it)."""
    flow = text.count("[") + text.count("{")
    block = max((len(m) for m in _BLOCK_PREFIX.findall(text)), default=0)
    return flow + block


# Line breaks to YAML that editors do not count: a lone carriage return, NEL, LS, PS.
_OTHER_BREAKS = re.compile("\r(?!\n)|[\x85\u2028\u2029]")
_YAML_BREAKS = re.compile("\r\n|\r|\n|[\x85\u2028\u2029]")


def editor_lines(text: str) -> "EditorLines | None":
    """The converter of YAML's locations in ``text`` to the editor's, or None when they are
    the same (no line break but line feeds and CRLF)."""
    return EditorLines(text) if _OTHER_BREAKS.search(text) else None


class EditorLines:
    """YAML's (line, column) of a text -> the editor's, which counts line feeds alone: YAML
    also breaks lines at a lone carriage return, NEL, LS and PS."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [m.end() for m in _YAML_BREAKS.finditer(text)]   # where YAML's lines start

    def of(self, location: Location) -> Location:
        if location.line < 1:
            return location
        if location.line > len(self.starts):            # past the last line break: the end
            offset = len(self.text)
        else:
            offset = min(self.starts[location.line - 1] + location.column - 1, len(self.text))
        line_start = self.text.rfind("\n", 0, offset) + 1
        return replace(location, line=self.text.count("\n", 0, offset) + 1, column=offset - line_start + 1)

    def diagnostics(self, found: list[Diagnostic]) -> list[Diagnostic]:
        return [replace(d, location=self.of(d.location)) for d in found]
