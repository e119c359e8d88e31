"""File paths as CI hosts name them: relative to the repository root.

Findings carry paths relative to the working directory (as `go vet` prints them). GitHub code
scanning, workflow annotations and GitLab code quality read paths relative to the repository
root instead, so reports for them translate through `RepoPaths`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from linter.repository import repository_root


@dataclass(frozen=True)
class RepoPaths:
    """How to name a file for CI. `root` is the repository root on disk (None when
    `--path-prefix` names a place the working directory is not below); `prefix`, when given,
    is where the working directory sits in the repository, and replaces the detection."""

    cwd: Path
    root: Path | None
    prefix: str | None = None

    @classmethod
    def detect(cls, cwd: Path, prefix: str | None = None) -> RepoPaths:
        """The git top level (or outermost go.mod) as root, unless `prefix` says otherwise."""
        real_cwd = Path(os.path.realpath(cwd))
        if prefix is None:
            return cls(real_cwd, repository_root(real_cwd))
        clean = PurePosixPath(prefix.replace("\\", "/").strip("/")).as_posix()
        clean = "" if clean == "." else clean
        depth = len(PurePosixPath(clean).parts)
        above = real_cwd.parents[depth - 1] if depth else real_cwd
        sits_there = depth == 0 or real_cwd.as_posix().endswith("/" + clean)
        return cls(real_cwd, above if sits_there else None, clean)

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
