"""Which lines changed: from `git diff` against a revision, or from a unified diff file.

`--new-from-rev` and `--new-from-patch` report only findings that touch a changed line, so a
team can adopt the tool on a codebase with old findings and fail only on what a change adds.
A line counts as changed when the new version of the file adds or rewrites it; untracked
files count as changed throughout.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from linter.findings import Finding, Location
from linter.repository import GitError, git, git_toplevel

_HUNK_RE = re.compile(r"^@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
_ESCAPE_RE = re.compile(rb"\\(?:([0-7]{3})|(.))")
_ESCAPED = {b"t": b"\t", b"n": b"\n", b"r": b"\r"}


class ChangesError(Exception):
    """The revision or patch cannot be used; the message says why, in one line."""


@dataclass
class ChangedLines:
    """Changed lines per file (absolute real paths); files in `whole` changed throughout."""

    lines: dict[str, set[int]] = field(default_factory=dict)
    whole: set[str] = field(default_factory=set)

    def touches(self, location: Location, cwd: Path) -> bool:
        path = os.path.realpath(os.path.join(cwd, location.path))
        if path in self.whole:
            return True
        changed = self.lines.get(path)
        return bool(changed) and any(
            line in changed for line in range(location.line, location.end_line + 1)
        )


def on_changed_lines(findings: list[Finding], changed: ChangedLines, cwd: Path) -> list[Finding]:
    """The findings whose primary location or any related location touches a changed line:
    an old ticker counts when the change adds the `return` that skips its `Stop`."""
    return [
        finding
        for finding in findings
        if changed.touches(finding.location, cwd)
        or any(changed.touches(related.location, cwd) for related in finding.related)
    ]


def from_git(revision: str, cwd: Path) -> ChangedLines:
    """Lines changed since `revision`: committed, staged and unstaged changes (`git diff REV`
    against the work tree), and untracked files that git does not ignore."""
    top = git_toplevel(cwd)
    if top is None:
        raise ChangesError(f"--new-from-rev {revision}: {cwd} is not in a git work tree")
    try:
        git(top, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}")
    except GitError:
        raise ChangesError(
            f"--new-from-rev {revision}: unknown revision (in a shallow clone, fetch it first, "
            "e.g. actions/checkout with fetch-depth: 0)"
        ) from None
    try:
        diff = git(
            top,
            "diff",
            "--no-color",
            "--no-ext-diff",
            "--no-textconv",
            "--unified=0",
            "--find-renames",
            "--src-prefix=a/",
            "--dst-prefix=b/",
            revision,
            "--",
        )
        untracked = git(top, "ls-files", "--others", "--exclude-standard", "-z")
    except GitError as exc:
        raise ChangesError(f"--new-from-rev {revision}: {exc}") from None
    changed = ChangedLines(lines=parse_unified_diff(diff, top))
    changed.whole = {os.path.realpath(top / name) for name in untracked.split("\0") if name}
    return changed


def from_patch(patch: Path, root: Path) -> ChangedLines:
    """Lines a unified diff adds, its paths taken relative to `root` (the repository root,
    where `git diff` names files from)."""
    try:
        text = patch.read_text(encoding="utf-8", errors="surrogateescape")
    except OSError as exc:
        raise ChangesError(f"--new-from-patch {patch}: {exc.strerror or exc}") from None
    changed = parse_unified_diff(text, root)
    if not changed and "@@" not in text:
        raise ChangesError(f"--new-from-patch {patch}: not a unified diff")
    return ChangedLines(lines=changed)


def parse_unified_diff(text: str, root: Path) -> dict[str, set[int]]:
    """New-side line numbers of added lines, per file (absolute real path under `root`).

    Reads git's and diff(1)'s unified format: `+++ b/path` (or `+++ path<TAB>date`) names the
    file, `@@ -a,b +c,d @@` starts a hunk, and the hunk's `+`, `-` and context lines are
    walked so that patches with context are read as well as `--unified=0` ones.
    """
    changed: dict[str, set[int]] = {}
    current: set[int] | None = None
    new_line = remaining_old = remaining_new = 0
    for raw in text.splitlines():
        if remaining_old > 0 or remaining_new > 0:
            marker = raw[:1]
            if marker == "+":
                if current is not None:
                    current.add(new_line)
                new_line += 1
                remaining_new -= 1
            elif marker == "-":
                remaining_old -= 1
            elif marker in (" ", ""):
                new_line += 1
                remaining_old -= 1
                remaining_new -= 1
            continue  # `\ No newline at end of file` and anything else inside a hunk
        if raw.startswith("+++ "):
            name = _patch_path(raw[4:])
            current = None if name is None else changed.setdefault(_absolute(root, name), set())
            continue
        hunk = _HUNK_RE.match(raw)
        if hunk:
            remaining_old = int(hunk.group(1) if hunk.group(1) is not None else 1)
            new_line = int(hunk.group(2))
            remaining_new = int(hunk.group(3) if hunk.group(3) is not None else 1)
    return {path: lines for path, lines in changed.items() if lines}


def _patch_path(header: str) -> str | None:
    """The file a `+++` header names, without git's `b/` prefix; None for a deletion."""
    name = header.split("\t", 1)[0].rstrip("\r")
    if name.startswith('"'):
        name = _unquote(name)
    if name == "/dev/null":
        return None
    return name[2:] if name.startswith("b/") else name


def _unquote(quoted: str) -> str:
    """git's C-style quoting of unusual file names: `"b/caf\\303\\251.go"`."""
    data = quoted[1:-1].encode("utf-8", "surrogateescape")

    def plain(match: re.Match[bytes]) -> bytes:
        if match.group(1):
            return bytes([int(match.group(1), 8)])
        return _ESCAPED.get(match.group(2), match.group(2))

    return _ESCAPE_RE.sub(plain, data).decode("utf-8", "surrogateescape")


def _absolute(root: Path, name: str) -> str:
    return os.path.realpath(root / name)
