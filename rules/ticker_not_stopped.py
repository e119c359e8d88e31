"""## What it does
Flags a `time.NewTicker` whose ticker is neither stopped (`Stop`, called or deferred) on every
path out of the function that made it, nor handed over to someone else (returned, stored in a
field or global, passed to a function, stopped by the goroutine that owns it). Also flags
`time.Tick` outside `main` packages, `init`, tests, and functions that never return
(staticcheck's SA1015 judgement). `time.NewTicker(0)` or a negative literal period panics
and makes no ticker: not flagged.

## Why is this bad
A ticker that is never stopped keeps firing for as long as something references it. Before
Go 1.23 the runtime kept every unstopped ticker alive forever, even unreferenced: each call of
the function adds a ticker that is never collected, and its timer keeps waking the scheduler.
From Go 1.23 on an unreferenced ticker is collected, but one still held by a live goroutine
(the usual `for range ticker.C` worker) still leaks with it. `time.Tick` gives no way to stop
the ticker at all.

**Go version.** The version is the `go` line of the nearest go.mod (`--go-version` overrides
it; no go.mod means unknown, taken as old). From Go 1.23 on, a ticker that nothing references
once the function returns is collected, so those findings drop to level `note` and say so,
and `time.Tick` is not flagged at all (Go 1.23's docs: no reason to prefer `NewTicker` when
`Tick` will do). A ticker held by a goroutine or callback that outlives the function stays a
`warning` on every version, and so does everything when go.mod asks for the old timers back
(`godebug asynctimerchan=1`).

## Example
```go
func poll(ctx context.Context, check func()) {
        ticker := time.NewTicker(time.Second)
        for {
                select {
                case <-ctx.Done():
                        return // the ticker keeps running
                case <-ticker.C:
                        check()
                }
        }
}
```

## Use instead
```go
func poll(ctx context.Context, check func()) {
        ticker := time.NewTicker(time.Second)
        defer ticker.Stop()
        for {
                select {
                case <-ctx.Done():
                        return
                case <-ticker.C:
                        check()
                }
        }
}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from linter import semantic
from linter.findings import Finding
from linter.reporting import related, report
from linter.source import GoFile, Package

code = "GLK101"
name = "ticker-not-stopped"
summary = "time.Ticker that is never stopped"
level = "warning"
precision = "high"
tags = ("goroutine-leak", "memory-leak", "timer")

_STOP = ("Stop",)
_COLLECTED = (
    " (a note only: from Go 1.23, which this module targets, an unreferenced ticker is "
    "collected even when not stopped)"
)


def check(package: Package) -> Iterator[Finding]:
    collected = semantic.timers_collected_when_unreferenced(package)
    for go_file in package.files:
        for qualified, call in semantic.calls_to(go_file, ("time.NewTicker", "time.Tick")):
            if qualified == "time.Tick":
                finding = _check_tick(package, go_file, call, collected)
            else:
                finding = _check_new_ticker(go_file, call, collected)
            if finding is not None:
                yield finding


def _check_tick(package: Package, go_file: GoFile, call: Node, collected: bool) -> Finding | None:
    """time.Tick is fine where the ticker is meant to live as long as the process, and
    anywhere from Go 1.23 on, where an unreferenced ticker is collected."""
    if collected or package.name == "main" or go_file.is_test:
        return None
    top = semantic.top_level_function(call)
    if top is None or semantic.function_name(go_file, top) == "init":
        return None
    function = semantic.enclosing_function(call)
    if function is not None and semantic.never_returns(go_file, function, _ranges_forever):
        return None
    return report(
        go_file,
        call,
        "time.Tick leaks its ticker: it can never be stopped; use time.NewTicker and "
        "defer ticker.Stop()",
    )


def _ranges_forever(loop: Node) -> bool:
    """`for range time.Tick(d)` (or a ticker's C) never ends: nothing closes that channel."""
    right = semantic.range_expression(loop)
    if right is None:
        return False
    text = right.text.decode("utf-8", "replace")
    return text.endswith(".C") or ".Tick(" in text


def _check_new_ticker(go_file: GoFile, call: Node, collected: bool) -> Finding | None:
    function = semantic.enclosing_function(call)
    if function is None:
        return None  # a package-level ticker lives as long as the program, by design
    if _panics(go_file, call):
        return None
    suffix, level = (_COLLECTED, "note") if collected else ("", "")
    binding = semantic.binding_of(go_file, call)
    discarded = "ticker is discarded and can never be stopped" + suffix
    if binding.kind == "blank":
        return report(go_file, call, discarded, level=level)
    if binding.kind == "none":
        parent = call.parent
        if parent is not None and parent.type == "expression_statement":
            return report(go_file, call, discarded, level=level)
        field = parent.child_by_field_name("field") if parent is not None else None
        if parent.type == "selector_expression" and field is not None and field.text == b"C":
            return report(
                go_file,
                call,
                "ticker is used in place and can never be stopped; keep it and defer "
                "ticker.Stop()" + suffix,
                level=level,
            )
        return None  # returned, passed on or stored: whoever receives it owns it
    if binding.kind != "local":
        return None  # stored in a field, map or global: its owner stops it
    ticker = binding.name
    escape = semantic.escape_of(
        go_file, function, ticker, binding.statement, allowed_closure=lambda _: True
    )
    if escape is not None:
        return None
    body = function.child_by_field_name("body")
    if collected and not _held_by_closure(go_file, function, ticker, binding.statement):
        suffix, level = _COLLECTED, "note"
    else:
        suffix, level = "", ""  # a goroutine or callback keeps it referenced: a leak anywhere
    stops = semantic.method_calls_on(go_file, body, ticker, _STOP)
    if not stops:
        return report(
            go_file,
            call,
            f"ticker {ticker!r} is never stopped; add defer {ticker}.Stop()" + suffix,
            level=level,
        )
    if any(_stopped_by_another_goroutine(stop, function) for stop in stops):
        return None  # the goroutine or callback that uses it stops it: ownership moved
    exits = semantic.exits_without_release(go_file, function, binding.statement, stops)
    if not exits:
        return None
    return report(
        go_file,
        call,
        f"ticker {ticker!r} is not stopped on every path; "
        f"add defer {ticker}.Stop() right after creating it" + suffix,
        related=[related(go_file, e.node, f"{e.how} leaves {ticker!r} running") for e in exits],
        level=level,
    )


def _panics(go_file: GoFile, call: Node) -> bool:
    """`time.NewTicker(0)`, `time.NewTicker(-1)`: a non-positive duration panics, so no ticker
    is made (tests that check the panic)."""
    duration = semantic.constant_duration(go_file, call)
    return duration is not None and duration <= 0


def _held_by_closure(go_file: GoFile, function: Node, ticker: str, binding: Node) -> bool:
    """Is the ticker used by a function literal that can outlive `function` (a goroutine, a
    callback)? Then it stays referenced, and unstopped it leaks on every Go version."""
    body = function.child_by_field_name("body")
    for ref in semantic.references(go_file, body, ticker):
        if ref.start_byte < binding.end_byte:
            continue
        owner = semantic.enclosing_function(ref)
        if owner is not None and owner.id != function.id and not _is_deferred(owner):
            return True
    return False


def _is_deferred(func_literal: Node) -> bool:
    call = func_literal.parent
    return call is not None and call.parent is not None and call.parent.type == "defer_statement"


def _stopped_by_another_goroutine(stop: Node, function: Node) -> bool:
    owner = semantic.enclosing_function(stop)
    if owner is None or owner.id == function.id:
        return False
    call = owner.parent
    deferred = (
        call is not None and call.parent is not None and call.parent.type == "defer_statement"
    )
    return not deferred
