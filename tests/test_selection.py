"""Selection: --tests=false, comma lists in --enable/--disable, staticcheck's //lint:ignore and
//lint:file-ignore, --report-unused-ignores, and import-path patterns resolved through go.mod."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from linter.source import ALL_RULES, parse_ignore
from tests.conftest import LEAK_LINE, LEAKY, POLL, TESTDATA, run_cli, write


def rules_found(proc) -> list[tuple[str, str]]:
    assert proc.returncode in (0, 1), proc.stderr
    return [(f["location"]["path"], f["rule"]) for f in json.loads(proc.stdout)["findings"]]


def test_tests_false_leaves_test_files_out(repo):
    write(repo / "leaky" / "leak_test.go", LEAKY.replace("func Leak", "func leakInTest"))
    both = [("leaky/leak.go", "GLK402"), ("leaky/leak_test.go", "GLK402")]
    assert rules_found(run_cli("--format", "json", "./...", cwd=repo)) == both
    no_tests = run_cli("--format", "json", "--tests=false", "./...", cwd=repo)
    assert rules_found(no_tests) == [("leaky/leak.go", "GLK402")]
    assert "2 files" in no_tests.stderr  # leak.go and clean.go
    named = run_cli("--format", "json", "--tests", "false", "leaky/leak_test.go", cwd=repo)
    assert rules_found(named) == []
    write(repo / ".golint-leaks.toml", "tests = false\n")
    assert rules_found(run_cli("--format", "json", "./...", cwd=repo)) == both[:1]
    assert rules_found(run_cli("--format", "json", "--tests=true", "./...", cwd=repo)) == both
    write(repo / ".golint-leaks.toml", 'tests = "no"\n')
    bad = run_cli("./...", cwd=repo)
    assert bad.returncode == 2
    assert "'tests' must be true or false" in bad.stderr


def test_enable_and_disable_accept_comma_lists(repo):
    write(repo / "leaky" / "poll.go", POLL.replace("package poll", "package leaky"))
    both = run_cli("--format", "json", "--enable", "GLK402,timer-not-stopped", "./...", cwd=repo)
    assert sorted({rule for _, rule in rules_found(both)}) == ["GLK102", "GLK402"]
    only = run_cli("--format", "json", "--enable", "GLK102, GLK202", "./...", cwd=repo)
    assert {rule for _, rule in rules_found(only)} == {"GLK102"}
    neither = run_cli("--disable", "lost-cancel,GLK102", "./...", cwd=repo)
    assert neither.returncode == 0, neither.stdout
    bad = run_cli("--enable", "GLK402,GLK999", "./...", cwd=repo)
    assert bad.returncode == 2
    assert bad.stderr.strip() == "golint-leaks: unknown rule 'GLK999' (see --list-rules)"


@pytest.mark.parametrize(
    ("comment", "rules", "whole_file"),
    [
        ("//lint:ignore GLK501 the caller closes it", {"GLK501"}, False),
        ("//lint:ignore SA1019,GLK101,missing-close reason", {"GLK101", "missing-close"}, False),
        ("//lint:file-ignore GLK301 registry filled at start-up", {"GLK301"}, True),
        ("//lint:ignore SA1019 deprecated on purpose", None, None),
        ("//golint-leaks:ignore", {ALL_RULES}, False),
    ],
)
def test_ignore_comment_forms(comment, rules, whole_file):
    suppression = parse_ignore(comment)
    if rules is None:
        assert suppression is None
    else:
        assert suppression is not None
        assert (set(suppression.rules), suppression.whole_file) == (rules, whole_file)


def test_staticcheck_directives_are_honoured(repo):
    variants = {
        "above": f"//lint:ignore GLK402 lives forever\n\t{LEAK_LINE}",
        "same": f"{LEAK_LINE} //lint:ignore SA1019,GLK402 lives forever",
        "other": f"{LEAK_LINE} //lint:ignore GLK202 not this rule",
        "staticcheck": f"{LEAK_LINE} //lint:ignore SA1015 not ours",
    }
    for name, line in variants.items():
        source = LEAKY.replace("package leaky", f"package {name}")
        write(repo / name / "x.go", source.replace(LEAK_LINE, line))
    whole = LEAKY.replace("package leaky", "package whole") + "\n//lint:file-ignore GLK402 ok\n"
    write(repo / "whole" / "x.go", whole)
    write(repo / "whole" / "y.go", LEAKY.replace("package leaky", "package whole"))
    proc = run_cli("--format", "json", *variants, "whole", cwd=repo)
    assert rules_found(proc) == [
        ("other/x.go", "GLK402"),
        ("staticcheck/x.go", "GLK402"),
        ("whole/y.go", "GLK402"),  # a file directive covers its own file only
    ]


UNUSED = """package stale

import "context"

//lint:file-ignore GLK502 no defer in loops here

func Fixed(parent context.Context) {
	ctx, cancel := context.WithCancel(parent) //golint-leaks:ignore GLK402 fixed since
	defer cancel()
	<-ctx.Done()
}

func Mixed(parent context.Context) {
	//lint:ignore SA1019,GLK402,GLK102 both named, one used
	ctx, _ := context.WithCancel(parent)
	<-ctx.Done()
}

func Shared() {
	x := 1 //nolint
	_ = x  //golint-leaks:ignore GLK900 runtime rules are not judged
}
"""


def test_unused_ignores_are_reported_as_notices_on_their_lines(repo):
    write(repo / "stale" / "stale.go", UNUSED)
    quiet = run_cli("--format", "json", "./stale", cwd=repo)
    assert quiet.returncode == 0
    assert json.loads(quiet.stdout)["notices"] == []
    proc = run_cli("--format", "json", "--report-unused-ignores", "./stale", cwd=repo)
    assert proc.returncode == 0, proc.stderr  # notices, not findings: the run does not fail
    document = json.loads(proc.stdout)
    assert document["findings"] == []
    unused = [(n["line"], n["rule"], n["message"]) for n in document["notices"]]
    assert unused == [
        (5, "GLK502", "GLK502: this file-ignore comment silences nothing in this file; remove it"),
        (8, "GLK402", "GLK402: this ignore comment silences nothing on this line or the next; "
         "remove it"),
        (14, "GLK102", "GLK102: this ignore comment silences nothing on this line or the next; "
         "remove it"),
    ]  # fmt: skip
    assert all(n["kind"] == "unused-ignore" for n in document["notices"])
    text = run_cli("--report-unused-ignores", "./stale", cwd=repo)
    assert "stale/stale.go:8: unused-ignore: GLK402: this ignore comment" in text.stderr
    # A rule that did not run cannot be judged.
    disabled = run_cli(
        "--format", "json", "--report-unused-ignores", "--disable", "GLK102,GLK502", "./stale",
        cwd=repo,
    )  # fmt: skip
    assert [n["line"] for n in json.loads(disabled.stdout)["notices"]] == [8]


def test_import_path_patterns_resolve_through_go_mod(repo):
    write(repo / "leaky" / "inner" / "inner.go", LEAKY.replace("package leaky", "package inner"))
    recursive = run_cli("--format", "json", "example.com/repo/leaky/...", cwd=repo)
    assert rules_found(recursive) == [
        ("leaky/inner/inner.go", "GLK402"),
        ("leaky/leak.go", "GLK402"),
    ]
    single = run_cli("--format", "json", "example.com/repo/leaky", cwd=repo / "leaky" / "inner")
    # Outside the working directory, paths are shown absolute, as for any path pattern.
    assert rules_found(single) == [(str((repo / "leaky" / "leak.go").resolve()), "GLK402")]
    both = run_cli("--format", "json", "example.com/repo/...", "./...", cwd=repo)
    assert len(rules_found(both)) == 2  # the same package named twice is checked once
    other = run_cli("example.com/other/...", cwd=repo)
    assert other.returncode == 2
    assert other.stderr.strip() == (
        "golint-leaks: example.com/other/...: no such file or directory, nor a package of "
        f"module example.com/repo ({(repo / 'go.mod').resolve()})"
    )
    missing = run_cli("example.com/repo/nothing", cwd=repo)
    assert missing.returncode == 2
    assert "no such package in module example.com/repo" in missing.stderr


def test_runtime_findings_honour_file_ignore_directives(tmp_path):
    programs = tmp_path / "programs"
    shutil.copytree(TESTDATA / "programs", programs)
    dump = str(TESTDATA / "dumps" / "sessions.sigquit.txt")
    args = ("--format", "json", "--enable", "GLK900", "--dump", dump, "./sessions")

    def runtime_rules() -> list[str]:
        proc = run_cli(*args, cwd=programs)
        return [rule for _, rule in rules_found(proc) if rule == "GLK900"]

    assert runtime_rules() == ["GLK900"]
    sessions = Path(programs / "sessions" / "sessions.go")
    sessions.write_text(sessions.read_text() + "\n//lint:file-ignore GLK900 expiry is bounded\n")
    assert runtime_rules() == []
