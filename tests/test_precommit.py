"""The pre-commit hook, run by the real `pre-commit try-repo` in a throwaway git repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.test_cli import CLEAN, LEAKY, write

pytestmark = pytest.mark.slow


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def pre_commit(cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).parent / "pre-commit"
    return subprocess.run(
        [str(exe), "try-repo", str(ROOT), "golint-leaks", "--verbose"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def test_hook_fails_on_a_leak_and_passes_once_fixed(tmp_path):
    if shutil.which("git") is None:
        pytest.fail("git is required for the pre-commit test")
    project = tmp_path / "project"
    write(project / "go.mod", "module example.com/p\n\ngo 1.22\n")
    write(project / "svc" / "leak.go", LEAKY)
    write(project / "svc" / "other.go", "package leaky\n")
    git(project, "init", "-q")
    git(project, "config", "user.email", "t@example.com")
    git(project, "config", "user.name", "t")
    git(project, "add", "-A")
    env = dict(os.environ, PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"))
    env.pop("VIRTUAL_ENV", None)

    failing = pre_commit(project, env)
    output = failing.stdout + failing.stderr
    assert failing.returncode == 1, output
    assert "svc/leak.go:6:12: GLK402 the cancel function returned by context.WithCancel" in output

    write(project / "svc" / "leak.go", CLEAN)
    git(project, "add", "-A")
    passing = pre_commit(project, env)
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert "Passed" in passing.stdout
