"""go.mod: the module path (to map runtime frames onto files) and the go version (which
changes what leaks: since Go 1.23 unreferenced timers and tickers are collected).

A go.mod we cannot fully understand is never fatal: what could be read is used, and each
problem is kept in `GoMod.problems` for the engine to show as a warning. A go.mod that cannot
be read at all still marks its directory as a module root (with nothing known), so that an
unrelated go.mod further up is never taken in its place.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

# golang.org/x/mod/modfile's GoVersionRE and ToolchainRE, loosened to accept the `go` prefix
# of a toolchain name and a custom suffix (`go1.21.3-corp`).
_GO_VERSION_RE = re.compile(r"^([1-9]\d*)\.(0|[1-9]\d*)(?:\.(?:0|[1-9]\d*))?(?:[a-z]+\d+)?$")
_TOOLCHAIN_RE = re.compile(
    r"^go([1-9]\d*)\.(0|[1-9]\d*)(?:\.(?:0|[1-9]\d*))?(?:[a-z]+\d+)?(?:-.+)?$"
)
_VERSION_RE = re.compile(r"^(?:go)?([1-9]\d*)\.(\d+)(?:\.\d+)?(?:(?:rc|beta)\d+)?$")
_GODEBUG_RE = re.compile(r"^([A-Za-z0-9_.-]+)=(\S+)$")
_MAX_GOMOD_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class GoMod:
    """What we read from one go.mod. `problems` lists what could not be understood."""

    path: Path
    module_path: str | None
    go_version: tuple[int, int] | None
    toolchain: tuple[int, int] | None
    problems: tuple[str, ...] = ()
    godebug: dict[str, str] = field(default_factory=dict, hash=False, compare=False)

    @property
    def directory(self) -> Path:
        return self.path.parent


def parse_version(text: str) -> tuple[int, int] | None:
    """`1.22`, `1.22.3`, `go1.23rc1` -> (major, minor); anything else -> None.

    Used for the go directive and for `--go-version`, where users write either form.
    """
    match = _VERSION_RE.match(text.strip())
    return (int(match.group(1)), int(match.group(2))) if match else None


def parse_gomod(path: Path, text: str) -> GoMod:
    """Read the directives that matter to us; never raises on malformed input."""
    problems: list[str] = []
    module_path: str | None = None
    go_version: tuple[int, int] | None = None
    toolchain: tuple[int, int] | None = None
    godebug: dict[str, str] = {}
    seen: set[str] = set()
    for verb, argument, line in _directives(text):
        if verb in ("module", "go", "toolchain") and verb in seen:
            problems.append(f"line {line}: repeated {verb} directive ignored")
            continue
        if verb == "module":
            seen.add(verb)
            module_path = argument.strip('"`') or None
            if module_path is None:
                problems.append(f"line {line}: module directive without a path")
        elif verb == "go":
            seen.add(verb)
            match = _GO_VERSION_RE.match(argument)
            if match:
                go_version = (int(match.group(1)), int(match.group(2)))
            else:
                problems.append(
                    f"line {line}: unreadable go directive {argument!r}; "
                    "taking the Go version as unknown (old)"
                )
        elif verb == "toolchain":
            seen.add(verb)
            match = _TOOLCHAIN_RE.match(argument)
            if match:
                toolchain = (int(match.group(1)), int(match.group(2)))
            elif argument != "default":
                problems.append(f"line {line}: unreadable toolchain directive {argument!r}")
        elif verb == "godebug":
            match = _GODEBUG_RE.match(argument)
            if match:
                godebug[match.group(1)] = match.group(2)
            else:
                problems.append(f"line {line}: unreadable godebug setting {argument!r}")
    if module_path is None and "module" not in seen:
        problems.insert(0, "no module directive")
    return GoMod(path, module_path, go_version, toolchain, tuple(problems), godebug)


def _directives(text: str) -> Iterator[tuple[str, str, int]]:
    """(verb, argument, line number) for each directive, blocks (`godebug ( ... )`) unrolled."""
    block: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("//", 1)[0].strip()
        if not line:
            continue
        if block is not None:
            if line == ")":
                block = None
            else:
                yield block, line, number
            continue
        verb, *rest = line.split(None, 1)
        argument = rest[0].strip() if rest else ""
        if argument == "(":
            block = verb
        elif argument.startswith("(") and argument.endswith(")"):
            inner = argument[1:-1].strip()
            if inner:
                yield verb, inner, number
        else:
            yield verb, argument, number


def read_gomod(path: Path) -> GoMod:
    """Read and parse one go.mod file; an unreadable file gives a GoMod that says why."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(_MAX_GOMOD_BYTES + 1)
    except OSError as exc:
        return GoMod(path, None, None, None, (f"cannot read: {exc.strerror or exc}",))
    problems: list[str] = []
    if len(data) > _MAX_GOMOD_BYTES:
        return GoMod(path, None, None, None, (f"larger than {_MAX_GOMOD_BYTES} bytes; ignored",))
    if b"\x00" in data:
        return GoMod(path, None, None, None, ("binary file; ignored",))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.append(f"not valid UTF-8 (byte offset {exc.start})")
        text = data.decode("utf-8", "replace")
    parsed = parse_gomod(path, text)
    if problems:
        return GoMod(
            parsed.path,
            parsed.module_path,
            parsed.go_version,
            parsed.toolchain,
            (*problems, *parsed.problems),
            parsed.godebug,
        )
    return parsed


@lru_cache(maxsize=4096)
def _gomod_in(directory: Path) -> GoMod | None:
    candidate = directory / "go.mod"
    try:
        if not candidate.is_file():
            return None
    except OSError:
        return None
    return read_gomod(candidate)


def nearest_gomod(directory: Path) -> GoMod | None:
    """The go.mod that governs `directory`: in it or in the closest parent."""
    current = directory.resolve()
    for candidate in (current, *current.parents):
        found = _gomod_in(candidate)
        if found is not None:
            return found
    return None


def outermost_gomod_directory(directory: Path) -> Path | None:
    """The highest directory at or above `directory` that holds a go.mod: in a repository of
    nested modules without git, the best guess at the repository root."""
    found = None
    current = directory.resolve()
    for candidate in (current, *current.parents):
        if _gomod_in(candidate) is not None:
            found = candidate
    return found


def module_file_path(directory: Path, name: str) -> str | None:
    """A file's name as Go would import it: the module path, then the path inside the module
    (`example.com/repo/leaky/leak.go`). The same wherever the checkout lives and whichever
    directory the tool runs from, so it identifies the file in fingerprints; None outside a
    module or when go.mod names no module."""
    gomod = nearest_gomod(directory)
    if gomod is None or gomod.module_path is None:
        return None
    inside = directory.resolve().relative_to(gomod.directory).as_posix()
    return "/".join(part for part in (gomod.module_path, inside, name) if part not in ("", "."))
