"""Findings and notices: the plain data that flows from rules and the runtime pass to reporters.

They are frozen dataclasses of strings and numbers so that worker processes can send them
back cheaply and the cache can store them as JSON.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from tree_sitter import Node

from linter.semantic import FUNCTION_TYPES, enclosing_function
from linter.source import GoFile

LEVELS = ("error", "warning", "note")


@dataclass(frozen=True)
class Location:
    """A source span; lines 1-based, columns 1-based in UTF-16 code units."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int

    @classmethod
    def of(cls, go_file: GoFile, node: Node) -> Location:
        line, column, end_line, end_column = go_file.span(node)
        return cls(go_file.display_path, line, column, end_line, end_column)


@dataclass(frozen=True)
class Related:
    """A secondary location: the early return that skips a Stop, the write that grows a map."""

    location: Location
    message: str


@dataclass(frozen=True)
class Finding:
    """One problem at one place. `rule`, `name` and `level` are stamped by the engine.

    `fingerprint` identifies the finding across edits elsewhere in the file: it hashes the
    rule, the file, the enclosing function and the flagged code, never the line number.
    `evidence` carries what the runtime pass learned about it (counts, states, stack).
    `scope` is the code the finding is about (by default the innermost function around the
    flagged node): a goroutine dump confirms the finding when goroutines are parked in it.
    """

    message: str
    location: Location
    rule: str = ""
    name: str = ""
    level: str = ""
    related: tuple[Related, ...] = ()
    fingerprint: str = ""
    evidence: dict[str, Any] | None = None
    scope: Location | None = None

    def sort_key(self) -> tuple:
        loc = self.location
        return (loc.path, loc.line, loc.column, self.rule, self.message)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        related = tuple(
            Related(Location(**item["location"]), item["message"]) for item in data["related"]
        )
        return cls(
            message=data["message"],
            location=Location(**data["location"]),
            rule=data["rule"],
            name=data["name"],
            level=data["level"],
            related=related,
            fingerprint=data["fingerprint"],
            evidence=data.get("evidence"),
            scope=Location(**data["scope"]) if data.get("scope") else None,
        )

    def with_(self, **changes: Any) -> Finding:
        return replace(self, **changes)


@dataclass(frozen=True)
class Notice:
    """Something the user must know that is not a finding: a skipped file, a rule that failed.

    `kind` is "skipped", "syntax", "warning", "internal-error", "dump-error" (a goroutine
    dump that cannot be read) or "heap-error" (a heap profile that cannot be read); the kinds
    in ERROR_KINDS make the run exit 2, the others are informational.
    """

    kind: str
    message: str
    path: str = ""
    rule: str = ""


ERROR_KINDS = frozenset({"internal-error", "dump-error", "heap-error"})


@dataclass
class PackageResult:
    """What checking one package produced."""

    findings: list[Finding] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)


_SPACE_RE = re.compile(r"\s+")


def _enclosing_function_name(go_file: GoFile, node: Node) -> str:
    current: Node | None = node
    while current is not None:
        if current.type in ("function_declaration", "method_declaration"):
            name = current.child_by_field_name("name")
            receiver = current.child_by_field_name("receiver")
            prefix = _SPACE_RE.sub("", go_file.text(receiver)) if receiver else ""
            return prefix + (go_file.text(name) if name else "")
        current = current.parent
    return ""


# Nodes that are themselves the code they are about: a `go` statement (its goroutine), a
# loop (GLK201's range), a function.
_SELF_SCOPED = (*FUNCTION_TYPES, "go_statement", "for_statement")


def _default_scope(node: Node) -> Node | None:
    """The code a finding at `node` is about: the node itself for a `go` statement, a loop
    or a function; otherwise the innermost function around it (None at top level)."""
    return node if node.type in _SELF_SCOPED else enclosing_function(node)


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
    confirm it; it defaults to the innermost function around `node`.
    """
    scope_node = scope if scope is not None else _default_scope(node)
    context = "\x1f".join(
        (
            go_file.display_path,
            _enclosing_function_name(go_file, node),
            _SPACE_RE.sub(" ", go_file.text(node))[:400],
        )
    )
    return Finding(
        message=message,
        location=Location.of(go_file, node),
        related=tuple(related),
        level=level,
        fingerprint=hashlib.sha256(context.encode()).hexdigest()[:32],
        scope=Location.of(go_file, scope_node) if scope_node is not None else None,
    )


def related(go_file: GoFile, node: Node, message: str) -> Related:
    return Related(Location.of(go_file, node), message)
