"""Benchmark: parsing and grouping a goroutine dump of one million goroutines.

Not a test (pytest does not collect it): run it as

    .venv/bin/python tests/bench/bench_dumps.py [--goroutines 1000000] [--keep FILE]

The synthetic dump is built from the real goroutine stacks of testdata/dumps/ (the debug=2
and SIGQUIT tracebacks of testdata/programs/): each goroutine takes one of those stacks with
a fresh id, fresh argument values and a wait time, so the parser cannot shortcut on repeated
text. The parse runs in a fresh process, so its peak RSS (ru_maxrss) is its own.

Targets: at least 30 MB/s, peak RSS under 300 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DUMPS = ROOT / "testdata" / "dumps"
TARGET_MB_S = 30.0
TARGET_RSS_MB = 300.0

_HEADER_RE = re.compile(r"^goroutine (\d+)( [^\[]*)?\[([^\]]*)\]:$")
_HEX_RE = re.compile(r"0x[0-9a-f]{6,}")


def real_stacks() -> list[tuple[str, str]]:
    """(state, body) of every goroutine in the real tracebacks, minus the header line."""
    stacks = []
    for path in sorted(DUMPS.glob("*.debug2.txt")) + sorted(DUMPS.glob("*.sigquit.txt")):
        text = path.read_text()
        for block in text.split("\n\n"):
            lines = block.strip("\n").split("\n")
            match = _HEADER_RE.match(lines[0])
            if match and len(lines) > 1:
                stacks.append((match.group(3).split(",")[0], "\n".join(lines[1:])))
    return stacks


def write_dump(path: Path, goroutines: int, seed: int = 1) -> int:
    """Write the synthetic dump; returns its size in bytes."""
    rng = random.Random(seed)
    stacks = real_stacks()
    weights = [40 if "leakdemo" in body else 1 for _, body in stacks]
    with open(path, "w", encoding="utf-8") as out:
        for goroutine_id in range(1, goroutines + 1):
            state, body = rng.choices(stacks, weights)[0]
            body = _HEX_RE.sub(lambda _: hex(rng.randrange(0xC000000000, 0xC0FFFFFFFF)), body)
            minutes = rng.choice(("", "", ", 3 minutes", ", 14 minutes"))
            out.write(f"goroutine {goroutine_id} [{state}{minutes}]:\n{body}\n\n")
    return path.stat().st_size


_MEASURE = """
import json, resource, sys, time
from linter.goroutines.parse import read_dump
start = time.perf_counter()
dump = read_dump(sys.argv[1])
seconds = time.perf_counter() - start
peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "peak_mb": peak_kb / 1024,
                  "goroutines": dump.goroutines, "groups": len(dump.groups)}))
"""


def measure(path: Path) -> dict:
    completed = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(completed.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--goroutines", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, help="write the synthetic dump here and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-dumps-") as temp:
        path = args.keep or Path(temp) / "goroutines.txt"
        size = write_dump(path, args.goroutines)
        result = measure(path)
    megabytes = size / 1e6
    speed = megabytes / result["seconds"]
    print(f"dump:        {args.goroutines:,} goroutines, {megabytes:,.1f} MB")
    print(f"parsed:      {result['goroutines']:,} goroutines in {result['groups']:,} groups")
    print(f"time:        {result['seconds']:.2f} s")
    print(f"throughput:  {speed:.1f} MB/s (target >= {TARGET_MB_S:.0f})")
    print(f"peak RSS:    {result['peak_mb']:.0f} MB (target < {TARGET_RSS_MB:.0f})")
    ok = speed >= TARGET_MB_S and result["peak_mb"] < TARGET_RSS_MB
    print("result:      " + ("meets the targets" if ok else "MISSES a target"))
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
