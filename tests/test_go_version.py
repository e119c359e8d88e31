"""Go version awareness of the timer rules (GLK101, GLK102).

Since Go 1.23 unreferenced timers and tickers are collected even when not stopped. The
version comes from the nearest go.mod (`--go-version` overrides it; no go.mod, or an
unreadable `go` line, means unknown and is taken as old). The fixture trees hold a `go 1.22`
module with a nested `go 1.23` module under each rule's `go123/`.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from linter.gomod import nearest_gomod
from tests.analysistest import SRC, lint
from tests.conftest import run_cli

GLK101_NEW = SRC / "GLK101" / "go123"
GLK102_OLD = SRC / "GLK102"
GLK102_NEW = SRC / "GLK102" / "go123"


def by_line(findings):
    return {(Path(f.location.path).name, f.location.line): f for f in findings}


def test_fixture_modules_declare_the_versions_the_tests_rely_on():
    assert nearest_gomod(GLK102_OLD).go_version == (1, 22)
    assert nearest_gomod(GLK102_NEW).go_version == (1, 23)
    assert nearest_gomod(GLK101_NEW).go_version == (1, 23)


def test_glk101_on_go123_reports_only_tickers_something_still_holds():
    findings = lint(GLK101_NEW, ("GLK101",))
    got = Counter((f.message.split(";")[0], f.level) for f in findings)
    # PollUntilDone and EachJob leave tickers nothing references: collected, not reported.
    assert got == Counter(
        {
            ("ticker 't' is never stopped", "warning"): 1,  # Heartbeat: a goroutine holds it
            ("ticker 'tick' is never stopped", "warning"): 1,  # an HTTP handler holds it
        }
    )
    assert not any("time.Tick" in f.message for f in findings)  # Tick is fine on 1.23


def test_glk101_on_old_go_keeps_everything_a_warning():
    findings = lint(GLK101_NEW, ("GLK101",), go_version="1.22")
    assert Counter(f.level for f in findings) == Counter(warning=5)  # time.Tick too
    assert any("time.Tick" in f.message for f in findings)
    assert not any("Go 1.23" in f.message for f in findings)


def test_glk102_on_go123_reports_only_afterfunc():
    findings = lint(GLK102_NEW, ("GLK102",))
    assert len(findings) == 1
    assert "AfterFunc" in findings[0].message
    assert findings[0].level == "warning"


def test_glk102_old_module_reports_the_old_go_shapes():
    findings = lint(GLK102_OLD, ("GLK102",))
    shapes = Counter(
        "after-func"
        if "AfterFunc" in f.message
        else "after-in-loop"
        if "in a loop makes a new timer" in f.message
        else "new-timer"
        for f in findings
        if "go123" not in f.location.path
    )
    assert shapes["after-in-loop"] >= 5
    assert shapes["new-timer"] >= 4
    assert shapes["after-func"] == 1


def test_go_version_flag_overrides_an_old_gomod():
    findings = lint(GLK102_OLD, ("GLK102",), go_version="1.23")
    assert findings, "AfterFunc is reported on every version"
    assert all("AfterFunc" in f.message for f in findings)


def test_go_version_flag_overrides_a_new_gomod():
    findings = lint(GLK102_NEW, ("GLK102",), go_version="1.22")
    lines = by_line(findings)
    assert len(lines) == 4  # NewTimer, time.After in a loop, per-iteration timer, AfterFunc
    assert any("time.After in a loop" in f.message for f in findings)


def test_go_version_cli_option(tmp_path):
    old = run_cli("--no-cache", "--enable", "GLK102", "--format", "json", "./...", cwd=GLK102_NEW)
    new = run_cli(
        "--no-cache",
        "--enable",
        "GLK102",
        "--go-version",
        "1.21",
        "--format",
        "json",
        "./...",
        cwd=GLK102_NEW,
    )
    assert old.returncode == new.returncode == 1, old.stderr + new.stderr
    assert len(json.loads(old.stdout)["findings"]) == 1
    assert len(json.loads(new.stdout)["findings"]) == 4


LEAKY_TIMER = """\
package svc

import "time"

func Call(replies <-chan int, d time.Duration) (int, bool) {
	t := time.NewTimer(d)
	select {
	case r := <-replies:
		return r, true
	case <-t.C:
		return 0, false
	}
}
"""


def write_package(directory: Path, gomod: str | None, source: str = LEAKY_TIMER) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    if gomod is not None:
        (directory / "go.mod").write_text(gomod)
    (directory / "svc.go").write_text(source)
    return directory


@pytest.mark.parametrize(
    ("gomod", "reported"),
    [
        (None, True),  # no go.mod: unknown, taken as old
        ("module svc\n", True),  # no go line: Go takes it as 1.16
        ("module svc\ngo 1.22\n", True),
        ("module svc\ngo 1.23\n", False),
        ("module svc\ngo 1.24.1\n", False),
        ("module svc\ngo 1.23\ngodebug asynctimerchan=1\n", True),  # old timers asked back
        ("module svc\ngo 1.2x\n", True),  # unreadable: unknown, taken as old
    ],
)
def test_version_sources(tmp_path, gomod, reported):
    directory = write_package(tmp_path / "svc", gomod)
    assert bool(lint(directory, ("GLK102",))) is reported


def test_go_debug_directive_in_main_brings_old_timers_back(tmp_path):
    source = (
        "//go:debug asynctimerchan=1\n\n"
        + LEAKY_TIMER.replace("package svc", "package main")
        + "\nfunc main() {}\n"
    )
    directory = write_package(tmp_path / "cmd", "module cmd\ngo 1.23\n", source)
    assert len(lint(directory, ("GLK102",))) == 1


def test_go_version_that_is_not_a_version_is_a_usage_error():
    proc = run_cli("--no-cache", "--go-version", "latest", "./...", cwd=GLK102_NEW)
    assert proc.returncode == 2
    assert "--go-version 'latest'" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_cached_results_follow_a_gomod_change(tmp_path):
    directory = write_package(tmp_path / "svc", "module svc\ngo 1.23\n")
    cache = str(tmp_path / "cache")

    def findings() -> int:
        proc = run_cli(
            "--cache-dir", cache, "--enable", "GLK102", "--format", "json", "./...", cwd=directory
        )
        assert proc.returncode in (0, 1), proc.stderr
        return len(json.loads(proc.stdout)["findings"])

    assert findings() == 0
    (directory / "go.mod").write_text("module svc\ngo 1.23\ngodebug asynctimerchan=1\n")
    assert findings() == 1  # the old timers are back: not the cached answer
