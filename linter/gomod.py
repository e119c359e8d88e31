"""go.mod: the module path (to map runtime frames onto files) and the go version (which
changes what leaks: since Go 1.23 unreferenced timers and tickers are collected)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

_MODULE_RE = re.compile(r"^\s*module\s+\"?([^\s\"/][^\s\"]*)\"?\s*(?://.*)?$", re.M)
_GO_RE = re.compile(r"^\s*go\s+(\S+)\s*(?://.*)?$", re.M)
_TOOLCHAIN_RE = re.compile(r"^\s*toolchain\s+(\S+)\s*(?://.*)?$", re.M)
_VERSION_RE = re.compile(r"^(?:go)?(\d+)\.(\d+)(?:\.\d+)?(?:(?:rc|beta)\d+)?$")


@dataclass(frozen=True)
class GoMod:
    """What we read from one go.mod. `problems` lists what could not be understood."""

    path: Path
    module_path: str | None
    go_version: tuple[int, int] | None
    toolchain: tuple[int, int] | None
    problems: tuple[str, ...] = ()

    @property
    def directory(self) -> Path:
        return self.path.parent


def parse_version(text: str) -> tuple[int, int] | None:
    """`1.22`, `1.22.3`, `go1.23rc1` -> (major, minor); anything else -> None."""
    match = _VERSION_RE.match(text.strip())
    return (int(match.group(1)), int(match.group(2))) if match else None


def parse_gomod(path: Path, text: str) -> GoMod:
    problems = []
    module_match = _MODULE_RE.search(text)
    module_path = module_match.group(1) if module_match else None
    if module_path is None:
        problems.append("no module directive")
    go_version = None
    go_match = _GO_RE.search(text)
    if go_match:
        go_version = parse_version(go_match.group(1))
        if go_version is None:
            problems.append(f"unreadable go directive {go_match.group(1)!r}")
    toolchain = None
    toolchain_match = _TOOLCHAIN_RE.search(text)
    if toolchain_match:
        toolchain = parse_version(toolchain_match.group(1))
    return GoMod(path, module_path, go_version, toolchain, tuple(problems))


@lru_cache(maxsize=4096)
def _gomod_in(directory: Path) -> GoMod | None:
    candidate = directory / "go.mod"
    try:
        if not candidate.is_file():
            return None
        text = candidate.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    return parse_gomod(candidate, text)


def nearest_gomod(directory: Path) -> GoMod | None:
    """The go.mod that governs `directory`: in it or in the closest parent."""
    current = directory.resolve()
    for candidate in (current, *current.parents):
        found = _gomod_in(candidate)
        if found is not None:
            return found
    return None
