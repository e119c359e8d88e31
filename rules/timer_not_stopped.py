"""## What it does
Flags timers left pending after the code that made them has moved on:

- a `time.NewTimer` that is neither stopped (`Stop`, called or deferred) nor fired (a receive
  from its `C`) on some path out of the function, or out of the loop iteration, that made it,
  and that is not handed over (returned, stored, passed on, used by a goroutine);
- `time.After` (or `time.NewTimer(d).C`) in a `select` inside a `for` loop when another arm of
  that `select` goes round the loop again: every such iteration leaves a new timer behind;
- a `time.AfterFunc` timer that the function stops on some paths but not on all of them.

A fire-and-forget `time.AfterFunc(d, f)` whose timer is never kept is not flagged, nor is a
`select` whose other arms all leave the loop (return, break, `t.Fatal`, `log.Fatal`: the "poll
every d until done" idiom), a timer made only on the way out of the loop (the case that waits
on it ends with a `return`), a loop of a handful of iterations (a literal or constant bound, a
small literal table), a timer variable that a deferred closure registered earlier cleans up
(`defer func() { if t != nil { t.Stop() } }()`), a timer of zero or one nanosecond (it has
fired before anything else runs), or a timer the function sleeps past (`time.Sleep(d)` or
`Sleep(2 * d)` after `time.NewTimer(d)`: it has fired by then).

**Default and scope (measured, docs/precision-audit.md).** On by default, for code that
ships: it reported nothing in the production code of 25 real projects. Its one test-file
finding there was a false positive, so `_test.go` files are out of scope.

## Why is this bad
Before Go 1.23 a timer that is not stopped stays in the runtime's timer heap, with its
channel and whatever it references, until it fires. A 30-second timeout made per request or
per loop iteration and abandoned after a fast answer piles up: at 10,000 messages a second,
300,000 live timers. A pending `AfterFunc` timer still runs its callback after the function
returned, closing a connection or cancelling work that is no longer its own.

**Go version.** The version is the `go` line of the nearest go.mod (`--go-version` overrides
it; no go.mod means unknown, taken as old). From Go 1.23 on, timers that nothing references
are collected even when not stopped, so the `NewTimer` and `time.After` shapes are harmless
and GLK102 stays silent on them (unless go.mod asks for the old timers back with
`godebug asynctimerchan=1`). The `AfterFunc` shape is reported on every version: the runtime
keeps a pending `AfterFunc` timer, and runs its callback, whatever the version.

## Example
```go
func consume(in <-chan Msg) error {
        for {
                select {
                case m := <-in:
                        handle(m)
                case <-time.After(30 * time.Second): // a new timer per message
                        return errIdle
                }
        }
}
```

## Use instead
```go
func consume(in <-chan Msg) error {
        idle := time.NewTimer(30 * time.Second)
        defer idle.Stop()
        for {
                select {
                case m := <-in:
                        handle(m)
                        idle.Reset(30 * time.Second)
                case <-idle.C:
                        return errIdle
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
from linter.source import GoFile, Package, captures, query

code = "GLK102"
name = "timer-not-stopped"
summary = "time.Timer left pending: not stopped, or time.After in a loop"
level = "warning"
precision = "medium"
test_files = False
tags = ("memory-leak", "timer")

_RECEIVES_FROM_C = query(
    """
    (unary_expression
       operator: "<-"
       operand: (selector_expression
                  operand: (identifier) @timer
                  field: (field_identifier) @field (#eq? @field "C"))) @receive
    """
)
_OLD_GO = "before Go 1.23 it stays in memory until it fires"
_CASE_TYPES = ("communication_case", "default_case")


def check(package: Package) -> Iterator[Finding]:
    collected = semantic.timers_collected_when_unreferenced(package)
    for go_file in package.files:
        if "time" not in go_file.imports.values() and "time" not in go_file.dot_imports:
            continue
        wanted = (
            ("time.AfterFunc",) if collected else ("time.NewTimer", "time.After", "time.AfterFunc")
        )
        for qualified, call in semantic.calls_to(go_file, wanted):
            if qualified == "time.AfterFunc":
                finding = _check_after_func(package, go_file, call)
            elif qualified == "time.After":
                finding = _check_after_in_loop(package, go_file, call, "time.After")
            else:
                finding = _check_new_timer(package, go_file, call)
            if finding is not None:
                yield finding


# ---------------------------------------------------------------------------------------------
# time.NewTimer


def _check_new_timer(package: Package, go_file: GoFile, call: Node) -> Finding | None:
    function = semantic.enclosing_function(call)
    if function is None or _fires_at_once(go_file, call):
        return None
    binding = semantic.binding_of(go_file, call)
    if binding.is_used_in_place and _channel_of(go_file, call):
        return _check_after_in_loop(package, go_file, call, "time.NewTimer(...).C")
    if binding.is_local and _channel_given_away(go_file, function, binding):
        return None  # `wait(t.C)`, `ch := t.C`: whoever has the channel decides
    body = function.child_by_field_name("body")
    timer = binding.name
    check = semantic.release_check(
        package,
        go_file,
        function,
        binding,
        lambda _: (
            semantic.method_calls_on(go_file, body, timer, ("Stop",))
            + _receives_from_c(go_file, body, timer)
            + _sleeps_past(go_file, function, call, binding.statement)
        ),
    )
    exits = list(check.exits)
    loop = semantic.inside_loop(binding.statement) if exits else None
    if loop is not None and semantic.is_small_loop(package, go_file, loop):
        exits = [e for e in exits if e.kind is not semantic.ExitKind.NEXT_ITERATION]
    if not exits:
        return None  # stopped or fired on every path, or not ours to judge
    return _timer_pending(go_file, call, timer, exits)


def _channel_given_away(go_file: GoFile, function: Node, binding: semantic.Binding) -> bool:
    """`wait(t.C)`, `ch := t.C`, `return t.C`: the timer's channel went to someone else."""
    body = function.child_by_field_name("body")
    for ref in semantic.references(go_file, body, binding.name):
        if ref.start_byte < binding.statement.end_byte:
            continue
        use = semantic.use_of(go_file, ref)
        if use.kind is not semantic.UseKind.FIELD or use.name != "C":
            continue
        if semantic.use_of(go_file, use.holder).hands_over:
            return True
    return False


def _receives_from_c(go_file: GoFile, scope: Node, timer: str) -> list[Node]:
    """`<-t.C` anywhere below `scope`: once it has been received, the timer has fired."""
    found = captures(_RECEIVES_FROM_C, scope)
    encoded = timer.encode()
    names = {n.parent.id for n in found.get("timer", []) if n.text == encoded}
    return [r for r in found.get("receive", []) if r.child_by_field_name("operand").id in names]


def _fires_at_once(go_file: GoFile, call: Node) -> bool:
    """`time.NewTimer(0)`, `time.After(1)`: a duration of at most a nanosecond has expired by
    the time anything else runs, so the timer is not left pending."""
    duration = semantic.constant_duration(go_file, call)
    return duration is not None and duration <= 1


def _sleeps_past(go_file: GoFile, function: Node, call: Node, binding: Node) -> list[Node]:
    """`time.Sleep(d)` (or `Sleep(2 * d)`) after `t := time.NewTimer(d)` in the same function:
    once the sleep is over the timer has fired, which releases it like a receive would."""
    arguments = call.child_by_field_name("arguments")
    values = [a for a in arguments.named_children if a.type != "comment"] if arguments else []
    if len(values) != 1:
        return []
    duration = go_file.text(values[0])
    sleeps = []
    for _, sleep in semantic.calls_to(go_file, ("time.Sleep",)):
        if sleep.start_byte < binding.end_byte or semantic.enclosing_function(sleep) != function:
            continue
        slept = sleep.child_by_field_name("arguments")
        slept_values = [a for a in slept.named_children if a.type != "comment"] if slept else []
        if len(slept_values) == 1 and _at_least(go_file, slept_values[0], duration):
            sleeps.append(sleep)
    return sleeps


def _at_least(go_file: GoFile, slept: Node, duration: str) -> bool:
    """Is `slept` spelled `duration`, or `k * duration` / `duration * k` for a literal k >= 1?"""
    slept = semantic.unparenthesized_inner(slept)
    if go_file.text(slept) == duration:
        return True
    operator = slept.child_by_field_name("operator")
    if slept.type != "binary_expression" or semantic.node_text(go_file, operator) != "*":
        return False
    left, right = slept.child_by_field_name("left"), slept.child_by_field_name("right")
    for factor, other in ((left, right), (right, left)):
        if factor is None or other is None or factor.type != "int_literal":
            continue
        count = semantic.int_literal_value(go_file, factor)
        if go_file.text(other) == duration and count is not None and count >= 1:
            return True
    return False


# ---------------------------------------------------------------------------------------------
# time.After (and time.NewTimer(d).C) in a loop


def _check_after_in_loop(
    package: Package, go_file: GoFile, call: Node, shape: str
) -> Finding | None:
    loop = semantic.inside_loop(call)
    if (
        loop is None
        or semantic.is_small_loop(package, go_file, loop)
        or _fires_at_once(go_file, call)
    ):
        return None
    case = _select_case_receiving(go_file, call, loop)
    if case is None:
        return None
    select = case.parent
    select_loop = semantic.inside_loop(select) if select is not None else None
    if select_loop is None or select_loop.id != loop.id:
        return None  # the select loops on its own inner loop: one timer per outer iteration
    others = [c for c in select.named_children if c.type in _CASE_TYPES and c.id != case.id]
    again = [
        c
        for c in others
        if not semantic.always_leaves_loop(go_file, semantic.case_statements(c), break_leaves=False)
    ]
    if not again or semantic.rest_leaves_loop(go_file, select, loop.child_by_field_name("body")):
        return None
    return report(
        go_file,
        call,
        f"{shape} in a loop makes a new timer every iteration, and an iteration that ends "
        f"through another case leaves it pending; {_OLD_GO}: make one timer before the loop "
        "and Reset it, or use a context deadline",
        related=[
            related(go_file, _case_head(c), "this case goes round the loop again") for c in again
        ],
    )


def _select_case_receiving(go_file: GoFile, call: Node, loop: Node) -> Node | None:
    """The select case that receives from this timer channel, directly
    (`case <-time.After(d):`) or through a variable made in the loop body."""
    channel = call.parent if _channel_of(go_file, call) else call
    case = _case_of_receive(go_file, channel)
    if case is not None:
        return case
    binding = semantic.binding_of(go_file, channel)
    if not binding.is_local:
        return None
    body = loop.child_by_field_name("body")
    for ref in semantic.references(go_file, body, binding.name):
        if ref.start_byte > binding.statement.end_byte:
            case = _case_of_receive(go_file, ref)
            if case is not None:
                return case
    return None


def _case_of_receive(go_file: GoFile, channel: Node) -> Node | None:
    """`case <-channel:` (or `case v := <-channel:`)."""
    if semantic.channel_use(go_file, channel) is not semantic.ChannelUse.RECEIVE:
        return None
    return semantic.select_case_of(semantic.unparenthesized(channel).parent)


def _case_head(case: Node) -> Node:
    communication = case.child_by_field_name("communication")
    return communication if communication is not None else case


# ---------------------------------------------------------------------------------------------
# time.AfterFunc


def _check_after_func(package: Package, go_file: GoFile, call: Node) -> Finding | None:
    """Only when the function shows it means to stop the timer (a Stop on some path): a
    fire-and-forget AfterFunc is the API's purpose."""
    function = semantic.enclosing_function(call)
    if function is None:
        return None
    binding = semantic.binding_of(go_file, call)
    body = function.child_by_field_name("body")
    check = semantic.release_check(
        package,
        go_file,
        function,
        binding,
        lambda _: semantic.method_calls_on(go_file, body, binding.name, ("Stop",)),
    )
    if check.verdict is not semantic.Verdict.LEAKS:
        return None  # stopped on every path, never meant to be stopped, or not ours
    timer = binding.name
    return report(
        go_file,
        call,
        f"time.AfterFunc timer {timer!r} is stopped on some paths but not on every one: on the "
        f"others its callback still runs after the function returned; defer {timer}.Stop()",
        related=_pending(go_file, check.exits, timer),
    )


# ---------------------------------------------------------------------------------------------


def _timer_pending(go_file: GoFile, call: Node, timer: str, exits: list[semantic.Exit]) -> Finding:
    if any(e.kind is semantic.ExitKind.NEXT_ITERATION for e in exits):
        message = (
            f"timer {timer!r} is made every loop iteration and not stopped before the next "
            f"one; {_OLD_GO}: stop it before the iteration ends"
        )
    else:
        message = (
            f"timer {timer!r} is not stopped on every path out of the function; {_OLD_GO}: "
            f"add defer {timer}.Stop()"
        )
    return report(go_file, call, message, related=_pending(go_file, exits, timer))


def _pending(go_file: GoFile, exits: list[semantic.Exit], timer: str) -> list:
    return [related(go_file, e.node, f"{e.how} leaves {timer!r} pending") for e in exits]


def _channel_of(go_file: GoFile, call: Node) -> bool:
    """`time.NewTimer(d).C`: the channel is used, the timer itself is dropped."""
    use = semantic.use_of(go_file, call)
    return use.kind is semantic.UseKind.FIELD and use.name == "C"
