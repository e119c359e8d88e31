"""Recall on the GoKer blocking kernels: which channel leaks the static rules flag at the line
where the goroutine blocks.

GoKer ("GoBench: A Benchmark Suite of Real-World Go Concurrency Bugs") ships with the Go
toolchain as runtime/testdata/testgoroutineleakprofile/goker: one small program per real
bug, each registered under a name. The runtime's own test (runtime/goroutineleakprofile_test.go,
`gokerTestCases`) runs each kernel and lists the goroutines it must leak, as a regexp of the
leaking function and its wait reason (`Grpc862 ... [chan receive]`). It does not name lines,
so this script asks the runtime, as the test does: it builds the kernels, runs each one the
way the test runs it, and reads the line of every leaked goroutine from the `goroutineleak`
profile the kernel prints. A kernel is a *channel kernel* when the test expects one of its
leaks to wait on a channel (`chan send`, `chan receive`, `select`); it is *flagged* when a
static finding's primary location is one of the lines its channel leaks block at.

    python scripts/recall_goker.py            # table per kernel and the n/N summary
    python scripts/recall_goker.py --json     # the same as one JSON document

The kernels are copied to a temporary directory with a go.mod; nothing is written here.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from lint_json import BIN, lint_findings

GO = BIN / "go"
CHANNEL_WAITS = re.compile(r"chan send|chan receive|select")
# `goroutine 8 [chan send (leaked)]:`, then frames: `main.f(...)` / `\t/path/file.go:48 +0x..`
_LEAKED = re.compile(r"^goroutine \d+ \[(?P<wait>[^\]]*?) \(leaked\)")
_FRAME_FILE = re.compile(r"^\t(?P<path>\S+\.go):(?P<line>\d+)")
STEADY_RUNS = 10
MAX_RUNS = 40
RUN_TIMEOUT = 20  # seconds; a kernel prints its profile within milliseconds


@dataclass(frozen=True)
class Leak:
    """One goroutine a kernel leaked: its wait reason and the kernel line it blocks at."""

    wait: str
    file: str
    line: int


@dataclass
class Kernel:
    """A GoKer case of the runtime test: its name and expected leaks (regexp sources)."""

    name: str
    flaky: bool
    expected: list[str]
    leaks: set[Leak] = field(default_factory=set)

    @property
    def is_channel_kernel(self) -> bool:
        return any(CHANNEL_WAITS.search(pattern) for pattern in self.expected)

    @property
    def blocking_lines(self) -> set[tuple[str, int]]:
        return {(leak.file, leak.line) for leak in self.leaks if CHANNEL_WAITS.search(leak.wait)}


def goroot() -> Path:
    out = subprocess.run([str(GO), "env", "GOROOT"], capture_output=True, text=True, check=True)
    return Path(out.stdout.strip())


def expected_kernels(test_source: str) -> list[Kernel]:
    """`makeTest("Grpc862", `re`, ...)` / `makeFlakyTest(...)` entries of gokerTestCases.

    Commented-out cases (Kubernetes1321, which can crash) stay out, as in the runtime test.
    """
    start = test_source.index("gokerTestCases := []testCase{")
    body = test_source[start : test_source.index("\n\t}\n", start)]
    live = "\n".join(ln for ln in body.splitlines() if not ln.strip().startswith("//"))
    starts = list(re.finditer(r'make(Flaky)?Test\("(\w+)"', live))
    kernels = []
    for match, following in zip(starts, [*starts[1:], None], strict=True):
        segment = live[match.end() : following.start() if following else len(live)]
        kernels.append(
            Kernel(match.group(2), bool(match.group(1)), re.findall(r"`([^`]*)`", segment))
        )
    return kernels


def prepare(kernels_dir: Path, work: Path) -> Path:
    """Copy the kernels into `work` as module `goker` and build them once."""
    for source in kernels_dir.glob("*.go"):
        shutil.copy(source, work / source.name)
    version = subprocess.run(
        [str(GO), "env", "GOVERSION"], capture_output=True, text=True, check=True
    ).stdout.strip()
    major_minor = ".".join(version.removeprefix("go").split(".")[:2])
    (work / "go.mod").write_text(f"module goker\n\ngo {major_minor}\n", encoding="utf-8")
    program = work / "goker.bin"
    subprocess.run([str(GO), "build", "-o", str(program), "."], cwd=work, check=True)
    return program


def leaks_in(profile: str, work: Path) -> set[Leak]:
    """Leaked goroutines of one run, each at its first frame in a kernel file."""
    found = set()
    for block in profile.split("\n\n"):
        lines = block.strip("\n").splitlines()
        header = _LEAKED.match(lines[0]) if lines else None
        if header is None:
            continue
        for line in lines[1:]:
            frame = _FRAME_FILE.match(line)
            if frame is None:
                continue
            path = Path(frame.group("path"))
            if path.parent == work and path.name != "main.go":
                found.add(Leak(header.group("wait"), path.name, int(frame.group("line"))))
                break
    return found


def run_kernel(program: Path, work: Path, kernel: Kernel) -> None:
    """Run as the runtime test does (flaky kernels on every P, the others on one) and collect
    the leaks. A kernel can block on different lines from one run to the next (a random
    branch picks the send), so every kernel runs STEADY_RUNS times, and a flaky kernel that
    has leaked nothing yet gets up to MAX_RUNS tries."""
    env = {**os.environ, "GODEBUG": "asyncpreemptoff=1"}
    if not kernel.flaky:
        env["GOMAXPROCS"] = "1"
    for attempt in range(MAX_RUNS if kernel.flaky else STEADY_RUNS):
        if attempt >= STEADY_RUNS and kernel.leaks:
            break
        try:
            proc = subprocess.run(
                [str(program), kernel.name],
                capture_output=True,
                text=True,
                env=env,
                timeout=RUN_TIMEOUT,
            )
        except subprocess.TimeoutExpired:
            continue
        kernel.leaks |= leaks_in(proc.stdout, work)


def findings_by_line(work: Path) -> dict[tuple[str, int], list[str]]:
    """Every static rule on the kernels: rule codes by (file, line) of the primary location.

    The kernels share one package in the toolchain's tree, and so would their struct fields
    (`dataChan`, `result`, `resetChan` appear in several): each kernel is linted as its own
    package, next to a copy of the registry (main.go), as it is its own program."""
    lint = work / "lint"
    for kernel in sorted(work.glob("*.go")):
        if kernel.name == "main.go":
            continue
        package = lint / kernel.stem
        package.mkdir(parents=True)
        shutil.copy(kernel, package / kernel.name)
        shutil.copy(work / "main.go", package / "main.go")
    shutil.copy(work / "go.mod", lint / "go.mod")
    by_line: dict[tuple[str, int], list[str]] = {}
    for item in lint_findings(lint, ["--enable", "all", "./..."], "GoKer kernels"):
        location = item["location"]
        by_line.setdefault((Path(location["path"]).name, int(location["line"])), []).append(
            item["rule"]
        )
    return by_line


def measure() -> dict:
    root = goroot()
    test_source = (root / "src" / "runtime" / "goroutineleakprofile_test.go").read_text()
    kernels = [k for k in expected_kernels(test_source) if k.is_channel_kernel]
    with tempfile.TemporaryDirectory(prefix="goker-") as tmp:
        work = Path(tmp).resolve()
        program = prepare(root / "src/runtime/testdata/testgoroutineleakprofile/goker", work)
        for kernel in kernels:
            run_kernel(program, work, kernel)
        findings = findings_by_line(work)
    rows = []
    for kernel in kernels:
        lines = sorted(kernel.blocking_lines)
        hits = {
            f"{file}:{line}": findings[(file, line)]
            for file, line in lines
            if (file, line) in findings
        }
        rows.append(
            {
                "kernel": kernel.name,
                "blocking_lines": [f"{file}:{line}" for file, line in lines],
                "flagged": hits,
            }
        )
    return {
        "channel_kernels": len(rows),
        "observed": sum(1 for row in rows if row["blocking_lines"]),
        "flagged": sum(1 for row in rows if row["flagged"]),
        "kernels": rows,
    }


def print_table(result: dict) -> None:
    print("| kernel | blocking lines (channel leaks) | flagged at a blocking line |")
    print("|---|---|---|")
    for row in result["kernels"]:
        lines = ", ".join(row["blocking_lines"]) or "(no leak observed)"
        flagged = ", ".join(f"{where} {'/'.join(codes)}" for where, codes in row["flagged"].items())
        print(f"| {row['kernel']} | {lines} | {flagged or '-'} |")
    print(
        f"\n{result['flagged']}/{result['channel_kernels']} channel kernels flagged at a blocking "
        f"line ({result['observed']} leaked in the runs)"
    )


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    options.add_argument("--json", action="store_true", help="print one JSON document")
    args = options.parse_args()
    result = measure()
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        print_table(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
