"""## What it does
Flags a `time.NewTicker` whose ticker is neither stopped (`Stop`, called or deferred) on every
path out of the function that made it, nor handed over to someone else (returned, stored in a
field or global, passed to a function, stopped by the goroutine that owns it). Also flags
`time.Tick` outside `main` packages, `init`, tests, and functions that never return
(staticcheck's SA1015 judgement). `time.NewTicker(0)` or a negative literal period panics
and makes no ticker: not flagged. A `for range t.C` loop never ends by itself (nobody closes
a ticker's channel), so only its `return`s and `break`s are ways out that need the `Stop`.
A deferred closure registered earlier that reads the ticker variable (`defer func() { if t
!= nil { t.Stop() } }()`) is trusted with it, also when a closure assigns the variable it
captures (`start := func() { t = time.NewTicker(d) }`) and the deferred closure belongs to
the function that declares it. A ticker replaced in a loop (`t.Stop(); t =
time.NewTicker(d)`) is stopped on its way out if every replacement stops the old one first
and every exit of the loop stops the current one.

**Default and scope (measured, docs/precision-audit.md).** Opt-in: on eleven held-out
projects (all at Go >= 1.23) none of its 10 findings was a leak. Seven were notes about
collected tickers, which are no longer reported; the rest were tickers stopped on the way
out that the rule could not follow, or started once per process. It is exact on modules
before Go 1.23, where none of the measured projects sits; `--enable GLK101` there.

## Why is this bad
A ticker that is never stopped keeps firing for as long as something references it. Before
Go 1.23 the runtime kept every unstopped ticker alive forever, even unreferenced: each call of
the function adds a ticker that is never collected, and its timer keeps waking the scheduler.
From Go 1.23 on an unreferenced ticker is collected, but one still held by a live goroutine
(the usual `for range ticker.C` worker) still leaks with it. `time.Tick` gives no way to stop
the ticker at all.

**Go version.** The version is the `go` line of the nearest go.mod (`--go-version` overrides
it; no go.mod means unknown, taken as old). From Go 1.23 on, a ticker that nothing references
once the function returns is collected, so it is not flagged (as GLK102 is silent on timers
there), and neither is `time.Tick` (Go 1.23's docs: no reason to prefer `NewTicker` when
`Tick` will do). A ticker held by a goroutine or callback that outlives the function is
flagged on every version, and so is everything when go.mod asks for the old timers back
(`godebug asynctimerchan=1`). On real projects at Go >= 1.23, notes about collected tickers
were never a leak (18 of 18 judged findings), so they are not reported at all.

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
precision = "low"
default = False
tags = ("goroutine-leak", "memory-leak", "timer")

_STOP = ("Stop",)


def check(package: Package) -> Iterator[Finding]:
    collected = semantic.timers_collected_when_unreferenced(package)
    for go_file in package.files:
        for qualified, call in semantic.calls_to(go_file, ("time.NewTicker", "time.Tick")):
            if qualified == "time.Tick":
                finding = _check_tick(package, go_file, call, collected)
            else:
                finding = _check_new_ticker(package, go_file, call, collected)
            if finding is not None:
                yield finding


def _check_tick(package: Package, go_file: GoFile, call: Node, collected: bool) -> Finding | None:
    """time.Tick is fine where the ticker is meant to live as long as the process, and
    anywhere from Go 1.23 on, where an unreferenced ticker is collected."""
    if collected or package.name == "main" or go_file.is_test:
        return None
    top = semantic.top_level_function(call)
    if top is None or semantic.is_init_function(go_file, top):
        return None
    function = semantic.enclosing_function(call)
    if function is not None and semantic.never_returns(go_file, function):
        return None
    return report(
        go_file,
        call,
        "time.Tick leaks its ticker: it can never be stopped; use time.NewTicker and "
        "defer ticker.Stop()",
    )


def _check_new_ticker(
    package: Package, go_file: GoFile, call: Node, collected: bool
) -> Finding | None:
    function = semantic.enclosing_function(call)
    if function is None:
        return None  # a package-level ticker lives as long as the program, by design
    if _panics(go_file, call):
        return None
    binding = semantic.binding_of(go_file, call)
    if binding.is_used_in_place and _channel_of(go_file, call):
        return None if collected else _used_in_place(go_file, call)
    body = function.child_by_field_name("body")
    check = semantic.release_check(
        package,
        go_file,
        function,
        binding,
        lambda _: semantic.method_calls_on(go_file, body, binding.name, _STOP),
        closures=False,  # a goroutine that uses the ticker keeps it running: still ours
    )
    if check.verdict is semantic.Verdict.DISCARDED:
        return None if collected else _discarded(go_file, call)
    if check.verdict not in (semantic.Verdict.NEVER_RELEASED, semantic.Verdict.LEAKS):
        return None  # stopped on every path, or handed over: its owner stops it
    # A goroutine or callback that keeps the ticker referenced leaks it on any Go version.
    if collected and not semantic.captured_by_closure(
        go_file, function, binding.name, binding.statement
    ):
        return None  # collected once the function returns (Go >= 1.23): nothing leaks
    ticker = binding.name
    if check.verdict is semantic.Verdict.NEVER_RELEASED:
        return report(
            go_file,
            call,
            f"ticker {ticker!r} is never stopped; add defer {ticker}.Stop()",
        )
    return report(
        go_file,
        call,
        f"ticker {ticker!r} is not stopped on every path; "
        f"add defer {ticker}.Stop() right after creating it",
        related=[
            related(go_file, e.node, f"{e.how} leaves {ticker!r} running") for e in check.exits
        ],
    )


def _used_in_place(go_file: GoFile, call: Node) -> Finding:
    return report(
        go_file,
        call,
        "ticker is used in place and can never be stopped; keep it and defer ticker.Stop()",
    )


def _discarded(go_file: GoFile, call: Node) -> Finding:
    return report(go_file, call, "ticker is discarded and can never be stopped")


def _panics(go_file: GoFile, call: Node) -> bool:
    """`time.NewTicker(0)`, `time.NewTicker(-1)`: a non-positive duration panics, so no ticker
    is made (tests that check the panic)."""
    duration = semantic.constant_duration(go_file, call)
    return duration is not None and duration <= 0


def _channel_of(go_file: GoFile, call: Node) -> bool:
    """`time.NewTicker(d).C`: the channel is used, the ticker itself is dropped."""
    use = semantic.use_of(go_file, call)
    return use.kind is semantic.UseKind.FIELD and use.name == "C"
