"""Building findings from code: the one place a finding meets the syntax tree.

Rules call `report` and `related`; the engine and the runtime pass call `fingerprint`. The
findings themselves (`linter.findings`) stay plain data, so reporters and the result cache
never load the parser.
"""

from __future__ import annotations

import hashlib
import re

from tree_sitter import Node

from linter.findings import Finding, Location, Related
from linter.semantic import FUNCTION_TYPES, enclosing_function
from linter.source import GoFile

_SPACE_RE = re.compile(r"\s+")

# Nodes that are themselves the code they are about: a `go` statement (its goroutine), a
# loop (GLK201's range), a function.
_SELF_SCOPED = (*FUNCTION_TYPES, "go_statement", "for_statement")


def fingerprint(*parts: str) -> str:
    """The stable identity of a finding: a hash of `parts`, which must not include line
    numbers, so that the fingerprint survives edits elsewhere in the file.

    Every fingerprint (a rule's seed, the engine's per-rule one, a runtime GLK900) is made
    here, so all of them have the same shape: 32 hex digits of SHA-256 over the parts
    joined by the unit separator.
    """
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def location_of(go_file: GoFile, node: Node) -> Location:
    """Where `node` is, as users and SARIF count: 1-based lines, UTF-16 columns."""
    line, column, end_line, end_column = go_file.span(node)
    return Location(go_file.display_path, line, column, end_line, end_column)


def report(
    go_file: GoFile,
    node: Node,
    message: str,
    related: tuple[Related, ...] | list[Related] = (),
    level: str = "",
    scope: Node | None = None,
) -> Finding:
    """Build a finding at `node`; rules call this and the engine fills in rule metadata.

    `scope` is the code the finding is about, where goroutines of a dump must be parked to
    confirm it; it defaults to the node itself for a `go` statement, a loop or a function,
    otherwise to the innermost function around `node` (none at top level).

    The fingerprint seed hashes the enclosing named function and the flagged code, never the
    line; the engine adds the rule and the file (by module path, which does not change with
    the working directory as the displayed path does) and tells apart findings that share a
    node.
    """
    scope_node = scope if scope is not None else _default_scope(node)
    return Finding(
        message=message,
        location=location_of(go_file, node),
        related=tuple(related),
        level=level,
        fingerprint=fingerprint(
            _enclosing_function_name(go_file, node),
            _SPACE_RE.sub(" ", go_file.text(node))[:400],
        ),
        scope=location_of(go_file, scope_node) if scope_node is not None else None,
    )


def related(go_file: GoFile, node: Node, message: str) -> Related:
    """A secondary location of a finding: the exit that skips a release, the write that grows."""
    return Related(location_of(go_file, node), message)


def _default_scope(node: Node) -> Node | None:
    return node if node.type in _SELF_SCOPED else enclosing_function(node)


def _enclosing_function_name(go_file: GoFile, node: Node) -> str:
    """`(*Server)Serve` for code in a method, `run` in a function, "" at top level: function
    literals are skipped, so moving code into a closure keeps its fingerprint."""
    current: Node | None = node
    while current is not None:
        if current.type in ("function_declaration", "method_declaration"):
            name = current.child_by_field_name("name")
            receiver = current.child_by_field_name("receiver")
            prefix = _SPACE_RE.sub("", go_file.text(receiver)) if receiver else ""
            return prefix + (go_file.text(name) if name else "")
        current = current.parent
    return ""
