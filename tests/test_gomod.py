"""go.mod reading: what we take from it, and that a malformed one warns instead of failing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from linter.gomod import nearest_gomod, parse_gomod, parse_version, read_gomod
from tests.conftest import run_cli

GOOD = """\
// The service module.
module "example.com/svc" // quoted paths are legal

go 1.22.3

toolchain go1.23.4

require (
\tgolang.org/x/net v0.30.0 // indirect
\tgo.uber.org/goleak v1.3.0
)

godebug (
\tasynctimerchan=1
\tpanicnil=1
)
"""


def parse(text: str):
    return parse_gomod(Path("/m/go.mod"), text)


def test_reads_module_go_toolchain_and_godebug():
    mod = parse(GOOD)
    assert mod.module_path == "example.com/svc"
    assert mod.go_version == (1, 22)
    assert mod.toolchain == (1, 23)
    assert mod.godebug == {"asynctimerchan": "1", "panicnil": "1"}
    assert mod.problems == ()
    assert mod.directory == Path("/m")


def test_require_lines_starting_with_go_are_not_the_go_directive():
    mod = parse("module m\nrequire go.uber.org/goleak v1.3.0\ngo 1.21\n")
    assert mod.go_version == (1, 21)
    assert mod.problems == ()


@pytest.mark.parametrize(
    ("line", "version"),
    [("go 1.21", (1, 21)), ("go 1.21.0", (1, 21)), ("go 1.21rc1", (1, 21)), ("go\t1.9", (1, 9))],
)
def test_go_directive_forms(line, version):
    assert parse(f"module m\n{line}\n").go_version == version


@pytest.mark.parametrize(
    ("line", "version"),
    [
        ("toolchain go1.23.4", (1, 23)),
        ("toolchain go1.24rc2", (1, 24)),
        ("toolchain go1.21.3-corp", (1, 21)),
        ("toolchain default", None),
    ],
)
def test_toolchain_forms(line, version):
    mod = parse(f"module m\ngo 1.21\n{line}\n")
    assert mod.toolchain == version
    assert mod.problems == ()


def test_single_line_godebug():
    assert parse("module m\ngo 1.23\ngodebug asynctimerchan=1\n").godebug == {"asynctimerchan": "1"}


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("go 1.22\n", "no module directive"),
        ("module m\ngo one.two\n", "unreadable go directive 'one.two'"),
        ("module m\ngo 1.22\ngo 1.23\n", "line 3: repeated go directive ignored"),
        ("module m\ngo 1.22\ntoolchain latest\n", "unreadable toolchain directive 'latest'"),
        ("module m\ngodebug (\n\tnot a setting\n)\n", "unreadable godebug setting"),
        ("module\n", "module directive without a path"),
    ],
)
def test_malformed_directives_are_problems_not_errors(text, problem):
    mod = parse(text)
    assert any(problem in p for p in mod.problems), mod.problems


def test_unreadable_go_directive_means_unknown_version():
    mod = parse("module m\ngo 1.x\n")
    assert mod.go_version is None
    assert mod.module_path == "m"


def test_repeated_go_directive_keeps_the_first():
    assert parse("module m\ngo 1.22\ngo 1.23\n").go_version == (1, 22)


def test_garbage_never_raises():
    for text in ("", ")\n(\n", "module (\n", "godebug (\n", "\x7f\x80 go go go\n", "go\n"):
        mod = parse(text)
        assert mod.go_version is None
        assert mod.problems


@pytest.mark.parametrize(
    ("text", "version"),
    [("1.22", (1, 22)), ("1.22.3", (1, 22)), ("go1.23rc1", (1, 23)), (" 1.23 ", (1, 23))],
)
def test_parse_version_accepts_what_users_type(text, version):
    assert parse_version(text) == version


@pytest.mark.parametrize("text", ["", "1", "latest", "1.x", "v1.22", "0.9"])
def test_parse_version_rejects_the_rest(text):
    assert parse_version(text) is None


def test_read_gomod_binary_file(tmp_path):
    path = tmp_path / "go.mod"
    path.write_bytes(b"module m\x00\x01\x02")
    mod = read_gomod(path)
    assert mod.go_version is None and mod.module_path is None
    assert mod.problems == ("binary file; ignored",)


def test_read_gomod_invalid_utf8_still_reads_the_rest(tmp_path):
    path = tmp_path / "go.mod"
    path.write_bytes(b"// caf\xe9\nmodule m\ngo 1.23\n")
    mod = read_gomod(path)
    assert mod.go_version == (1, 23)
    assert mod.module_path == "m"
    assert any("not valid UTF-8" in p for p in mod.problems)


def test_read_gomod_missing_file_is_a_problem(tmp_path):
    mod = read_gomod(tmp_path / "nowhere" / "go.mod")
    assert mod.go_version is None
    assert mod.problems and mod.problems[0].startswith("cannot read")


def test_nearest_gomod_is_the_closest_parent(tmp_path):
    (tmp_path / "go.mod").write_text("module outer\ngo 1.21\n")
    inner = tmp_path / "tools" / "gen"
    inner.mkdir(parents=True)
    (tmp_path / "tools" / "go.mod").write_text("module outer/tools\ngo 1.23\n")
    (tmp_path / "pkg").mkdir()
    assert nearest_gomod(inner).module_path == "outer/tools"
    assert nearest_gomod(inner).go_version == (1, 23)
    assert nearest_gomod(tmp_path / "pkg").module_path == "outer"


def test_a_directory_named_go_mod_is_not_a_module(tmp_path):
    (tmp_path / "go.mod").write_text("module outer\ngo 1.21\n")
    pkg = tmp_path / "pkg"
    (pkg / "go.mod").mkdir(parents=True)
    assert nearest_gomod(pkg).module_path == "outer"


TICKER = """\
package svc

import "time"

func Poll(done <-chan struct{}) {
	t := time.NewTicker(time.Second)
	for {
		select {
		case <-done:
			return
		case <-t.C:
		}
	}
}
"""


def test_malformed_gomod_is_a_warning_and_the_run_goes_on(tmp_path):
    (tmp_path / "go.mod").write_text("module example.com/svc\ngo 1.2x\n")
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "poll.go").write_text(TICKER)
    proc = run_cli("--no-cache", "--enable", "GLK101", "--format", "json", "./...", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr  # findings, not a usage or internal error
    assert "Traceback" not in proc.stderr
    warning = "go.mod: warning: go.mod: line 2: unreadable go directive '1.2x'"
    assert proc.stderr.count(warning) == 1, proc.stderr  # once, not once per directory
    document = json.loads(proc.stdout)
    assert len(document["findings"]) == 2
    # The unreadable version is unknown, taken as old: warnings, not Go 1.23 notes.
    assert {f["level"] for f in document["findings"]} == {"warning"}
    assert [n["kind"] for n in document["notices"]] == ["warning"]
