"""GLK402 flags everything `go vet -lostcancel` flags, checked against the real vet.

vet reports two things per lost cancel: the binding statement ("the cancel function is not
used on all paths", or "... should be called, not discarded") and one return statement that
misses it ("this return statement may be reached without using the cancel var defined on
line N"). GLK402 reports at the `context.WithX` call inside that statement and lists every
such return as a related location, so each vet statement must contain one of our findings,
and each vet return must be a related location of the finding for the statement on line N.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from linter.findings import Finding
from linter.source import parse_file
from tests.analysistest import SRC, lint

FIXTURES = SRC / "GLK402"
_DIAGNOSTIC_RE = re.compile(
    r"^(?P<path>\S[^:]*\.go):(?P<line>\d+):(?P<column>\d+): (?P<message>.*)$"
)
_RETURN_RE = re.compile(r"may be reached without using the \w+ var defined on line (\d+)")
_BINDINGS = ("short_var_declaration", "assignment_statement", "var_spec")


@dataclass(frozen=True)
class VetDiagnostic:
    path: str  # absolute
    line: int
    column: int
    message: str


def run_vet(go: tuple[str, dict[str, str]]) -> list[VetDiagnostic]:
    binary, env = go
    proc = subprocess.run(
        [binary, "vet", "-lostcancel", f"./{FIXTURES.name}/..."],
        cwd=SRC,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    diagnostics = []
    for line in (proc.stdout + proc.stderr).splitlines():
        match = _DIAGNOSTIC_RE.match(line.strip())
        if match:
            diagnostics.append(
                VetDiagnostic(
                    os.path.abspath(SRC / match["path"]),
                    int(match["line"]),
                    int(match["column"]),
                    match["message"],
                )
            )
    # vet exits 1 when it reports something; any other failure means the fixtures are broken.
    assert proc.returncode == (1 if diagnostics else 0), proc.stdout + proc.stderr
    return diagnostics


def binding_span(path: str, line: int, column: int) -> tuple[tuple[int, int], tuple[int, int]]:
    """(start, end) as 1-based (line, column) of the binding statement at a vet position."""
    data = Path(path).read_bytes()
    go_file = parse_file(Path(path), path, data)
    point = (line - 1, column - 1)
    node = go_file.root.descendant_for_point_range(point, point)
    while node is not None and node.type not in _BINDINGS:
        node = node.parent
    assert node is not None, f"no binding statement at {path}:{line}:{column}"
    (srow, scol), (erow, ecol) = node.start_point, node.end_point
    return (srow + 1, scol + 1), (erow + 1, ecol + 1)


def finding_in(
    findings: list[Finding], path: str, span: tuple[tuple[int, int], tuple[int, int]]
) -> Finding | None:
    start, end = span
    for finding in findings:
        location = finding.location
        where = (location.line, location.column)
        if os.path.abspath(location.path) == path and start <= where <= end:
            return finding
    return None


@pytest.mark.slow
def test_glk402_flags_every_statement_and_return_vet_flags(go):
    diagnostics = run_vet(go)
    statements = [d for d in diagnostics if not _RETURN_RE.search(d.message)]
    returns = [d for d in diagnostics if _RETURN_RE.search(d.message)]
    assert len(statements) >= 10 and returns, "the GLK402 fixtures should give vet work to do"
    findings = lint(FIXTURES, ("GLK402",))

    by_statement: dict[tuple[str, int], Finding] = {}
    missed = []
    for diagnostic in statements:
        span = binding_span(diagnostic.path, diagnostic.line, diagnostic.column)
        finding = finding_in(findings, diagnostic.path, span)
        if finding is None:
            missed.append(f"{diagnostic.path}:{diagnostic.line}: {diagnostic.message}")
        else:
            by_statement[(diagnostic.path, span[0][0])] = finding
    for diagnostic in returns:
        defined_on = int(_RETURN_RE.search(diagnostic.message).group(1))
        finding = by_statement.get((diagnostic.path, defined_on))
        related = {
            (r.location.line, r.location.column) for r in (finding.related if finding else ())
        }
        if (diagnostic.line, diagnostic.column) not in related:
            missed.append(f"{diagnostic.path}:{diagnostic.line}: {diagnostic.message}")
    assert not missed, "vet flags what GLK402 does not:\n" + "\n".join(missed)
