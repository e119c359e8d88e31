"""## What it does
Flags a package-level slice (`var s []T`, `var s = []T{}`, `make([]T, 0, n)`, or a named
slice type) that code running after start-up grows with `s = append(s, ...)` while nothing in
the package ever shrinks or replaces it: no `s = s[:0]`, `s = s[n:]`, `s = nil`, or other
assignment to `s`. The appends are listed as related locations. All files of the package are
read before judging, so a truncation in another file counts.

Start-up work is not a leak: appends in `init`, package-level initialisers, `sync.Once`
bodies, unexported functions called only from those, and exported registration functions
(`Register...`, conventionally called from init functions) stay silent, exactly as for
GLK301. As for GLK301, only appends in code a long-running program repeats count: under a
mutex, in a goroutine, in an event loop, in a function handling a context, request or
connection. In a command's code (`package main`, or an import path with a `cmd` element)
only appends that serve clients count (a function taking an `*http.Request`,
`http.ResponseWriter` or `net.Conn`, or a loop around a listener's `Accept`): a command that
serves nobody is a batch tool whose lists end with the run. Also silent: slices whose length
is checked against a limit (`len(s) < max`), slices whose address is taken (`&s`), which
code we cannot follow may reset, and registries: an append that follows a duplicate-name
check stopping the program (`if _, dup := byName[name]; dup { panic(...) }`, or a `range`
over the slice that panics on a match), exactly as GLK301 treats the map beside it.

**Default and scope (measured, docs/precision-audit.md).** Opt-in: on eleven held-out
projects neither of its 2 findings was a leak (a register-once hook list, a test-only
writer). Heap growth at its appends confirms a candidate when profiles are given.

## Why is this bad
A package-level slice lives as long as the process, and so does every element appended to
it. A log of requests, a list of callbacks registered per connection, or a history of
events appended on every call grows without bound: memory climbs with uptime, and each
`append` that outgrows the capacity copies the whole backing array.

## Example
```go
var auditLog []Entry

func handle(w http.ResponseWriter, r *http.Request) {
        mu.Lock()
        auditLog = append(auditLog, Entry{Path: r.URL.Path, At: time.Now()})
        mu.Unlock()
}
```

## Use instead
```go
const maxAudit = 1000

var auditLog []Entry

func handle(w http.ResponseWriter, r *http.Request) {
        mu.Lock()
        auditLog = append(auditLog, Entry{Path: r.URL.Path, At: time.Now()})
        if len(auditLog) > maxAudit {
                auditLog = auditLog[len(auditLog)-maxAudit:] // keep a bounded window
        }
        mu.Unlock()
}
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tree_sitter import Node

from linter import semantic
from linter.findings import Finding
from linter.reporting import related, report
from linter.source import GoFile, Package, matches, query

code = "GLK302"
name = "unbounded-global-slice"
summary = "package-level slice that grows at runtime and is never truncated"
level = "warning"
precision = "low"
default = False
tags = ("memory-leak", "global-state")

_APPENDS = query(
    """
    (assignment_statement
       left: (expression_list . (identifier) @slice .)
       right: (expression_list
          . (call_expression
               function: (identifier) @fn (#eq? @fn "append")
               arguments: (argument_list . (identifier) @first)) .)
    ) @append
    """
)
_MAX_RELATED = 10


def check(package: Package) -> Iterator[Finding]:
    slices = {v.name: v for v in semantic.package_vars(package) if _is_slice(package, v)}
    if not slices:
        return
    startup = semantic.StartupAnalysis(package)
    growth = _runtime_appends(package, slices, startup, semantic.is_command_package(package))
    for slice_name, appends in growth.items():
        if _is_bounded(package, slice_name, appends, startup):
            continue
        yield _finding(slices[slice_name], appends)


def _is_slice(package: Package, var: semantic.PackageVar) -> bool:
    type_node = var.type if var.type is not None else semantic.value_type(var.go_file, var.value)
    underlying = semantic.underlying_type(package, var.go_file, type_node)
    return underlying is not None and underlying.type == "slice_type"


def _runtime_appends(
    package: Package,
    slices: dict[str, semantic.PackageVar],
    startup: semantic.StartupAnalysis,
    command: bool,
) -> dict[str, list[tuple[GoFile, Node, str]]]:
    """`s = append(s, ...)` on a package-level slice, outside start-up code and tests.

    In a command's packages only appends that serve clients count: a command that serves
    none is a batch tool whose lists end with the run.
    """
    growth: dict[str, list[tuple[GoFile, Node, str]]] = {}
    # `name = append(` somewhere in the file, before running the query over its tree.
    growth_text = re.compile(
        rb"(?:" + b"|".join(re.escape(n.encode()) for n in slices) + rb")\s*=\s*append\("
    )
    for go_file in package.files:
        if go_file.is_test or b"append(" not in go_file.data:
            continue
        if not growth_text.search(go_file.data):
            continue
        for _, match in matches(_APPENDS, go_file.root):
            target, first, statement = match["slice"][0], match["first"][0], match["append"][0]
            slice_name = go_file.text(target)
            if slice_name not in slices or go_file.text(first) != slice_name:
                continue
            if semantic.is_shadowed(go_file, target, go_file.root):
                continue
            if startup.runs_at_startup(go_file, statement):
                continue
            reason = semantic.runs_in_long_lived_code(go_file, statement)
            if reason is None:
                continue  # unsynchronised batch code: its tables end with the process
            serving = semantic.serves_requests(go_file, statement)
            if command and serving is None:
                continue
            if semantic.rejects_duplicates(go_file, statement, slice_name, any_map=True):
                continue  # a registry: a repeated name stops the program (as for GLK301)
            growth.setdefault(slice_name, []).append(
                (go_file, statement, (serving or reason).words)
            )
    return growth


def _is_bounded(
    package: Package,
    slice_name: str,
    appends: list[tuple[GoFile, Node, str]],
    startup: semantic.StartupAnalysis,
) -> bool:
    """A truncation or reassignment, a length limit, or an address we cannot follow."""
    append_targets = {
        (go_file.display_path, statement.child_by_field_name("left").start_byte)
        for go_file, statement, _ in appends
    }
    for go_file, ref in semantic.global_references(package, slice_name):
        if go_file.is_test:
            continue
        kind, _ = semantic.global_use(go_file, ref)
        if kind is semantic.GlobalUse.ASSIGN:
            if (go_file.display_path, ref.start_byte) in append_targets:
                continue  # the growth itself
            if startup.runs_at_startup(go_file, ref):
                continue  # `func init() { s = make([]T, 0, 8) }` initialises
            if not _appends_to_itself(go_file, ref):
                return True
            continue  # an append at start-up, already excluded from growth
        if kind in (semantic.GlobalUse.ADDRESS, semantic.GlobalUse.BOUND):
            return True
    return False


def _appends_to_itself(go_file: GoFile, target: Node) -> bool:
    statement = target.parent.parent if target.parent is not None else None
    if statement is None:
        return False
    right = statement.child_by_field_name("right")
    value = right.named_children[0] if right is not None and right.named_children else None
    if value is None or value.type != "call_expression":
        return False
    callee = value.child_by_field_name("function")
    arguments = value.child_by_field_name("arguments")
    first = arguments.named_children[0] if arguments and arguments.named_children else None
    return (
        callee is not None
        and go_file.text(callee) == "append"
        and first is not None
        and go_file.text(first) == go_file.text(target)
    )


def _finding(var: semantic.PackageVar, appends: list[tuple[GoFile, Node, str]]) -> Finding:
    appends = sorted(appends, key=lambda a: (a[0].display_path, a[1].start_byte))
    notes = [
        related(
            go_file,
            statement,
            f"{var.name} grows here, in {semantic.function_label(go_file, statement)} ({reason})",
        )
        for go_file, statement, reason in appends[:_MAX_RELATED]
    ]
    count = len(appends)
    return report(
        var.go_file,
        var.node,
        f"package-level slice {var.name} is appended to at runtime ({count} "
        f"append{'s' if count != 1 else ''}) but never truncated or replaced anywhere in the "
        f"package: every element stays reachable for the life of the process; keep a bounded "
        f"window ({var.name} = {var.name}[len({var.name})-max:]), reset it, or give it an owner",
        related=notes,
    )
