"""Findings and notices: the plain data that flows from rules and the runtime pass to reporters.

They are frozen dataclasses of strings and numbers so that worker processes can send them
back cheaply and the cache can store them as JSON. Nothing here knows the syntax tree:
findings are built from code in `linter.reporting`, so reporters and the cache never load
the parser.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any

LEVELS = ("error", "warning", "note")
# The name a fingerprint travels under in SARIF partialFingerprints (and is read back from a
# SARIF baseline); the suffix is bumped if the fingerprint's recipe ever changes meaning.
FINGERPRINT_KEY = "golintLeaks/v1"


@dataclass(frozen=True)
class Location:
    """A source span; lines 1-based, columns 1-based in UTF-16 code units."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True)
class Related:
    """A secondary location: the early return that skips a Stop, the write that grows a map."""

    location: Location
    message: str


@dataclass(frozen=True)
class Finding:
    """One problem at one place. `rule`, `name` and `level` are stamped by the engine.

    `fingerprint` identifies the finding across edits elsewhere in the file: it hashes the
    rule, the file (by module path, so not the checkout's place or the working directory),
    the enclosing function and the flagged code, never the line number
    (`linter.reporting.fingerprint` makes every one).
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
    dump that cannot be read), "heap-error" (a heap profile that cannot be read) or
    "unused-ignore" (an ignore comment that silences nothing, at `line`); the kinds in
    ERROR_KINDS make the run exit 2, the others are informational.
    """

    kind: str
    message: str
    path: str = ""
    rule: str = ""
    line: int = 0  # 0: about the whole file (or no file)


ERROR_KINDS = frozenset({"internal-error", "dump-error", "heap-error"})
UNUSED_IGNORE = "unused-ignore"


@dataclass
class PackageResult:
    """What checking one package produced."""

    findings: list[Finding] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
