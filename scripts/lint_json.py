"""The measuring scripts' one way to run golint-leaks: the copy installed beside the Python
that runs the script (so a worktree's venv measures that worktree's code), JSON out, a fixed
hash seed so two runs of the same code compare byte for byte."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent


def lint_findings(directory: Path, args: list[str], what: str) -> list[dict]:
    """The findings of `golint-leaks --no-cache --format json ARGS` run in `directory`; a
    crash ends the script with `what` and the end of stderr."""
    proc = subprocess.run(
        [str(BIN / "golint-leaks"), "--no-cache", "--format", "json", *args],
        cwd=directory,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONHASHSEED": "0"},
    )
    if proc.returncode not in (0, 1):
        sys.exit(f"{what}: golint-leaks failed: {proc.stderr.strip()[-400:]}")
    return json.loads(proc.stdout)["findings"]


def listed_rules() -> list[str]:
    """The lines of `golint-leaks --list-rules` that describe a rule."""
    out = subprocess.run(
        [str(BIN / "golint-leaks"), "--list-rules"], capture_output=True, text=True, check=True
    ).stdout
    return [line for line in out.splitlines() if line.startswith("GLK")]
