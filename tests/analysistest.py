"""The `// want` harness, after golang.org/x/tools/go/analysis/analysistest.

A fixture line that must be flagged carries `// want GLK101` (several codes: `// want GLK101
GLK202`); a quoted regexp after a code must match the message: `// want GLK101 "never
stopped"`. The harness fails on a want nobody met *and* on any finding nobody wanted.

A related location (the return that leaves a ticker running, the write that grows a map) is
asserted on its own line with `// related GLK101 "regexp"`: some GLK101 finding must list
this line among its related locations, with a message the regexp matches; several on one
line are written `// related GLK402 "a" GLK402 "b"`. On a line that is also flagged, the
two comments follow each other: `// want GLK502 "in a loop" // related GLK502 "next"`.
Asserting related locations is opt-in per finding: once one related location of a finding
is annotated, every related location of it must be, so a finding that grows a related
location nobody wanted fails, as an unwanted finding does.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from linter.discover import discover
from linter.engine import Settings, run
from linter.findings import Finding, Related

TESTDATA = Path(__file__).resolve().parent.parent / "testdata"
SRC = TESTDATA / "src"
# An annotation runs to the end of the line or to the next annotation on it.
_ANNOTATION_RE = re.compile(r"//\s*(want|related)\s+(.*?)(?=//\s*(?:want|related)\s|$)")
_ITEM_RE = re.compile(r'(GLK\d{3})(?:\s+"((?:[^"\\]|\\.)*)")?')


@dataclass(frozen=True)
class Annotation:
    """One `// want` or `// related` item: where it is, the rule, the message regexp."""

    path: str  # absolute
    line: int
    code: str
    pattern: str | None

    def matches(self, message: str) -> bool:
        return self.pattern is None or re.search(self.pattern, message) is not None


def annotations_in(path: Path) -> dict[str, list[Annotation]]:
    """The `want` and `related` annotations of a file, by kind."""
    found: dict[str, list[Annotation]] = {"want": [], "related": []}
    key_path = os.path.abspath(path)
    text = path.read_text(encoding="utf-8", errors="replace")
    for number, line in enumerate(text.splitlines(), start=1):
        for kind, items in _ANNOTATION_RE.findall(line):
            for code, pattern in _ITEM_RE.findall(items):
                found[kind].append(Annotation(key_path, number, code, pattern or None))
    return found


def wants_in(path: Path) -> list[tuple[int, str, str | None]]:
    """(line, code, message regexp or None) for each want in a file."""
    return [(a.line, a.code, a.pattern) for a in annotations_in(path)["want"]]


def lint(directory: Path, codes: tuple[str, ...], **settings: object) -> list[Finding]:
    """Run the engine in-process (jobs=1) over `directory/...` with only `codes` enabled."""
    discovery = discover([f"{directory}/..."], [], directory)
    outcome = run(
        discovery.units,
        Settings(enabled=codes, cwd=os.getcwd(), **settings),  # type: ignore[arg-type]
        jobs=1,
    )
    errors = [n for n in outcome.notices if n.kind in ("internal-error", "skipped", "syntax")]
    assert not errors, f"fixture problems: {errors}"
    return outcome.findings


def check_fixtures(directory: Path, codes: tuple[str, ...], **settings: object) -> None:
    """Assert the findings over `directory` are exactly its `// want` annotations, and
    their related locations those of its `// related` annotations (see the module doc)."""
    wants: list[Annotation] = []
    relateds: list[Annotation] = []
    for path in sorted(directory.rglob("*.go")):
        found = annotations_in(path)
        wants.extend(a for a in found["want"] if a.code in codes)
        relateds.extend(a for a in found["related"] if a.code in codes)
    assert wants, f"no // want annotations under {directory}"
    findings = lint(directory, codes, **settings)
    problems = want_problems(wants, findings) + related_problems(relateds, findings)
    assert not problems, "\n".join(problems)


def want_problems(wants: list[Annotation], findings: list[Finding]) -> list[str]:
    """Missed wants, unwanted findings, and messages no wanted regexp matches."""
    expected = Counter((a.path, a.line, a.code) for a in wants)
    got: Counter = Counter()
    messages: dict[tuple[str, int, str], list[str]] = {}
    for finding in findings:
        key = (os.path.abspath(finding.location.path), finding.location.line, finding.rule)
        got[key] += 1
        messages.setdefault(key, []).append(finding.message)
    problems = []
    for key in sorted(expected - got):
        problems.append(f"missed:     {key[0]}:{key[1]}: want {key[2]}")
    for key in sorted(got - expected):
        problems.append(f"unexpected: {key[0]}:{key[1]}: {key[2]} {messages[key]}")
    for want in wants:
        key = (want.path, want.line, want.code)
        if key in messages and not any(want.matches(m) for m in messages[key]):
            problems.append(
                f"message:    {want.path}:{want.line}: {messages[key]} !~ {want.pattern!r}"
            )
    return problems


def related_problems(relateds: list[Annotation], findings: list[Finding]) -> list[str]:
    """`// related` annotations no finding meets, and, for each finding with an annotated
    related location, its related locations nobody annotated."""
    problems = []
    opted_in: set[int] = set()
    for want in relateds:
        meeting = [
            index
            for index, finding in enumerate(findings)
            if finding.rule == want.code and any(_meets(want, r) for r in finding.related)
        ]
        if not meeting:
            problems.append(
                f"missed:     {want.path}:{want.line}: related {want.code} {want.pattern!r}"
            )
        opted_in.update(meeting)
    for index in sorted(opted_in):
        finding = findings[index]
        for where in finding.related:
            if not any(want.code == finding.rule and _meets(want, where) for want in relateds):
                location = finding.location
                problems.append(
                    f"unexpected: {os.path.abspath(where.location.path)}:{where.location.line}: "
                    f"related {where.message!r} of {finding.rule} at "
                    f"{location.path}:{location.line}"
                )
    return problems


def _meets(want: Annotation, where: Related) -> bool:
    return (
        os.path.abspath(where.location.path) == want.path
        and where.location.line == want.line
        and want.matches(where.message)
    )
