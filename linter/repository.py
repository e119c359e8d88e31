"""Where the repository is: the root that CI hosts name files against, found through git.

GitHub reads SARIF uris and annotation paths relative to the repository root, GitLab reads
code-quality paths the same way, and `git diff` names files from there too. Run from a module
below the root (a monorepo), paths relative to the current directory would point at files
that do not exist, so reports for CI are written relative to this root instead.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from linter.gomod import outermost_gomod_directory


class GitError(Exception):
    """git is missing, the directory is not in a work tree, or a git command failed."""


def git(directory: Path, *args: str) -> str:
    """Run `git -C directory args...` and return its stdout; GitError with git's own words."""
    try:
        proc = subprocess.run(
            ["git", "-C", str(directory), *args],
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="surrogateescape",
            timeout=300,
            check=False,
        )
    except FileNotFoundError:
        raise GitError("git is not installed") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git {' '.join(args)} did not finish in 300 s") from None
    if proc.returncode != 0:
        lines = proc.stderr.strip().splitlines()
        raise GitError(lines[-1] if lines else f"git {args[0]} failed ({proc.returncode})")
    return proc.stdout


def git_toplevel(directory: Path) -> Path | None:
    """The top of the git work tree holding `directory`, or None outside one (or without git)."""
    try:
        top = git(directory, "rev-parse", "--show-toplevel").strip()
    except GitError:
        return None
    return Path(os.path.realpath(top)) if top else None


def repository_root(cwd: Path) -> Path:
    """The git top level; without git, the directory of the outermost go.mod at or above
    `cwd`; without either, `cwd` itself. Always absolute and free of symlinks."""
    real = Path(os.path.realpath(cwd))
    return git_toplevel(real) or outermost_gomod_directory(real) or real
