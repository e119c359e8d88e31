"""Levels decide the exit code: findings below --fail-on are reported but do not fail CI."""

from __future__ import annotations

import pytest

from tests.conftest import LEAKY, POLL, run_cli, write

NOTE_CONFIG = '[rules.GLK402]\nlevel = "note"\n'


def test_note_findings_are_marked_and_do_not_fail_by_default(repo):
    write(repo / ".golint-leaks.toml", NOTE_CONFIG)
    proc = run_cli("./...", cwd=repo)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(
        "leaky/leak.go:6:12: note: GLK402 the cancel function returned by context.WithCancel"
    )
    assert "1 finding (1 note), 2 files, 1 package" in proc.stderr


def test_warnings_stay_unmarked_and_fail(repo):
    proc = run_cli("./...", cwd=repo)
    assert proc.returncode == 1
    assert proc.stdout.startswith("leaky/leak.go:6:12: GLK402 ")


@pytest.mark.parametrize(
    ("level", "fail_on", "code"),
    [
        ("error", "error", 1),
        ("warning", "error", 0),
        ("warning", "warning", 1),
        ("note", "warning", 0),
        ("note", "note", 1),
        ("error", "none", 0),
    ],
)
def test_fail_on_threshold(repo, level, fail_on, code):
    write(repo / ".golint-leaks.toml", f'[rules.GLK402]\nlevel = "{level}"\n')
    proc = run_cli("--fail-on", fail_on, "./...", cwd=repo)
    assert proc.returncode == code, proc.stderr
    assert "GLK402" in proc.stdout


def test_summary_counts_each_level(repo):
    write(repo / "other" / "leak.go", LEAKY.replace("package leaky", "package other"))
    write(repo / "poll" / "poll.go", POLL)
    write(repo / ".golint-leaks.toml", '[rules.GLK402]\nlevel = "error"\n')
    proc = run_cli("./...", cwd=repo)
    assert proc.returncode == 1
    assert "3 findings (2 errors, 1 warning), 4 files, 3 packages" in proc.stderr
    assert proc.stdout.count(": error: GLK402") == 2
    assert "poll/poll.go:9:10: GLK102 " in proc.stdout


def test_config_fail_on_and_command_line_override(repo):
    write(repo / ".golint-leaks.toml", 'fail-on = "error"\n')
    assert run_cli("./...", cwd=repo).returncode == 0
    assert run_cli("--fail-on", "warning", "./...", cwd=repo).returncode == 1


def test_bad_fail_on_in_config_is_a_usage_error(repo):
    write(repo / ".golint-leaks.toml", 'fail-on = "info"\n')
    proc = run_cli("./...", cwd=repo)
    assert proc.returncode == 2
    assert proc.stderr.strip() == (
        f"golint-leaks: {repo / '.golint-leaks.toml'}: 'fail-on' must be one of "
        "error, warning, note, none"
    )
