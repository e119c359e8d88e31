"""Only new findings: --new-from-rev with real git (committed, staged, unstaged and untracked
changes), --new-from-patch with a unified diff, --baseline with an earlier JSON or SARIF
report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import LEAKY, git, git_repository, run_cli, write

STOPPED = """package leaky

import "context"

func Stopped(parent context.Context, fail bool) {
	ctx, cancel := context.WithCancel(parent)
	<-ctx.Done()
	cancel()
}
"""


# A second leak for the end of a LEAKY file: its GLK402 finding is on line 11.
AGAIN = """
func Again(parent context.Context) {
	ctx, _ := context.WithCancel(parent)
	<-ctx.Done()
}
"""


def leaky_in(package: str) -> str:
    return LEAKY.replace("package leaky", f"package {package}")


@pytest.fixture
def history(tmp_path: Path) -> Path:
    """A committed repository with one old leak, its module in svc/ (a monorepo)."""
    write(tmp_path / "svc" / "go.mod", "module example.com/svc\n\ngo 1.22\n")
    write(tmp_path / "svc" / "old" / "old.go", leaky_in("old"))
    write(tmp_path / "svc" / "stopped" / "stopped.go", STOPPED.replace("leaky", "stopped"))
    write(tmp_path / "svc" / "staged" / "staged.go", "package staged\n")
    return git_repository(tmp_path)


def findings(proc) -> list[tuple[str, int]]:
    return [
        (f["location"]["path"], f["location"]["line"]) for f in json.loads(proc.stdout)["findings"]
    ]


def test_new_from_rev_reports_changed_lines_only(history):
    service = history / "svc"
    # Committed after the base revision, staged, unstaged and untracked: all count as new.
    write(service / "committed" / "c.go", leaky_in("committed"))
    git(history, "add", "-A")
    git(history, "commit", "-q", "-m", "second")
    write(service / "staged" / "staged.go", leaky_in("staged"))
    git(history, "add", "svc/staged/staged.go")
    write(service / "untracked" / "u.go", leaky_in("untracked"))
    # An unrelated edit in the old file: its old leak is still not new.
    old = service / "old" / "old.go"
    old.write_text(old.read_text() + "\n// a new comment\n")
    base = "HEAD~1"
    everything = run_cli("--format", "json", "./...", cwd=service)
    assert len(findings(everything)) == 4
    proc = run_cli("--format", "json", "--new-from-rev", base, "./...", cwd=service)
    assert proc.returncode == 1, proc.stderr
    assert findings(proc) == [
        ("committed/c.go", 6),
        ("staged/staged.go", 6),
        ("untracked/u.go", 6),
    ]
    assert "3 findings (3 warnings)" in proc.stderr
    assert "1 older finding not shown" in proc.stderr
    # From the repository root the same lines are found (git names them from there).
    from_root = run_cli("--format", "json", "--new-from-rev", base, "./svc/...", cwd=history)
    assert [path for path, _ in findings(from_root)] == [
        "svc/committed/c.go",
        "svc/staged/staged.go",
        "svc/untracked/u.go",
    ]


def test_a_change_on_a_related_location_makes_an_old_finding_new(history):
    service = history / "svc"
    stopped = service / "stopped" / "stopped.go"
    assert run_cli("--new-from-rev", "HEAD", "./...", cwd=service).returncode == 0
    # Only the early return is added; the line that makes the context is unchanged.
    stopped.write_text(
        stopped.read_text().replace(
            "\t<-ctx.Done()\n", "\tif fail {\n\t\treturn\n\t}\n\t<-ctx.Done()\n"
        )
    )
    proc = run_cli("--format", "json", "--new-from-rev", "HEAD", "./...", cwd=service)
    assert proc.returncode == 1, proc.stderr
    [finding] = json.loads(proc.stdout)["findings"]
    assert (finding["location"]["path"], finding["location"]["line"]) == ("stopped/stopped.go", 6)
    assert finding["related"][0]["location"]["line"] == 8


def test_unknown_revision_and_no_git_are_usage_errors(history, tmp_path_factory):
    proc = run_cli("--new-from-rev", "no-such-branch", "./...", cwd=history / "svc")
    assert proc.returncode == 2
    assert proc.stderr.startswith("golint-leaks: --new-from-rev no-such-branch: unknown revision")
    assert len(proc.stderr.strip().splitlines()) == 1
    outside = tmp_path_factory.mktemp("nogit")
    write(outside / "a" / "leak.go", LEAKY)
    no_git = run_cli(
        "--new-from-rev", "HEAD", "./...", cwd=outside,
        env={"GIT_CEILING_DIRECTORIES": str(outside.parent)},
    )  # fmt: skip
    assert no_git.returncode == 2
    assert "is not in a git work tree" in no_git.stderr


def test_new_from_patch_reads_a_unified_diff_with_context(history):
    service = history / "svc"
    old = service / "old" / "old.go"
    # A second leak added below the old one, in the same file.
    old.write_text(old.read_text() + AGAIN)
    patch = history / "change.patch"
    patch.write_text(git(history, "diff", "--unified=3"))
    proc = run_cli("--format", "json", "--new-from-patch", str(patch), "./...", cwd=service)
    assert proc.returncode == 1, proc.stderr
    assert findings(proc) == [("old/old.go", 11)]
    not_a_patch = history / "notes.txt"
    not_a_patch.write_text("hello\n")
    bad = run_cli("--new-from-patch", str(not_a_patch), "./...", cwd=service)
    assert bad.returncode == 2
    assert bad.stderr.strip() == f"golint-leaks: --new-from-patch {not_a_patch}: not a unified diff"


@pytest.mark.parametrize("report_format", ["json", "sarif"])
def test_baseline_hides_known_findings_from_any_directory(history, report_format):
    service = history / "svc"
    baseline = history / f"baseline.{report_format}"
    made = run_cli("--format", report_format, "-o", str(baseline), "./svc/...", cwd=history)
    assert made.returncode == 1, made.stderr
    # Lines shift above the known leak, and a new one appears elsewhere.
    old = service / "old" / "old.go"
    old.write_text(old.read_text().replace('import "context"\n', '// moved\n\nimport "context"\n'))
    write(service / "fresh" / "fresh.go", leaky_in("fresh"))
    proc = run_cli("--format", "json", "--baseline", str(baseline), "./...", cwd=service)
    assert proc.returncode == 1, proc.stderr
    assert findings(proc) == [("fresh/fresh.go", 6)]
    assert "1 older finding not shown" in proc.stderr
    (service / "fresh" / "fresh.go").unlink()
    assert run_cli("--baseline", str(baseline), "./...", cwd=service).returncode == 0


def test_baseline_that_is_not_a_report_is_a_usage_error(history):
    service = history / "svc"
    for name, content in [("x.json", "[1, 2]"), ("y.json", "{not json"), ("z.sarif", "")]:
        write(history / name, content)
        proc = run_cli("--baseline", str(history / name), "./...", cwd=service)
        assert proc.returncode == 2, name
        assert proc.stderr.startswith(f"golint-leaks: --baseline {history / name}: "), name
        assert len(proc.stderr.strip().splitlines()) == 1
    missing = run_cli("--baseline", str(history / "missing.json"), "./...", cwd=service)
    assert missing.returncode == 2
    assert "No such file or directory" in missing.stderr
