"""The `// want` harness, after golang.org/x/tools/go/analysis/analysistest.

A fixture line that must be flagged carries `// want GLK101` (several codes: `// want GLK101
GLK202`); a quoted regexp after a code must match the message: `// want GLK101 "never
stopped"`. The harness fails on a want nobody met *and* on any finding nobody wanted.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path

from linter.discover import discover
from linter.engine import Settings, run
from linter.findings import Finding

TESTDATA = Path(__file__).resolve().parent.parent / "testdata"
SRC = TESTDATA / "src"
_WANT_RE = re.compile(r"//\s*want\s+(.*)$")
_ITEM_RE = re.compile(r'(GLK\d{3})(?:\s+"((?:[^"\\]|\\.)*)")?')


def wants_in(path: Path) -> list[tuple[int, str, str | None]]:
    """(line, code, message regexp or None) for each want in a file."""
    result = []
    text = path.read_text(encoding="utf-8", errors="replace")
    for number, line in enumerate(text.splitlines(), start=1):
        match = _WANT_RE.search(line)
        if match:
            for code, pattern in _ITEM_RE.findall(match.group(1)):
                result.append((number, code, pattern or None))
    return result


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
    """Assert the findings over `directory` are exactly its `// want` annotations."""
    expected: Counter = Counter()
    patterns: dict[tuple[str, int, str], list[str]] = {}
    for path in sorted(directory.rglob("*.go")):
        key_path = os.path.abspath(path)
        for line, code, pattern in wants_in(path):
            if code in codes:
                expected[(key_path, line, code)] += 1
                if pattern:
                    patterns.setdefault((key_path, line, code), []).append(pattern)
    assert expected, f"no // want annotations under {directory}"
    findings = lint(directory, codes, **settings)
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
    for key, wanted in sorted(patterns.items()):
        for pattern in wanted:
            if key in messages and not any(re.search(pattern, m) for m in messages[key]):
                problems.append(f"message:    {key[0]}:{key[1]}: {messages[key]} !~ {pattern!r}")
    assert not problems, "\n".join(problems)
