"""Recall on the public analyzers' own test suites: which of their expected diagnostics the
rules report, suite by suite.

The suites are read from bare git snapshots (`--mirror`, default /work/.mirror, one
`owner+name/repo` each), extracted to a temporary directory outside this repository and
linted there; nothing of theirs is copied here. An expected diagnostic is a line carrying
`// want "..."` (go/analysis's analysistest) or `//@ diag(...)` (staticcheck); `want
package:` facts are not diagnostics and are skipped.

A want line is *caught* when a finding of the rules mapped to the suite has its primary or
a related location on that line, or inside the statement that starts on it (contextcheck
marks the `return func() {` around the call we flag). Where our documented policy differs
on purpose, the case is listed under POLICY with the reason, keyed by the suite, the file
and the top-level function holding the want line, and counted apart. Findings on lines
without a want are listed as *extra*, with the reason when POLICY_EXTRA explains them.

    python scripts/recall_suites.py                  # per-suite table and the missed cases
    python scripts/recall_suites.py --mirror DIR     # snapshots elsewhere
"""

from __future__ import annotations

import argparse
import io
import json
import re
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lint_json import lint_findings  # noqa: E402

from linter.source import parse_file  # noqa: E402

_WANT = re.compile(r"//\s*want\s+(?!package:)|//@\s*diag\(")
_FUNC = re.compile(r"^func\s+(?:\([^)]*\)\s*)?(\w+)")


@dataclass(frozen=True)
class Run:
    """One linter run inside a suite: a directory (relative to the extracted paths), the Go
    version its cases assume, and the patterns to pass."""

    directory: str
    go_version: str
    patterns: tuple[str, ...] = ("./...",)


@dataclass(frozen=True)
class Suite:
    name: str
    snapshot: str  # owner+name under the mirror
    paths: tuple[str, ...]  # extracted with git archive
    rules: frozenset[str]
    runs: tuple[Run, ...]


SUITES = (
    Suite(
        "bodyclose",
        "timakin+bodyclose",
        ("passes/bodyclose/testdata/src",),
        frozenset({"GLK501"}),
        (Run("passes/bodyclose/testdata/src", "1.22"),),
    ),
    Suite(
        "sqlclosecheck",
        "ryanrolds+sqlclosecheck",
        ("pkg/analyzer/testdata",),
        frozenset({"GLK501"}),
        (Run("pkg/analyzer/testdata", "1.22"),),
    ),
    Suite(
        "contextcheck",
        "kkHAIKE+contextcheck",
        ("testdata/src",),
        frozenset({"GLK401"}),
        (Run("testdata/src", "1.22"),),
    ),
    Suite(
        "lostcancel",
        "golang+tools",
        ("go/analysis/passes/lostcancel/testdata/src",),
        frozenset({"GLK402"}),
        (Run("go/analysis/passes/lostcancel/testdata/src", "1.22"),),
    ),
    Suite(
        "staticcheck",
        "dominikh+go-tools",
        (
            "staticcheck/sa1015/testdata",
            "staticcheck/sa5003/testdata",
            "staticcheck/sa9001/testdata",
        ),
        frozenset({"GLK101", "GLK502"}),
        (
            Run("staticcheck/sa1015/testdata/go1.0", "1.22", ("./CheckLeakyTimeTick",)),
            Run("staticcheck/sa1015/testdata/go1.0", "1.22", ("./CheckLeakyTimeTick-main",)),
            Run("staticcheck/sa1015/testdata/go1.23", "1.23", ("./CheckLeakyTimeTick",)),
            Run("staticcheck/sa5003/testdata/go1.0", "1.22", ("./CheckDeferInInfiniteLoop",)),
            Run(
                "staticcheck/sa9001/testdata/go1.0",
                "1.22",
                ("./CheckDubiousDeferInChannelRangeLoop",),
            ),
            Run(
                "staticcheck/sa9001/testdata/go1.18",
                "1.22",
                ("./CheckDubiousDeferInChannelRangeLoop",),
            ),
        ),
    ),
)

# Expected diagnostics our documented policy does not report, on purpose:
# (suite, the file's folder/name, top-level function) -> why.
_DRAINED = "the body is closed; GLK501 asks for Close, draining it is not needed to free it"
_ROWS_LOOP = (
    "`for rows.Next()` run to its end closes the rows (database/sql documents it); the loop "
    "only leaves early through log.Fatal, which ends the process"
)
_NO_DEFER = "closed on every path without defer: a release all the same; defer is style"
_NOT_A_RESOURCE = "a deferred println holds no resource; GLK502 flags deferred releases only"
_ROOT_LINE = (
    "reported at `ctx = context.Background()` one line above: GLK401 marks where the root is "
    "made, contextcheck the call it flows into"
)
_RETURNED_CLOSURE = (
    "the root is made in a closure the function returns: whoever holds the closure decides "
    "when it runs, and GLK401 leaves roots kept by such owners alone"
)
POLICY = {
    ("contextcheck", "a/a.go", "f4"): _ROOT_LINE,
    ("contextcheck", "a/a.go", "f16"): _RETURNED_CLOSURE,
    ("contextcheck", "a/a.go", "f17"): _RETURNED_CLOSURE,
    ("bodyclose", "consumption/consumption.go", "falsePositiveDirectRead"): _DRAINED,
    ("bodyclose", "consumption/consumption.go", "falsePositiveCustomFunction"): _DRAINED,
    ("bodyclose", "consumption/consumption.go", "actuallyNotConsumed"): _DRAINED,
    ("bodyclose", "consumption/consumption.go", "requestBodyReadShouldNotInterfere"): _DRAINED,
    ("bodyclose", "consumption/consumption.go", "localRequestBodyDistinction"): _DRAINED,
    ("bodyclose", "consumption/consumption.go", "functionParameterRequestBody"): _DRAINED,
    ("sqlclosecheck", "closed/rows_incorrect_no_err.go", "rowsIncorrectNoErr"): _ROWS_LOOP,
    ("sqlclosecheck", "rows/missing_close.go", "missingClose"): _ROWS_LOOP,
    ("sqlclosecheck", "rows/non_defer_close.go", "nonDeferClose"): _NO_DEFER,
    ("sqlclosecheck", "stmt/non_defer_close.go", "nonDeferClose"): _NO_DEFER,
    ("staticcheck", "CheckDeferInInfiniteLoop/CheckDeferInInfiniteLoop.go", "fn"): _NOT_A_RESOURCE,
    (
        "staticcheck",
        "CheckDubiousDeferInChannelRangeLoop/CheckDubiousDeferInChannelRangeLoop.go",
        "fn",
    ): (_NOT_A_RESOURCE),
    ("staticcheck", "CheckDubiousDeferInChannelRangeLoop/generics.go", "tpfn"): _NOT_A_RESOURCE,
}
# Findings on lines without a want that our policy reports on purpose.
_DIRECTIVE = (
    "the suite's own `bodyclose:handled` directive exempts the callee; a discarded response "
    "still leaks its body, and golint-leaks honours its own and //nolint directives only"
)
POLICY_EXTRA = {
    ("bodyclose", "a/handledresponse.go", "responseHandledDirectiveCallSites"): _DIRECTIVE,
    (
        "bodyclose",
        "consumption/consumption.go",
        "responseHandledDirectiveSkipsConsumption",
    ): _DIRECTIVE,
    ("contextcheck", "a/a.go", "f14"): (
        "`// nolint: contextcheck` names another linter; Background in a handler with "
        "r.Context() at hand is what GLK401 reports"
    ),
    ("contextcheck", "a/a.go", "fIterSeq"): (
        "a deferred cancel per iteration of a loop keeps every context until the function "
        "returns: GLK502's shape, not a contextcheck question"
    ),
    ("contextcheck", "a/a.go", "f4"): _ROOT_LINE,
    ("staticcheck", "CheckLeakyTimeTick/CheckLeakyTimeTick.go", "fn4"): (
        "a goroutine ranging over time.Tick forever never exits: GLK203's shape"
    ),
    ("sqlclosecheck", "rows/passed.go", "passedAndNotClosed"): (
        "the rows go to a package function that ignores them and are never closed; "
        "sqlclosecheck does not look into the callee"
    ),
}


@dataclass
class Case:
    """One expected diagnostic: where it is and what became of it."""

    file: str  # path relative to the suite's extraction root
    line: int
    function: str
    span: tuple[int, int]
    caught_by: list[str] = field(default_factory=list)

    @property
    def key_name(self) -> str:
        return short_path(self.file)


def short_path(path: str) -> str:
    """`rows/missing_close.go`: the file and its folder, enough to tell suite files apart."""
    return "/".join(Path(path).parts[-2:])


def extract(git_dir: Path, paths: tuple[str, ...], target: Path) -> None:
    archive = subprocess.run(
        ["git", f"--git-dir={git_dir}", "archive", "HEAD", *paths],
        capture_output=True,
        check=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")


def top_function(lines: list[str], index: int) -> str:
    """The name of the last top-level `func` declared at or above line `index` (0-based)."""
    for line in reversed(lines[: index + 1]):
        match = _FUNC.match(line)
        if match:
            return match.group(1)
    return ""


def statement_span(path: Path, line: int) -> tuple[int, int]:
    """Lines of the outermost statement that starts on `line` (1-based), else just `line`."""
    go_file = parse_file(path, str(path), path.read_bytes())
    best = (line, line)
    row = line - 1
    stack = [go_file.root]
    while stack:
        node = stack.pop()
        if node.start_point[0] > row or node.end_point[0] < row:
            continue
        if node.start_point[0] == row and node.type.endswith("statement"):
            best = max(best, (line, node.end_point[0] + 1), key=lambda span: span[1])
        stack.extend(node.children)
    return best


def want_cases(root: Path, suite: Suite) -> list[Case]:
    cases = []
    for relative in suite.paths:
        for path in sorted((root / relative).rglob("*.go")):
            if "vendor" in path.relative_to(root).parts:
                continue
            lines = path.read_text(encoding="utf-8").splitlines()
            for index, text in enumerate(lines):
                if _WANT.search(text):
                    cases.append(
                        Case(
                            str(path.relative_to(root)),
                            index + 1,
                            top_function(lines, index),
                            statement_span(path, index + 1),
                        )
                    )
    return cases


def lint(root: Path, run: Run) -> list[dict]:
    """Findings of one run, paths made relative to the extraction root."""
    directory = root / run.directory
    if not (directory / "go.mod").exists():
        (directory / "go.mod").write_text(f"module suite\n\ngo {run.go_version}\n")
    findings = lint_findings(
        directory,
        ["--enable", "all", "--go-version", run.go_version, *run.patterns],
        str(directory),
    )
    for item in findings:
        for location in (item["location"], *(r["location"] for r in item.get("related", []))):
            location["path"] = str((directory / location["path"]).resolve().relative_to(root))
    return findings


def measure_suite(mirror: Path, suite: Suite) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"suite-{suite.name}-") as tmp:
        root = Path(tmp).resolve()
        extract(mirror / suite.snapshot / "repo", suite.paths, root)
        cases = want_cases(root, suite)
        findings = [item for run in suite.runs for item in lint(root, run)]
        lines = {}
        for path in {item["location"]["path"] for item in findings}:
            lines[path] = (root / path).read_text(encoding="utf-8").splitlines()
    by_case = {
        (case.file, line) for case in cases for line in range(case.span[0], case.span[1] + 1)
    }
    extras = []
    for item in findings:
        places = [item["location"], *(r["location"] for r in item.get("related", []))]
        matched = False
        for case in cases:
            if item["rule"] in suite.rules and any(
                p["path"] == case.file and case.span[0] <= p["line"] <= case.span[1] for p in places
            ):
                case.caught_by.append(f"{item['rule']}@{item['location']['line']}")
                matched = True
        primary = item["location"]
        if not matched and (primary["path"], primary["line"]) not in by_case:
            function = top_function(lines[primary["path"]], primary["line"] - 1)
            reason = POLICY_EXTRA.get((suite.name, short_path(primary["path"]), function), "")
            extras.append(
                {
                    "where": f"{primary['path']}:{primary['line']}",
                    "rule": item["rule"],
                    "function": function,
                    "reason": reason,
                }
            )
    rows = []
    for case in cases:
        policy = POLICY.get((suite.name, case.key_name, case.function), "")
        rows.append(
            {
                "where": f"{case.file}:{case.line}",
                "function": case.function,
                "caught_by": sorted(set(case.caught_by)),
                "policy": policy,
            }
        )
    agreed = [row for row in rows if not row["policy"]]
    return {
        "suite": suite.name,
        "wants": len(rows),
        "agreed": len(agreed),
        "caught": sum(1 for row in agreed if row["caught_by"]),
        "policy_differs": len(rows) - len(agreed),
        "policy_caught": sum(1 for row in rows if row["policy"] and row["caught_by"]),
        "extra": len(extras),
        "extra_unexplained": sum(1 for extra in extras if not extra["reason"]),
        "cases": rows,
        "extras": extras,
    }


def print_report(results: list[dict]) -> None:
    print("| suite | wants | our policy agrees | caught | policy differs | extra (unexplained) |")
    print("|---|---|---|---|---|---|")
    for r in results:
        print(
            f"| {r['suite']} | {r['wants']} | {r['agreed']} | {r['caught']} "
            f"| {r['policy_differs']} | {r['extra']} ({r['extra_unexplained']}) |"
        )
    for r in results:
        missed = [c for c in r["cases"] if not c["policy"] and not c["caught_by"]]
        odd = [e for e in r["extras"] if not e["reason"]]
        if missed or odd:
            print(f"\n{r['suite']}:")
        for case in missed:
            print(f"  missed   {case['where']} ({case['function']})")
        for extra in odd:
            print(f"  extra    {extra['where']} {extra['rule']} ({extra['function']})")


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    options.add_argument("--mirror", type=Path, default=Path("/work/.mirror"))
    options.add_argument("--json", action="store_true", help="print one JSON document")
    args = options.parse_args()
    results = [measure_suite(args.mirror, suite) for suite in SUITES]
    if args.json:
        print(json.dumps(results, indent=1))
    else:
        print_report(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
