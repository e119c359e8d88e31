"""The source model: a Go file's bytes, its syntax tree, imports, suppressions and positions.

Everything a rule needs to know about a file without re-reading or re-parsing it lives here,
so that each file is read and parsed exactly once per run.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import tree_sitter_go
from tree_sitter import Language, Node, Parser, Query, QueryCursor, Tree

from linter import modern_syntax

GO_LANGUAGE = Language(tree_sitter_go.language())

# Go's convention (go help generate): the line may appear anywhere before the package clause.
_GENERATED_RE = re.compile(rb"^// Code generated .* DO NOT EDIT\.\s*$", re.MULTILINE)
_IGNORE_RE = re.compile(r"//\s*golint-leaks:ignore\b(.*)$")
_NOLINT_RE = re.compile(r"//\s*nolint(?::([\w,\- ]+))?\b")
# staticcheck's directives: `//lint:ignore Check1[,Check2] reason` for the line, and
# `//lint:file-ignore Check1[,Check2] reason` for the whole file.
_LINT_DIRECTIVE_RE = re.compile(r"//\s*lint:(ignore|file-ignore)\s+(\S+)")
_RULE_TOKEN_RE = re.compile(r"^(GLK\d{3}|[a-z][a-z0-9]*(?:-[a-z0-9]+)+)$")

# Files larger than this are almost always generated tables; they are parsed all the same,
# but the limit protects the process from pathological inputs (a 2 GB file named .go).
MAX_FILE_BYTES = 64 * 1024 * 1024

ALL_RULES = "*"


def query(source: str) -> Query:
    """Compile a tree-sitter query for Go; call at module import so it happens once per process."""
    return Query(GO_LANGUAGE, source)


def captures(compiled: Query, node: Node) -> dict[str, list[Node]]:
    """Run a compiled query below `node` and return its captures by name."""
    return QueryCursor(compiled).captures(node)


def matches(compiled: Query, node: Node) -> list[tuple[int, dict[str, list[Node]]]]:
    """Run a compiled query below `node` and return its matches."""
    return QueryCursor(compiled).matches(node)


_COMMENTS = query("(comment) @comment")
# Files without these bytes have no suppression comments: skip the comment query.
_SUPPRESSION_HINT = re.compile(rb"nolint|golint-leaks:|lint:")

_parser: Parser | None = None


def parser() -> Parser:
    """One parser per process; tree-sitter parsers are not shareable across processes."""
    global _parser
    if _parser is None:
        _parser = Parser(GO_LANGUAGE)
    return _parser


def display_path(path: Path, cwd: str) -> str:
    """Paths as users typed them: relative to the working directory when below it."""
    text = str(path)
    if not os.path.isabs(text) and ".." not in text:
        return os.path.normpath(text)  # already relative to cwd: the common, cheap case
    absolute = os.path.abspath(text)
    relative = os.path.relpath(absolute, cwd) if cwd else absolute
    return relative if not relative.startswith("..") else absolute


class SourceError(Exception):
    """A file that cannot be checked at all; the message says why, for the user."""


def read_go_bytes(path: Path) -> bytes:
    """Read a file we were asked to check, refusing what would hang or is not Go text.

    A FIFO or device named `.go` would block `open()` forever, so the type is checked first
    and the file is opened non-blocking.
    """
    try:
        info = os.stat(path)
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror or exc}") from exc
    if not stat.S_ISREG(info.st_mode):
        raise SourceError("not a regular file")
    if info.st_size > MAX_FILE_BYTES:
        raise SourceError(f"file too large ({info.st_size} bytes > {MAX_FILE_BYTES})")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror or exc}") from exc
    if b"\x00" in data:
        raise SourceError("binary file (contains NUL bytes)")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError(f"not valid UTF-8 (byte offset {exc.start})") from exc
    return data


def is_generated(data: bytes) -> bool:
    """Go's generated-file marker, looked for only before the package clause."""
    head = data.split(b"\npackage ", 1)[0] if not data.startswith(b"package ") else b""
    return bool(_GENERATED_RE.search(head))


@dataclass
class GoFile:
    """One parsed Go file. `display_path` is what users see (relative to the working dir)."""

    path: Path
    display_path: str
    data: bytes
    tree: Tree
    package_name: str
    imports: dict[str, str] = field(default_factory=dict)
    dot_imports: list[str] = field(default_factory=list)
    suppressions: list[Suppression] = field(default_factory=list)

    @property
    def root(self) -> Node:
        return self.tree.root_node

    @property
    def has_syntax_errors(self) -> bool:
        return self.tree.root_node.has_error

    @property
    def is_test(self) -> bool:
        return self.path.name.endswith("_test.go")

    def text(self, node: Node) -> str:
        return self.data[node.start_byte : node.end_byte].decode("utf-8", "replace")

    def utf16_column(self, byte_offset: int) -> int:
        """1-based column, in UTF-16 code units as SARIF and editors count them, of a byte."""
        start = self.data.rfind(b"\n", 0, byte_offset) + 1
        prefix = self.data[start:byte_offset]
        if prefix.isascii():
            return 1 + len(prefix)
        text = prefix.decode("utf-8", "replace")
        return 1 + sum(2 if ord(ch) > 0xFFFF else 1 for ch in text)

    def span(self, node: Node) -> tuple[int, int, int, int]:
        """(start line, start column, end line, end column), 1-based, UTF-16 columns."""
        return (
            node.start_point[0] + 1,
            self.utf16_column(node.start_byte),
            node.end_point[0] + 1,
            self.utf16_column(node.end_byte),
        )

    def suppressions_of(self, line: int, code: str, name: str) -> list[Suppression]:
        """The comments that silence rule `code` (`name`) at `line`: a line directive on the
        line itself or the line above, or a file directive anywhere in the file."""
        return [
            suppression
            for suppression in self.suppressions
            if suppression.silences(code, name)
            and (suppression.whole_file or suppression.line in (line, line - 1))
        ]


@dataclass(frozen=True)
class Suppression:
    """One ignore comment: the rules it names (codes or names, or ALL_RULES), the line it is
    on, and whether it covers the whole file (`//lint:file-ignore`)."""

    rules: frozenset[str]
    whole_file: bool = False
    line: int = 0

    def silences(self, code: str, name: str) -> bool:
        return ALL_RULES in self.rules or code in self.rules or name in self.rules


def parse_file(path: Path, display_path: str, data: bytes) -> GoFile:
    """Parse bytes already read and validated by `read_go_bytes`."""
    tree = modern_syntax.parse(parser(), data)
    go_file = GoFile(
        path=path,
        display_path=display_path,
        data=data,
        tree=tree,
        package_name="",
    )
    # Package clause and imports are top-level declarations: query only those nodes,
    # never the whole tree.
    for child in tree.root_node.children:
        if child.type == "package_clause":
            names = [c for c in child.named_children if c.type == "package_identifier"]
            go_file.package_name = go_file.text(names[0]) if names else ""
        elif child.type == "import_declaration":
            _collect_imports(go_file, child)
    if _SUPPRESSION_HINT.search(data):
        _collect_suppressions(go_file)
    return go_file


def _collect_imports(go_file: GoFile, declaration: Node) -> None:
    """Import specs are direct children (or grandchildren, in a list): no query needed."""
    specs = []
    for child in declaration.named_children:
        if child.type == "import_spec":
            specs.append(child)
        elif child.type == "import_spec_list":
            specs.extend(c for c in child.named_children if c.type == "import_spec")
    for spec in specs:
        path_node = spec.child_by_field_name("path")
        if path_node is None:
            continue
        import_path = go_file.text(path_node).strip('"`')
        name_node = spec.child_by_field_name("name")
        if name_node is None:
            local = default_package_name(import_path)
        else:
            local = go_file.text(name_node)
            if local == ".":
                go_file.dot_imports.append(canonical_import_path(import_path))
                continue
            if local == "_":
                continue
        go_file.imports[local] = canonical_import_path(import_path)


# Packages that are other names for a standard one: golang.org/x/net/context has only
# aliased the standard context package's types and functions since Go 1.7.
_SAME_AS = {"golang.org/x/net/context": "context"}
# Copies of a package inside another repository's tree: GOPATH-era vendoring and godep.
_COPY_PREFIXES = ("/vendor/", "/Godeps/_workspace/src/")


def canonical_import_path(import_path: str) -> str:
    """The package an import path means for our purposes: a vendored copy is the package it
    copies, and a package that only aliases a standard one is that one.

    `github.com/acme/svc/vendor/golang.org/x/net/context` -> `context`,
    `github.com/acme/svc/Godeps/_workspace/src/github.com/lib/pq` -> `github.com/lib/pq`.
    """
    path = import_path.removeprefix("vendor/")
    for prefix in _COPY_PREFIXES:
        if prefix in path:
            path = path.rsplit(prefix, 1)[1]
    return _SAME_AS.get(path, path)


def default_package_name(import_path: str) -> str:
    """The name Go gives an unnamed import: last element, without a major-version suffix.

    `gopkg.in/yaml.v3` -> `yaml`, `github.com/x/y/v2` -> `y`, `github.com/x/go-redis` -> `redis`
    is not guessed (Go uses the package clause); the last element is the usual convention.
    """
    parts = import_path.split("/")
    last = parts[-1]
    if re.fullmatch(r"v\d+", last) and len(parts) > 1:
        last = parts[-2]
    if "." in last and import_path.startswith("gopkg.in/"):
        last = last.split(".", 1)[0]
    return last


def _collect_suppressions(go_file: GoFile) -> None:
    comment_nodes = captures(_COMMENTS, go_file.root).get("comment", [])
    for node in comment_nodes:
        suppression = parse_ignore(go_file.text(node))
        if suppression is not None:
            go_file.suppressions.append(replace(suppression, line=node.start_point[0] + 1))


def parse_ignore(comment: str) -> Suppression | None:
    """The suppression a comment makes, if any (its `line` left 0 for the caller to set).

    `//golint-leaks:ignore GLK101,ticker-not-stopped reason` (no rule: all rules), golangci-
    lint's `//nolint` and `//nolint:golint-leaks` (all rules), and staticcheck's
    `//lint:ignore GLK501 reason` and `//lint:file-ignore GLK501 reason`, whose checks may
    name other tools' checks too (`SA1019,GLK501`): only ours count.
    """
    match = _IGNORE_RE.search(comment)
    if match:
        # `ignore GLK101,GLK202 reason words`: leading codes or rule names, then the reason.
        rules: set[str] = set()
        for token in re.split(r"[,\s]+", match.group(1).strip()):
            if not _RULE_TOKEN_RE.match(token):
                break
            rules.add(token)
        return Suppression(frozenset(rules or {ALL_RULES}))
    match = _LINT_DIRECTIVE_RE.search(comment)
    if match:
        ours = frozenset(t for t in match.group(2).split(",") if _RULE_TOKEN_RE.match(t))
        return Suppression(ours, whole_file=match.group(1) == "file-ignore") if ours else None
    match = _NOLINT_RE.search(comment)
    if match:
        linters = match.group(1)
        names = {t.strip() for t in linters.split(",") if t.strip()} if linters else set()
        if not linters or "golint-leaks" in names or "all" in names:
            return Suppression(frozenset({ALL_RULES}))
    return None


def parse_suppression(comment: str) -> set[str]:
    """The rules a line comment silences: codes, names, or ALL_RULES for a bare `//nolint`
    (empty for a file directive, which `parse_ignore` reports)."""
    suppression = parse_ignore(comment)
    return set(suppression.rules) if suppression and not suppression.whole_file else set()


@dataclass
class Package:
    """The files of one Go package: one directory, one package clause (`x` and `x_test` apart).

    `report_paths`, when set, limits reporting to those files (pre-commit passes single files,
    but the whole package is loaded so cross-file reasoning stays right).
    """

    directory: Path
    name: str
    files: list[GoFile]
    go_version: tuple[int, int] | None = None
    module_path: str | None = None
    report_paths: frozenset[str] | None = None  # absolute paths


def group_into_packages(files: Iterable[GoFile]) -> dict[tuple[Path, str], list[GoFile]]:
    """Group files by (directory, package clause)."""
    groups: dict[tuple[Path, str], list[GoFile]] = {}
    for go_file in files:
        groups.setdefault((go_file.path.parent, go_file.package_name), []).append(go_file)
    return groups
