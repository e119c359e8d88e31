"""## What it does
Flags a `go` statement whose goroutine runs an endless loop with no way out: the body of the
function literal (or of the function or method of this package it starts, `go c.janitor()`) is
a `for { ... }`, `for { select { ... } }` or `for range ticker.C` with no `return`, no `break`
or `goto` out of the loop, no case on `ctx.Done()`, a done/quit/stop channel or a
closed-channel receive (`v, ok := <-ch`), and no `panic`, `os.Exit` or `log.Fatal`. Goroutines
started from `main`, `init`, an unexported function that only they call (outside a loop; in
package main any function, since nothing imports it) or that only a package-level
`sync.Once` runs (`clockOnce.Do(startClock)`), or a test file's `Example`, inside a
`sync.Once`, behind a start-once guard (`CompareAndSwap`, a package-level variable checked and
then set), by a loop that fills a process-wide pool (`for workers < maxWorkers { go work() }`
on package-level counts), or right before the starter ends the process (`os.Exit`,
`syscall.Exec`) live as long as the process by design and are not flagged; nor is a goroutine
its starter joins (it defers `wg.Done()` and the starter calls `wg.Wait()` with no return in
between): the call hangs at worst, the goroutine never outlives it. Goroutines started from any
other function start again on every call, and are. The finding points at the `go` statement,
with the endless loop as a related location.

**Default and scope (measured, docs/precision-audit.md).** Opt-in: on eleven held-out
projects 2 of 10 production findings were real; goroutines started once per process from
another package look the same to a one-package analysis. In tests 6 of 6 were real.
Goroutine dumps confirm its candidates when given.

## Why is this bad
Nothing can ever stop such a goroutine. Each call of the function that starts it (a
constructor, a handler, a test) adds one more that runs until the process exits, holding its
stack, its ticker and everything it references (a cache, a connection, the whole server
object), so the value it references can never be garbage collected either.

## Example
```go
func NewCache(ttl time.Duration) *Cache {
        c := &Cache{items: map[string]entry{}}
        go func() {
                ticker := time.NewTicker(ttl)
                for range ticker.C { // runs forever, keeps c alive forever
                        c.evictExpired()
                }
        }()
        return c
}
```

## Use instead
```go
func NewCache(ttl time.Duration) *Cache {
        c := &Cache{items: map[string]entry{}, done: make(chan struct{})}
        go func() {
                ticker := time.NewTicker(ttl)
                defer ticker.Stop()
                for {
                        select {
                        case <-c.done: // closed by c.Close()
                                return
                        case <-ticker.C:
                                c.evictExpired()
                        }
                }
        }()
        return c
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
from linter.source import GoFile, Package

code = "GLK203"
name = "goroutine-without-exit"
summary = "goroutine runs an endless loop that nothing can stop"
level = "warning"
precision = "low"
default = False
tags = ("goroutine-leak",)

_SWAP = re.compile(r"\b(CompareAndSwap\w*|Swap\w*|CAS)\(")
# Calls that end the process, or replace its image, when they succeed.
_PROCESS_ENDERS = {"os.Exit", "log.Fatal", "log.Fatalf", "log.Fatalln"} | {
    "syscall.Exec",
    "golang.org/x/sys/unix.Exec",
}


def check(package: Package) -> Iterator[Finding]:
    for go_file in package.files:
        for go in semantic.go_statements(go_file):
            finding = _check_go(package, go_file, go)
            if finding is not None:
                yield finding


def _check_go(package: Package, go_file: GoFile, go: Node) -> Finding | None:
    call = go.named_children[0] if go.named_children else None
    if call is None or call.type != "call_expression":
        return None
    starter = semantic.top_level_function(go)
    if starter is None:
        return None
    targets = _goroutine_functions(package, go_file, call)
    if not targets:
        return None
    loops = [
        (target_file, semantic.endless_loop_without_exit(target_file, function))
        for target_file, function in targets
    ]
    if any(loop is None for _, loop in loops):
        return None
    if _lives_with_the_process(package, go_file, go, starter) or _joined_by_starter(go_file, go):
        return None
    loop_file, loop = loops[0]
    started_in = semantic.function_name(go_file, starter)
    direct = semantic.enclosing_function(go)
    if direct is not None and direct.type == "func_literal":
        started_in = f"the function literal in {started_in}"
    return report(
        go_file,
        go,
        f"goroutine never exits: its loop has no return, break, ctx.Done() or stop-channel "
        f"case, and every call of {started_in} starts another; give it a way out "
        f"(select on ctx.Done() or on a done channel that Close/Stop closes)",
        related=[related(loop_file, loop, "this loop never ends")],
    )


def _lives_with_the_process(package: Package, go_file: GoFile, go: Node, starter: Node) -> bool:
    """Started once per process: from `main`, `init`, a function only they call, or a test
    file's `Example` (a program in all but name); inside `once.Do(func() { ... })`; behind a
    start-once guard; or right before the starter ends the process."""
    name_ = semantic.function_name(go_file, starter)
    if go_file.is_test and name_.startswith("Example"):
        return True
    direct = semantic.enclosing_function(go)
    if direct is not None and direct.id == starter.id:
        if semantic.runs_once_per_process(package, go_file, starter):
            return True
    elif semantic.is_process_entry(package, go_file, starter):
        return True
    return (
        _inside_once_do(go_file, go)
        or _behind_start_once_guard(go_file, go, starter)
        or _fills_process_pool(package, go_file, go, starter)
        or _process_ends_after(go_file, go, starter)
    )


def _fills_process_pool(package: Package, go_file: GoFile, go: Node, starter: Node) -> bool:
    """`for workerCount < maxWorkers { go worker() }` on package-level counts: the loop
    starts goroutines until a process-wide pool is full, so at most that many ever run."""
    loop = semantic.inside_loop(go, stop_at=starter)
    if loop is None:
        return False
    body = loop.child_by_field_name("body")
    header = [c for c in loop.named_children if c.type != "comment" and c != body]
    if len(header) != 1 or header[0].type in ("for_clause", "range_clause"):
        return False
    globals_ = {v.name for v in semantic.package_vars(package)}
    return any(
        go_file.text(ident) in globals_
        and not semantic.is_shadowed(go_file, ident, go_file.root)
        and semantic.parameter_type(go_file, ident) is None
        for ident in semantic.identifiers(header[0])
    )


def _process_ends_after(go_file: GoFile, go: Node, starter: Node) -> bool:
    """`go spin(); ...; syscall.Exec(...)` or `os.Exit(code)` later in the starter, with no
    return in between: the goroutine ends with the process (or its image) right after."""
    return semantic.comes_before_any_return(
        go_file, go, starter, lambda stmt: _ends_process(go_file, stmt)
    )


def _joined_by_starter(go_file: GoFile, go: Node) -> bool:
    """`go func() { defer wg.Done(); for { ... } }(); wg.Wait()` with no return in between:
    the starter waits for the goroutine, so a goroutine that never ends hangs the call; it
    does not outlive it."""
    starter = semantic.enclosing_function(go)
    call = go.named_children[0] if go.named_children else None
    literal = call.child_by_field_name("function") if call is not None else None
    if starter is None or literal is None or literal.type != "func_literal":
        return False
    waits = {w.id for w in semantic.joins_of(go_file, starter, literal, go)}
    return bool(waits) and semantic.comes_before_any_return(
        go_file,
        go,
        starter,
        lambda stmt: stmt.type == "expression_statement" and stmt.named_children[0].id in waits,
    )


def _ends_process(go_file: GoFile, stmt: Node) -> bool:
    """`os.Exit(1)`, `log.Fatal(err)`, `return syscall.Exec(...)` or `if err :=
    syscall.Exec(...); err != nil {...}`: the statement ends the process when it succeeds."""
    if stmt.type in ("expression_statement", "return_statement"):
        parts = stmt.named_children
    elif stmt.type == "if_statement":
        initializer = stmt.child_by_field_name("initializer")
        right = initializer.child_by_field_name("right") if initializer is not None else None
        parts = [right] if right is not None else []
    else:
        return False
    calls = [c for p in parts for c in (p.named_children if p.type == "expression_list" else [p])]
    return any(
        c.type == "call_expression" and semantic.qualified_call_name(go_file, c) in _PROCESS_ENDERS
        for c in calls
    )


def _inside_once_do(go_file: GoFile, go: Node) -> bool:
    current = semantic.enclosing_function(go)
    while current is not None and current.type == "func_literal":
        holder = current.parent
        call = holder.parent if holder is not None and holder.type == "argument_list" else None
        callee = call.child_by_field_name("function") if call is not None else None
        field = callee.child_by_field_name("field") if callee is not None else None
        if field is not None and go_file.text(field) == "Do":
            return True
        current = semantic.enclosing_function(current)
    return False


def _behind_start_once_guard(go_file: GoFile, go: Node, starter: Node) -> bool:
    """`if started.CompareAndSwap(false, true) { go loop() }`, or a package-level flag that
    the starter checks and sets first: `if sigCh != nil { return }; sigCh = make(...)`."""
    current = go.parent
    while current is not None and current.id != starter.id:
        if current.type == "if_statement":
            condition = current.child_by_field_name("condition")
            if condition is not None and _SWAP.search(go_file.text(condition)):
                return True
        current = current.parent
    for stmt in semantic.statements(starter.child_by_field_name("body")):
        if stmt.start_byte >= go.start_byte:
            break
        if stmt.type == "if_statement" and _is_global_guard(go_file, stmt, starter):
            return True
    return False


def _is_global_guard(go_file: GoFile, guard: Node, starter: Node) -> bool:
    consequence = semantic.statements(guard.child_by_field_name("consequence"))
    condition = guard.child_by_field_name("condition")
    if not consequence or consequence[-1].type != "return_statement" or condition is None:
        return False
    body = starter.child_by_field_name("body")
    for ident in semantic.identifiers(condition):
        name_ = go_file.text(ident)
        if semantic.parameter_type(go_file, ident) is not None or name_ in (
            semantic.declared_names(go_file, starter)
        ):
            continue  # a local or parameter: checked per call, not once per process
        assigned = [
            ref
            for ref in semantic.references(go_file, body, name_)
            if ref.start_byte > guard.end_byte
            and semantic.channel_use(go_file, ref) is semantic.ChannelUse.BIND
        ]
        if assigned:
            return True
    return False


def _goroutine_functions(
    package: Package, go_file: GoFile, call: Node
) -> list[tuple[GoFile, Node]]:
    """The function the goroutine runs: the literal, or every declaration in this package the
    call may name (methods are matched by name only, so all of them must agree)."""
    callee = call.child_by_field_name("function")
    if callee is not None and callee.type == "func_literal":
        return [(go_file, callee)]
    return semantic.callee_declarations(package, go_file, call)
