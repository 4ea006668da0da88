"""Guards shared by every YAML reader: aliases may not expand a small text into a huge one.

``yaml.compose`` keeps an alias as a second reference to the same node, so a
"billion laughs" document composes quickly; it is measuring (or constructing) the
expanded value that would explode.  ``expanded_size`` counts the nodes the document
would expand to, stopping as soon as the count passes a limit, so a bomb is refused
in time proportional to the limit, never expanded.
"""

from __future__ import annotations

import yaml

MAX_EXPANDED_NODES = 100_000


def alias_bomb(node: yaml.Node | None, limit: int = MAX_EXPANDED_NODES) -> yaml.Node | None:
    """The first node where the expanded document passes ``limit`` nodes (or that
    contains itself), or None."""
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
# libyaml composes nested collections recursively in C; text with more nesting characters
# than this goes to the pure-Python loader, whose RecursionError is caught.
MAX_NESTING_CHARS = 1000


def unsafe_tags(node: yaml.Node | None) -> list[yaml.Node]:
    """Nodes with an explicit tag plain YAML does not know (``!!python/object``, ``!custom``)."""
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
    """libyaml's safe loader, or the pure-Python one for deeply nested text."""
    nesting = sum(text.count(char) for char in "[{-?")
    fast = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return fast if nesting <= MAX_NESTING_CHARS else yaml.SafeLoader
