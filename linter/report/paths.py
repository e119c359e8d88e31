"""File paths as CI hosts name them: relative to the repository root.

Findings carry paths relative to the working directory (as `go vet` prints them). GitHub code
scanning, workflow annotations and GitLab code quality read paths relative to the repository
root instead, so reports for them translate through `RepoPaths`.
"""

from __future__ import annotations

import os
from functools import cached_property
from pathlib import Path, PurePosixPath

from linter.repository import repository_root


class RepoPaths:
    """How to name a file for CI. `prefix`, when given (`--path-prefix`), is where the
    working directory sits in the repository and replaces the detection of the root."""

    def __init__(self, cwd: Path, prefix: str | None = None) -> None:
        self.cwd = Path(os.path.realpath(cwd))
        self.prefix = None if prefix is None else _clean_prefix(prefix)

    @cached_property
    def root(self) -> Path | None:
        """The repository root on disk: the git top level (or the outermost go.mod), found on
        first use; with a prefix, the directory that many levels up if the working directory
        ends with the prefix, else None (the root is not on this disk)."""
        if self.prefix is None:
            return repository_root(self.cwd)
        parts = PurePosixPath(self.prefix).parts
        if not parts:
            return self.cwd
        if len(self.cwd.parts) <= len(parts) or self.cwd.parts[-len(parts) :] != parts:
            return None
        return self.cwd.parents[len(parts) - 1]

    def relative(self, path: str) -> str | None:
        """`path` (relative to the working directory, or absolute) relative to the repository
        root, with forward slashes; None for a file outside the repository."""
        absolute = self.absolute(path)
        if self.prefix is not None:
            inside = _below(absolute, self.cwd)
            if inside is None:
                return None
            return inside if not self.prefix else f"{self.prefix}/{inside}"
        return _below(absolute, self.root) if self.root is not None else None

    def shown(self, path: str) -> str:
        """The repository-relative path, or the absolute one for a file outside it."""
        return self.relative(path) or self.absolute(path)

    def absolute(self, path: str) -> str:
        return os.path.realpath(os.path.join(self.cwd, path))


def _below(absolute: str, directory: Path) -> str | None:
    relative = os.path.relpath(absolute, directory)
    if relative == ".." or relative.startswith(".." + os.sep):
        return None
    return Path(relative).as_posix()


def _clean_prefix(prefix: str) -> str:
    """`services/api/`, `./services/api` -> `services/api`; `.` or empty -> ``."""
    clean = PurePosixPath(prefix.replace("\\", "/").strip("/")).as_posix()
    return "" if clean == "." else clean
