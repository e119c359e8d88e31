"""Frames of a dump taken elsewhere, mapped onto the files we scanned.

A dump from CI or a container names files by the build machine's paths. A frame is found
in the tree, in this order: by its exact path; by its function's import path under a go.mod
module path (`github.com/acme/svc/pkg.(*T).run` -> `<module root>/pkg/<file name>`); by the
longest common path suffix (`/root/build/svc/pkg/x.go` -> `pkg/x.go`), accepted only when
the package agrees, so Go's own `net/http/server.go` never lands on a `internal/http/server.go`
of yours; and last, when neither finds it (`go test x_test.go` names the package
`command-line-arguments`, a copy of the code lives under another name), by file name and
function: the one scanned file of that name that defines the function. Standard library
frames never take that last way.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from linter.gomod import nearest_gomod
from linter.goroutines.group import Frame, package_of


def _parts(path: str) -> tuple[str, ...]:
    """Path components, last first, for either separator (dumps from Windows too)."""
    return tuple(reversed([p for p in path.replace("\\", "/").split("/") if p]))


def _common_suffix(a: tuple[str, ...], b: tuple[str, ...]) -> int:
    count = 0
    for left, right in zip(a, b, strict=False):
        if left != right:
            break
        count += 1
    return count


class TreeIndex:
    """The scanned files, addressable by absolute path, import path and path suffix."""

    def __init__(self, files: Iterable[Path]) -> None:
        self.files: set[str] = set()  # real paths
        self.given: dict[str, str] = {}  # real path -> the path as discovered (for display)
        self._by_name: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        # directory -> (import path, directory relative to its module root); ("", "") if unknown
        self._import_dir: dict[str, tuple[str, str]] = {}
        self._modules: dict[str, str] = {}  # module path -> root directory
        self._cache: dict[tuple[str, str], str | None] = {}
        self._texts: dict[str, bytes] = {}  # real path -> contents, read for `_by_definition`
        for file in files:
            absolute = os.path.realpath(file)
            self.files.add(absolute)
            self.given[absolute] = os.path.abspath(file)
            self._by_name.setdefault(os.path.basename(absolute), []).append(
                (_parts(absolute), absolute)
            )
            directory = os.path.dirname(absolute)
            if directory not in self._import_dir:
                self._import_dir[directory] = self._import_path(directory)

    def _import_path(self, directory: str) -> tuple[str, str]:
        gomod = nearest_gomod(Path(directory))
        if gomod is None or not gomod.module_path:
            return "", ""
        root = str(gomod.directory.resolve())
        self._modules.setdefault(gomod.module_path, root)
        relative = os.path.relpath(os.path.realpath(directory), root)
        if relative == ".":
            return gomod.module_path, ""
        relative = PurePosixPath(Path(relative).as_posix()).as_posix()
        return f"{gomod.module_path}/{relative}", relative

    def resolve(self, frame: Frame) -> str | None:
        """The real path of the scanned file this frame ran in, or None."""
        key = (frame.function, frame.path)
        if key not in self._cache:
            self._cache[key] = self._resolve(frame.function, frame.path)
        return self._cache[key]

    def _resolve(self, function: str, path: str) -> str | None:
        package = package_of(function)
        if not path:
            return None
        if os.path.isabs(path) and os.path.realpath(path) in self.files:
            return os.path.realpath(path)
        name = _parts(path)[:1]
        if not name or name[0] not in self._by_name:
            return None
        by_module = self._by_module(package, name[0])
        if by_module is not None:
            return by_module
        by_suffix = self._by_suffix(package, path, name[0])
        if by_suffix is not None:
            return by_suffix
        return self._by_definition(function, name[0])

    def _by_module(self, package: str, name: str) -> str | None:
        for module, root in sorted(self._modules.items(), key=lambda kv: -len(kv[0])):
            if package == module or package.startswith(module + "/"):
                relative = package[len(module) :].lstrip("/")
                candidate = (
                    os.path.join(root, *relative.split("/"), name)
                    if relative
                    else (os.path.join(root, name))
                )
                if candidate in self.files:
                    return candidate
        return None

    def _by_suffix(self, package: str, path: str, name: str) -> str | None:
        wanted = _parts(path)
        scored = []
        for parts, absolute in self._by_name[name]:
            length = _common_suffix(wanted, parts)
            if self._package_agrees(package, absolute, length):
                scored.append((length, absolute))
        if not scored:
            return None
        scored.sort(reverse=True)
        best_length, best = scored[0]
        if len(scored) > 1 and scored[1][0] == best_length:
            return None  # ambiguous: two files end the same way
        if best_length < 2 and len(self._by_name[name]) > 1:
            return None
        return best

    def _package_agrees(self, package: str, absolute: str, suffix_length: int) -> bool:
        """Whether a frame of `package` can be this file (the suffix alone is not enough)."""
        if package == "main":
            return True  # functions of package main do not carry an import path
        directory = os.path.dirname(absolute)
        import_path, relative = self._import_dir.get(directory, ("", ""))
        if not import_path:
            last = package.rsplit("/", 1)[-1]
            return suffix_length >= 2 and last == os.path.basename(directory)
        # The same package under another module path (a fork, a renamed module) still agrees.
        return package == import_path or (bool(relative) and package.endswith("/" + relative))

    def _by_definition(self, function: str, name: str) -> str | None:
        """The one scanned file called `name` that defines the frame's function."""
        package = package_of(function)
        if "." not in package.split("/", 1)[0] and package not in _LOCAL_PACKAGES:
            return None  # the standard library (or an unqualified package): never guessed
        definition = _definition_pattern(function[len(package) + 1 :])
        if definition is None:
            return None
        found = [
            absolute
            for _, absolute in self._by_name[name]
            if definition.search(self._text(absolute))
        ]
        return found[0] if len(found) == 1 else None

    def _text(self, absolute: str) -> bytes:
        if absolute not in self._texts:
            try:
                with open(absolute, "rb") as handle:
                    self._texts[absolute] = handle.read()
            except OSError:
                self._texts[absolute] = b""
        return self._texts[absolute]


# Packages named by no import path: files given to `go test`/`go run` one by one, and main.
_LOCAL_PACKAGES = frozenset({"command-line-arguments", "main"})
_CLOSURE_RE = re.compile(r"^(?:func|gowrap|deferwrap)\d+$")
_TYPE_PARAMETERS_RE = re.compile(r"\[[^\[\]]*\]")


def _definition_pattern(name: str) -> re.Pattern[bytes] | None:
    """The Go declaration of a function as a frame names it (after the package).

    `Lookup.func1` -> `func Lookup(`; `(*T).run` and `T.run` -> `func (t *T) run(`; type
    parameters (`F[...]`) are ignored on both sides.
    """
    parts = _TYPE_PARAMETERS_RE.sub("", name).split(".")
    receiver = ""
    if parts[0].startswith("(") and len(parts) > 1:  # (*T).method
        receiver, parts = parts[0].strip("()*"), parts[1:]
    elif len(parts) > 1 and not _CLOSURE_RE.match(parts[1]):  # T.method, a value receiver
        receiver, parts = parts[0], parts[1:]
    function = parts[0]
    if not function.isidentifier() or (receiver and not receiver.isidentifier()):
        return None
    if receiver:
        head = rf"func\s*\(\s*\w*\s*\*?\s*{receiver}\s*(?:\[[^\]]*\])?\s*\)\s*"
    else:
        head = r"func\s+"
    return re.compile(rf"(?m)^{head}{function}\s*[\[(]".encode())
