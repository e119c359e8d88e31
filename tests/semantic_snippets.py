"""Go snippets for the semantic layer's own tests: parse a function body and point at a node.

The node under test is named by a marker comment: `// <-` at the end of a line picks the
identifier spelled `v` on that line (the last one when several), so each case reads as Go.
"""

from __future__ import annotations

import re
from pathlib import Path

from tree_sitter import Node

from linter.semantic import functions
from linter.source import GoFile, parse_file

MARK = "// <-"


def go_file(body: str, imports: str = "") -> GoFile:
    """A file holding `func f() { body }` (or `body` itself when it declares functions)."""
    declares = re.match(r"\s*func\s+[\w(]", body) is not None
    code = body if declares else f"func f() {{\n{body}\n}}\n"
    source = f"package p\n\n{imports}\n{code}"
    return parse_file(Path("p.go"), "p.go", source.encode())


def marked(go: GoFile, name: str = "v") -> Node:
    """The identifier `name` on the line carrying the marker comment."""
    lines = go.data.decode().splitlines()
    row = next(i for i, line in enumerate(lines) if line.rstrip().endswith(MARK))
    found = [
        node
        for node in _identifiers(go.root)
        if node.start_point[0] == row and go.text(node) == name
    ]
    assert found, f"no {name!r} on the marked line {lines[row]!r}"
    return found[-1]


def first_function(go: GoFile) -> Node:
    return functions(go)[0]


def _identifiers(node: Node) -> list[Node]:
    found = [node] if node.type == "identifier" else []
    for child in node.children:
        found.extend(_identifiers(child))
    return found
