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
    """

    message: str
    location: Location
    rule: str = ""
    name: str = ""
    level: str = ""
    related: tuple[Related, ...] = ()
    fingerprint: str = ""
    evidence: dict[str, Any] | None = None

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
        )

    def with_(self, **changes: Any) -> Finding:
        return replace(self, **changes)


@dataclass(frozen=True)
class Notice:
    """Something the user must know that is not a finding: a skipped file, a rule that failed.

    `kind` is "skipped", "syntax", "warning" or "internal-error"; internal errors make the run
    exit 2, the others are informational.
    """

    kind: str
    message: str
    path: str = ""
    rule: str = ""


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


def report(
    go_file: GoFile,
    node: Node,
    message: str,
    related: tuple[Related, ...] | list[Related] = (),
    level: str = "",
) -> Finding:
    """Build a finding at `node`; rules call this and the engine fills in rule metadata."""
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
    )


def related(go_file: GoFile, node: Node, message: str) -> Related:
    return Related(Location.of(go_file, node), message)
