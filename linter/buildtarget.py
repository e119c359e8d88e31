"""Which files build for a target, decided as `go vet` decides: file names and constraints.

A file is left out when its name ends in a GOOS or GOARCH suffix of another target
(`_windows.go`, `_arm64.go`, `_linux_amd64_test.go`), or when the `//go:build` line of its
header (else its legacy `// +build` lines) is false for the target. The tags a target
satisfies:

- its GOOS and GOARCH (`android` also satisfies `linux`, `illumos` `solaris`, `ios` `darwin`),
  and `unix` on Unix-like systems;
- `gc`, the compiler, and `cgo`: checked as `go vet` runs with CGO_ENABLED=1, Go's default on
  a machine with a C compiler, so a pure-Go fallback marked `!cgo` is left out;
- the release tags `go1.1` ... `go1.N` for the target Go version: the go.mod `toolchain`
  directive, else its `go` directive, else (no go.mod) the newest release this linter knows;
  `--go-version` overrides them;
- the architecture level tags Go sets by default (`amd64.v1`, `arm64.v8.0`, ...);
- the tags asked for (`--tags a,b`).

`ignore` is never satisfied: generators and examples marked `//go:build ignore` are never
checked. `goexperiment.*` tags hold as Go 1.27 sets them by default (`goexperiment.jsonv2`,
`goexperiment.greenteagc`, ...) for targets of Go 1.27 or later, else only when asked for.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from linter.buildconstraint import (
    ConstraintError,
    go_build_expression,
    parse_go_build,
    parse_plus_build,
    plus_build_expression,
)
from linter.gomod import GoMod


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


# go/build's lists: a file-name suffix counts only when it names a known GOOS or GOARCH.
KNOWN_OS = _names(
    "aix android darwin dragonfly freebsd hurd illumos ios js linux nacl netbsd openbsd plan9 "
    "solaris wasip1 windows zos"
)
UNIX_OS = _names(
    "aix android darwin dragonfly freebsd hurd illumos ios linux netbsd openbsd solaris"
)
KNOWN_ARCH = _names(
    "386 amd64 amd64p32 arm armbe arm64 arm64be loong64 mips mipsle mips64 mips64le mips64p32 "
    "mips64p32le ppc ppc64 ppc64le riscv riscv64 s390 s390x sparc sparc64 wasm"
)
# A GOOS that implies another: Android is Linux, illumos is Solaris, iOS is Darwin.
_OS_IMPLIES = {"android": "linux", "illumos": "solaris", "ios": "darwin"}
# The architecture feature levels Go's defaults enable (GOAMD64=v1, GOARM=7, GOARM64=v8.0...).
_ARCH_LEVELS = {
    "386": ("386.sse2",),
    "amd64": ("amd64.v1",),
    "arm": ("arm.5", "arm.6", "arm.7"),
    "arm64": ("arm64.v8.0",),
    "mips": ("mips.hardfloat",),
    "mipsle": ("mipsle.hardfloat",),
    "mips64": ("mips64.hardfloat",),
    "mips64le": ("mips64le.hardfloat",),
    "ppc64": ("ppc64.power8",),
    "ppc64le": ("ppc64le.power8",),
    "riscv64": ("riscv64.rva20u64",),
    "wasm": ("wasm.satconv", "wasm.signext"),
}
# The newest Go release this linter knows; its release tags apply when no go.mod says.
LATEST_GO = (1, 27)
# The GOEXPERIMENTs Go 1.27 enables by default (internal/buildcfg's baseline), for targets of
# Go 1.27 or later: `//go:build goexperiment.jsonv2` files build there, their twins do not.
_DEFAULT_EXPERIMENTS = _names(
    "goexperiment.greenteagc goexperiment.jsonv2 goexperiment.randomizedheapbase64 "
    "goexperiment.sizespecializedmalloc"
)
_REGISTER_ABI_ARCHES = _names("amd64 arm64 loong64 ppc64 ppc64le riscv64 s390x")
_NO_DWARF5_OS = _names("aix darwin ios")
_RELEASE_TAG_RE = re.compile(r"go1\.([1-9]\d*)")
_TAG_RE = re.compile(r"[\w.]+")


@dataclass(frozen=True)
class BuildTarget:
    """The target files are selected for. `go_version` None: taken from each go.mod."""

    goos: str = "linux"
    goarch: str = "amd64"
    tags: tuple[str, ...] = ()
    go_version: tuple[int, int] | None = None

    def for_module(self, gomod: GoMod | None) -> BuildTarget:
        """This target with the Go version of the module a package belongs to filled in."""
        if self.go_version is not None:
            return self
        version = (gomod.toolchain or gomod.go_version) if gomod is not None else None
        return replace(self, go_version=version or LATEST_GO)

    def satisfies(self, tag: str) -> bool:
        """Whether a build tag is true for this target."""
        if tag == "ignore":
            return False
        if tag in (self.goos, self.goarch, "gc", "cgo") or tag in self.tags:
            return True
        if tag == "unix":
            return self.goos in UNIX_OS
        if _OS_IMPLIES.get(self.goos) == tag or tag in _ARCH_LEVELS.get(self.goarch, ()):
            return True
        if tag.startswith("goexperiment."):
            return tag in self._default_experiments()
        release = _RELEASE_TAG_RE.fullmatch(tag)
        return release is not None and int(release.group(1)) <= self._version()[1]

    def _version(self) -> tuple[int, int]:
        return self.go_version or LATEST_GO

    def _default_experiments(self) -> frozenset[str]:
        if self._version() < (1, 27):
            return frozenset()
        names = set(_DEFAULT_EXPERIMENTS)
        if self.goarch in _REGISTER_ABI_ARCHES:
            names |= {"goexperiment.regabiwrappers", "goexperiment.regabiargs"}
        if self.goos not in _NO_DWARF5_OS:
            names.add("goexperiment.dwarf5")
        return frozenset(names)

    def builds_name(self, file_name: str) -> bool:
        """Whether a `_GOOS`, `_GOARCH` or `_GOOS_GOARCH` name suffix (before an optional
        `_test`) lets the file build. Only what follows the first `_` counts, so `linux.go`
        and `unix_helpers.go` build everywhere."""
        stem = file_name.split(".", 1)[0]
        if "_" not in stem:
            return True
        parts = stem[stem.index("_") + 1 :].split("_")
        if parts[-1] == "test":
            parts.pop()
        if len(parts) >= 2 and parts[-2] in KNOWN_OS and parts[-1] in KNOWN_ARCH:
            return self.satisfies(parts[-2]) and self.satisfies(parts[-1])
        if parts and (parts[-1] in KNOWN_OS or parts[-1] in KNOWN_ARCH):
            return self.satisfies(parts[-1])
        return True

    def builds_content(self, data: bytes) -> bool:
        """Whether the file's header constraints let it build.

        Raises ConstraintError for a `//go:build` line that does not parse, or for two of
        them; a legacy `// +build` line that does not parse is ignored, as go ignores it.
        """
        go_build, plus_builds = header_constraints(data)
        if go_build is not None:
            return parse_go_build(go_build).evaluate(self.satisfies)
        for options in plus_builds:
            try:
                if not parse_plus_build(options).evaluate(self.satisfies):
                    return False
            except ConstraintError:
                continue
        return True


def parse_tags(text: str) -> tuple[str, ...]:
    """`a,b` (or space-separated, go's older form) -> ("a", "b"); raises ValueError."""
    tags = tuple(tag for tag in re.split(r"[,\s]+", text.strip()) if tag)
    for tag in tags:
        if not _TAG_RE.fullmatch(tag):
            raise ValueError(f"invalid build tag {tag!r}: use letters, digits, '_' and '.'")
    return tags


def header_constraints(data: bytes) -> tuple[str | None, list[str]]:
    """The `//go:build` expression and the `// +build` options in a file's header.

    The header is what precedes the package clause: blank lines and comments. A `//go:build`
    line counts anywhere in it outside `/* */` comments; `// +build` lines count only when a
    blank line follows them within the leading run of `//` comments (go's rule, which keeps
    a package doc comment ending in "+build" from being read as one).
    """
    go_build: str | None = None
    plus_builds: list[str] = []
    pending: list[str] = []  # `// +build` lines not yet followed by a blank line
    in_block = False
    ended = False  # a line that is not a `//` comment ends the run `// +build` lines need
    for raw in _lines(data):
        line = raw.strip().decode("utf-8", "replace")
        if not line:
            if not ended:
                plus_builds.extend(pending)
                pending.clear()
            continue
        ended = ended or not line.startswith("//")
        if not in_block:
            expression = go_build_expression(line)
            if expression is not None:
                if go_build is not None:
                    raise ConstraintError("more than one //go:build line")
                go_build = expression
            options = plus_build_expression(line)
            if options is not None and not ended:
                pending.append(options)
        in_block, is_code = _after_comments(line, in_block)
        if is_code:
            break
    return go_build, plus_builds


def _after_comments(line: str, in_block: bool) -> tuple[bool, bool]:
    """(still inside a /* */ comment, the line holds code) after reading one header line."""
    rest = line
    while rest:
        if in_block:
            end = rest.find("*/")
            if end < 0:
                return True, False
            in_block, rest = False, rest[end + 2 :].strip()
        elif rest.startswith("//"):
            return False, False
        elif rest.startswith("/*"):
            in_block, rest = True, rest[2:].strip()
        else:
            return False, True
    return in_block, False


def _lines(data: bytes) -> Iterator[bytes]:
    """The lines of `data`, read lazily: a header ends long before a large file does."""
    start = 0
    while start < len(data):
        end = data.find(b"\n", start)
        if end < 0:
            end = len(data)
        yield data[start:end]
        start = end + 1
