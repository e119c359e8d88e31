"""Go snippets parsed in-process, for tests that ask the semantic layer questions directly.

`package_of` parses one or more files into a Package, as the engine would; `node_at` finds
the node a test means by the code it spells, so tests read as Go rather than tree paths.
"""

from __future__ import annotations

from pathlib import Path

from tree_sitter import Node

from linter.source import GoFile, Package, parse_file


def go_file(source: str, name: str = "x.go") -> GoFile:
    """One parsed file; `source` without a package clause gets `package x`."""
    text = source if source.lstrip().startswith("package ") else "package x\n\n" + source
    path = Path("/src/x") / name
    return parse_file(path, f"x/{name}", text.encode())


def package_of(*sources: str, name: str = "x") -> Package:
    """A package of the given files (x.go, x1.go, ...), as the engine groups them."""
    files = [go_file(s, "x.go" if i == 0 else f"x{i}.go") for i, s in enumerate(sources)]
    return Package(directory=Path("/src/x"), name=name, files=files)


def node_at(go_file: GoFile, code: str, node_type: str, occurrence: int = 0) -> Node:
    """The `node_type` node that starts where `code` first (or `occurrence`-th) appears: the
    one spanning exactly `code` if there is one, else the innermost starting there."""
    start = -1
    for _ in range(occurrence + 1):
        start = go_file.data.index(code.encode(), start + 1)
    end = start + len(code.encode())
    candidates = []
    node: Node | None = go_file.root.descendant_for_byte_range(start, start)
    while node is not None and node.start_byte == start:
        if node.type == node_type:
            candidates.append(node)
        node = node.parent
    assert candidates, f"no {node_type} at {code!r}"
    return next((n for n in candidates if n.end_byte == end), candidates[0])


def descendants(node: Node, node_type: str) -> list[Node]:
    """Every node of `node_type` below `node` (itself included), in source order."""
    found = [node] if node.type == node_type else []
    for child in node.named_children:
        found.extend(descendants(child, node_type))
    return found
