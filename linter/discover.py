"""Go package patterns (`./...`, `dir/...`, `dir`, `file.go`, and import paths of the main
module such as `example.com/mod/pkg/...`) -> directories of Go files.

A unit of work is a directory: the worker reads its files and splits them by package clause
(`x` and `x_test`), so each file is read once. Directory walking follows `go`'s rules for
`...`: skip vendor/, testdata/, and names starting with `.` or `_`; do not follow symlinked
directories (which is also what keeps a symlink loop from hanging us).
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from linter.gomod import nearest_gomod

SKIPPED_DIR_NAMES = frozenset({"vendor", "testdata"})


class PatternError(Exception):
    """A pattern that names nothing usable (missing path, not Go); exit 2."""


@dataclass
class Unit:
    """One directory to check. `report_paths` limits reporting to named files (pre-commit)."""

    directory: Path
    files: list[Path]
    report_paths: set[Path] | None = None


@dataclass
class Discovery:
    units: list[Unit] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, why)


def _is_skipped_dir_name(name: str) -> bool:
    return name in SKIPPED_DIR_NAMES or name.startswith((".", "_"))


def _go_files_in(directory: Path, discovery: Discovery) -> list[Path]:
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError as exc:
        discovery.skipped.append((str(directory), f"cannot list directory: {exc.strerror}"))
        return []
    return [Path(e.path) for e in entries if e.name.endswith(".go") and not e.is_dir()]


def _walk(root: Path, discovery: Discovery, units: dict[Path, Unit]) -> None:
    """Depth-first walk without following symlinked directories."""
    stack = [root]
    seen: set[tuple[int, int]] = set()
    while stack:
        directory = stack.pop()
        try:
            info = os.stat(directory)
        except OSError as exc:
            discovery.skipped.append((str(directory), f"cannot read: {exc.strerror}"))
            continue
        key = (info.st_dev, info.st_ino)
        if key in seen:
            continue
        seen.add(key)
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as exc:
            discovery.skipped.append((str(directory), f"cannot list directory: {exc.strerror}"))
            continue
        go_files = []
        children = []
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    if not _is_skipped_dir_name(entry.name):
                        children.append(Path(entry.path))
                elif entry.name.endswith(".go") and not entry.is_dir():
                    go_files.append(Path(entry.path))
            except OSError as exc:
                discovery.skipped.append((entry.path, f"cannot read: {exc.strerror}"))
        if go_files:
            units.setdefault(directory, Unit(directory, go_files))
        stack.extend(reversed(children))


def discover(
    patterns: list[str], exclude: list[str], exclude_root: Path, tests: bool = True
) -> Discovery:
    """Resolve patterns to units, in a stable order. Raises PatternError for a missing path.

    With `tests` false, `_test.go` files are left out, also when named explicitly.
    """
    discovery = Discovery()
    units: dict[Path, Unit] = {}
    named_files: dict[Path, set[Path]] = {}
    for pattern in patterns or ["./..."]:
        recursive = pattern == "..." or pattern.endswith("/...")
        base = pattern[: -len("...")].rstrip("/") if recursive else pattern
        path = Path(base or ".")
        if not os.path.lexists(path):
            path = _module_directory(pattern, base)
        if recursive:
            if not path.is_dir():
                raise PatternError(f"{pattern}: not a directory")
            _walk(path, discovery, units)
        elif path.is_dir():
            files = _go_files_in(path, discovery)
            if files:
                units.setdefault(path, Unit(path, files))
        else:
            if not path.name.endswith(".go"):
                raise PatternError(f"{pattern}: not a Go file or directory")
            named_files.setdefault(path.parent, set()).add(path)
    for directory, files in named_files.items():
        unit = units.get(directory)
        if unit is not None and unit.report_paths is None:
            continue  # the whole directory is already being reported
        whole = _go_files_in(directory, discovery)
        for named in files:
            if named not in whole:
                whole.append(named)  # e.g. a FIFO: let the worker say why it is skipped
        report = (unit.report_paths if unit else set()) | files
        units[directory] = Unit(directory, sorted(whole), report)
    result = []
    for directory in sorted(units, key=lambda p: str(p)):
        unit = units[directory]
        unit.files = [
            f
            for f in unit.files
            if not _excluded(f, exclude, exclude_root) and (tests or not _is_test_file(f))
        ]
        if unit.files:
            result.append(unit)
    discovery.units = result
    return discovery


def _module_directory(pattern: str, import_path: str) -> Path:
    """The directory of `import_path` in the main module (the go.mod governing the current
    directory), as `go` resolves `example.com/mod/pkg/...`; PatternError if it names none."""
    gomod = nearest_gomod(Path.cwd())
    module = gomod.module_path if gomod is not None else None
    if (
        gomod is None
        or module is None
        or (import_path != module and not import_path.startswith(module + "/"))
    ):
        looks_imported = "." in import_path.split("/", 1)[0]  # a domain, not a directory
        why = (
            f", nor a package of module {module} ({gomod.path})" if looks_imported and gomod else ""
        )
        raise PatternError(f"{pattern}: no such file or directory{why}")
    directory = gomod.directory / import_path[len(module) :].lstrip("/")
    if not directory.is_dir():
        raise PatternError(f"{pattern}: no such package in module {module} ({directory})")
    relative = os.path.relpath(directory)  # the same unit as the path pattern naming it
    return directory if relative.startswith("..") else Path(relative)


def _is_test_file(path: Path) -> bool:
    return path.name.endswith("_test.go")


def _excluded(path: Path, globs: list[str], root: Path) -> bool:
    if not globs:
        return False
    try:
        relative = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        relative = path.as_posix()
    return any(
        fnmatch.fnmatch(relative, g) or fnmatch.fnmatch(relative, g.rstrip("/") + "/*")
        for g in globs
    )


def parse_shard(text: str) -> tuple[int, int]:
    """`I/N` with 1 <= I <= N."""
    try:
        index_text, count_text = text.split("/")
        index, count = int(index_text), int(count_text)
    except ValueError:
        raise PatternError(f"--shard {text!r}: expected I/N, e.g. 2/4") from None
    if not 1 <= index <= count:
        raise PatternError(f"--shard {text!r}: I must be between 1 and N")
    return index, count


def select_shard(units: list[Unit], index: int, count: int) -> list[Unit]:
    """Shard by a hash of each directory's path, so adding a package elsewhere never moves
    the others between shards (a modulo over the sorted list would)."""
    chosen = []
    for unit in units:
        digest = hashlib.sha256(unit.directory.as_posix().encode()).digest()
        if int.from_bytes(digest[:8], "big") % count == index - 1:
            chosen.append(unit)
    return chosen
