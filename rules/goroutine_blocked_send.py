"""## What it does
Flags a send (`ch <- v`) in a goroutine that can block forever: the goroutine is started in a
function F, sends on a channel F made, and F can leave without receiving what it sends — a
`select` case on `ctx.Done()`, `time.After` or another channel that returns, an early
`return` before the receive (the error path), a receive on only some branches, or a
receive loop that returns on the first error while other goroutines still send. The send
follows the channel through every file of the package (`go worker(ch)` is followed into
`worker`). The mirror case is flagged too: a goroutine waiting to receive from a channel that
F can return without sending on or closing.

The finding points at the send (or, for the mirror case, the receive) with each early exit
of F as a related location, and suggests the usual fix.

Not flagged when the buffer holds every send that can happen (`make(chan T, 1)` for one sender,
counted per channel when one goroutine feeds several, `make(chan T, len(items))`), when every
path out of F receives, when the send sits in a `select` that can give up (`case
<-ctx.Done()`), or when the channel escapes F (returned, stored, passed to code we cannot see):
someone else may receive. A receive from a `done` channel that the sending goroutine closes (or
sends on) as its last act counts as receiving all it sent, and so does a receive loop that
returns only on `if !ok` after `v, ok := <-ch` when the sender closes `ch` as its last act; a
`select` arm on a channel F made and nobody serves (never sent on nor closed; or, for a send,
unbuffered and never received from) is never taken; a send under a run-once flag (`if first {
ch <- v; first = false }`, also `if !sent && ok` or an enclosing `if !sent` with `sent = true`
beside the send) or under one value of the loop index (`if i == n/2 { half <- true }`) is
counted once, not once per loop pass; a loop of a fixed handful of iterations (`for _, r :=
range []string{"east", "west"}`, a constant bound, a small table nothing grows) starts that
many goroutines, which that many receives match; a goroutine's receive from a buffered
channel it has put a value into itself earlier on every path (a counting semaphore's `sem <-
token` then `defer func() { <-sem }()`) takes back its own token and waits on no one; and
past a `wg.Wait()` that joins every sender
(each defers `wg.Done()`) nothing is left blocked: a sender still stuck there makes F hang, it
does not leak.

**Default and scope (measured, docs/precision-audit.md).** Opt-in: on eleven held-out
projects 5 of 19 decided findings were real (production 4 of 6; tests 1 of 13, where a
timeout that fails the test is the usual way out). Blocked goroutines in a goroutine dump
confirm its candidates, and a confirmed one is reported even when the rule is not enabled.

## Why is this bad
An unbuffered send waits for a receiver. When F has returned, no receiver will ever come: the
goroutine stays parked in `chan send` forever, with its stack and everything it references
(the response body, the buffers, the request). Each timed-out request leaks one more. This is
the most common goroutine leak in Go services.

## Example
```go
func fetch(ctx context.Context, url string) (*Response, error) {
        ch := make(chan *Response)
        go func() {
                ch <- get(url) // blocks forever once fetch has returned
        }()
        select {
        case r := <-ch:
                return r, nil
        case <-ctx.Done():
                return nil, ctx.Err()
        }
}
```

## Use instead
```go
func fetch(ctx context.Context, url string) (*Response, error) {
        ch := make(chan *Response, 1) // the send never waits
        go func() {
                ch <- get(url)
        }()
        select {
        case r := <-ch:
                return r, nil
        case <-ctx.Done():
                return nil, ctx.Err()
        }
}
```
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from tree_sitter import Node

from linter import semantic
from linter.findings import Finding
from linter.reporting import related, report
from linter.source import GoFile, Package

code = "GLK202"
name = "goroutine-blocked-send"
summary = "goroutine can block forever on a channel its starter stops serving"
level = "warning"
precision = "low"
default = False
tags = ("goroutine-leak", "channel")


def check(package: Package) -> Iterator[Finding]:
    for go_file in package.files:
        by_function: dict[int, tuple[Node, list[semantic.Partners]]] = {}
        for make in semantic.channel_makes(go_file):
            function = semantic.enclosing_function(make)
            if function is None or semantic.is_main_function(package, go_file, function):
                continue  # when main returns the process exits: nothing is left to leak
            channel = semantic.channel_partners(package, go_file, function, make)
            if channel is not None:
                by_function.setdefault(function.id, (function, []))[1].append(channel)
        for function, channels in by_function.values():
            yield from _check_senders(package, go_file, function, channels)
            yield from _check_receivers(package, go_file, function, channels)


# ---------------------------------------------------------------------------------------------
# Goroutines that send


def _check_senders(
    package: Package, go_file: GoFile, function: Node, channels: list[semantic.Partners]
) -> Iterator[Finding]:
    """Channels fed by the same goroutine (`respc`, `errc`) are judged together: receiving
    from either one is what that goroutine waits for."""
    senders = [c for c in channels if c.senders and not c.receivers and not c.sends]
    completions = [c for c in channels if c.signals_completion]
    for group in _groups_by_launch(senders):
        finding = _check_sender_group(package, go_file, function, group, completions)
        if finding is not None:
            yield finding


def _groups_by_launch(channels: list[semantic.Partners]) -> list[list[semantic.Partners]]:
    groups: list[tuple[set[int], list[semantic.Partners]]] = []
    for channel in channels:
        ids = {x.go.id for x in channel.launches}
        joined = [g for g in groups if g[0] & ids]
        for g in joined:
            groups.remove(g)
            ids |= g[0]
        members = [c for g in joined for c in g[1]] + [channel]
        groups.append((ids, members))
    return [members for _, members in groups]


def _check_sender_group(
    package: Package,
    go_file: GoFile,
    function: Node,
    group: list[semantic.Partners],
    completions: list[semantic.Partners],
) -> Finding | None:
    capacities = [c.capacity for c in group if c.capacity is not None]
    if not capacities or len({_scope_id(c.binding) for c in group}) != 1:
        return None  # buffers sized at run time, or channels made in different scopes
    if all(_buffer_holds_its_sends(package, c) for c in group):
        return None  # each buffer takes every send made on its channel: no sender ever waits
    slack = min(capacities)
    launches: dict[int, semantic.Launch] = {}
    for channel in group:
        for launch in channel.senders:
            launches[launch.go.id] = launch
    owed = [
        (
            launch.go,
            semantic.max_on_a_path(
                package, launch.go_file, launch.function, _group_sends(launch, group)
            ),
        )
        for launch in launches.values()
    ]
    events = [event for channel in group for event in channel.receives]
    debts = {go.id: debt for go, debt in owed}
    for signal in completions:
        launch_id = signal.launches[0].go.id
        if launch_id in debts:  # `case <-done:`: that goroutine has made all its sends
            events.extend((op, debts[launch_id]) for op, _ in signal.receives)
    events.extend(_joins(go_file, function, list(launches.values())))
    binding = max((c.binding for c in group), key=lambda b: b.start_byte)
    body = function.child_by_field_name("body")
    settled = frozenset(  # `v, ok := <-ch; if !ok { return }`, ch closed after every send
        check.id
        for channel in group
        if channel.closed_by_last_act
        for check in semantic.closed_checks(go_file, body, channel.name)
    )
    exits = semantic.unbalanced_exits(package, go_file, binding, owed, events, slack, settled)
    if not exits:
        return None
    blocked = min(
        (c for c in group if c.capacity == slack and c.senders),
        key=lambda c: c.make.start_byte,
    )
    send_file, send = _first(blocked.senders, lambda x: x.sends)
    unbounded = any(e.balance.owed == semantic.UNBOUNDED for e in exits)
    where = _describe_exit(go_file, function, exits[0])
    element = semantic.channel_element_type(go_file, blocked.make)
    if unbounded:
        message = (
            f"goroutines block forever on this send: {where} before receiving every value "
            f"sent on {blocked.name}; buffer it for every send (make(chan {element}, n)) "
            f"or select on ctx.Done() in the sender"
        )
    else:
        sends = int(max(e.balance.owed for e in exits))
        message = (
            f"goroutine blocks forever on this send: {where} without receiving from "
            f"{blocked.name}; give it a buffer (make(chan {element}, {sends})) or select on "
            f"ctx.Done() in the sender"
        )
    return report(
        send_file,
        send,
        message,
        related=_related(go_file, exits, f"the goroutine blocked sending on {blocked.name}"),
    )


def _buffer_holds_its_sends(package: Package, channel: semantic.Partners) -> bool:
    """`errc := make(chan error, 1)` and one send at most on any path of its one goroutine:
    the send completes whether or not F ever receives. Sends of a `go` in a loop are not
    counted (each pass starts another sender)."""
    if channel.capacity is None:
        return False
    total = 0.0
    for launch in channel.senders:
        if semantic.inside_loop(launch.go) is not None:
            return False
        total += semantic.max_on_a_path(
            package, launch.go_file, launch.function, list(launch.sends)
        )
    return total <= channel.capacity


def _joins(
    go_file: GoFile, function: Node, launches: list[semantic.Launch]
) -> list[tuple[Node, float]]:
    """`wg.Wait()` in F after every sender deferred `wg.Done()`: past it every sender has
    finished, so every send was received (had one blocked, F would hang there, not leak)."""
    waits = [semantic.joins_of(go_file, function, x.function, x.go) for x in launches]
    if not waits or not all(waits):
        return []  # a sender nobody waits for may still be blocked
    return [(wait, semantic.UNBOUNDED) for joined in waits for wait in joined]


def _scope_id(binding: Node) -> int | None:
    statement = semantic.scope_statement(binding)
    return statement.parent.id if statement is not None and statement.parent else None


def _group_sends(launch: semantic.Launch, group: list[semantic.Partners]) -> list[Node]:
    sends: list[Node] = []
    for channel in group:
        member = channel.launch_of(launch.go)
        if member is not None:
            sends.extend(member.sends)
    return sends


# ---------------------------------------------------------------------------------------------
# Goroutines that receive (the mirror case)


def _check_receivers(
    package: Package, go_file: GoFile, function: Node, channels: list[semantic.Partners]
) -> Iterator[Finding]:
    for channel in channels:
        receivers = channel.receivers
        if not receivers or channel.senders or channel.receives:
            continue
        owed = [
            (x.go, semantic.max_on_a_path(package, x.go_file, x.function, x.receives))
            for x in receivers
        ]
        ranges = any(op.type == "for_statement" for x in receivers for op in x.receives)
        if ranges:
            # A range ends only when the channel is closed; sends do not release it.
            if not channel.closes:
                continue  # never closed anywhere: GLK201 reports the range
            events = channel.closes
        elif any(debt == semantic.UNBOUNDED for _, debt in owed):
            continue  # receives in a loop end by a protocol we cannot count
        else:
            events = channel.sends + channel.closes
        exits = semantic.unbalanced_exits(
            package, go_file, channel.binding, list(owed), list(events), 0
        )
        if not exits:
            continue
        receive_file, receive = _first(receivers, lambda x: x.receives)
        where = _describe_exit(go_file, function, exits[0])
        yield report(
            receive_file,
            receive,
            f"goroutine blocks forever on this receive: {where} without sending on or "
            f"closing {channel.name}; close it on every path (defer close({channel.name}))",
            related=_related(
                go_file, exits, f"the goroutine blocked receiving from {channel.name}"
            ),
        )


# ---------------------------------------------------------------------------------------------
# Messages


def _first(
    launches: list[semantic.Launch], ops: Callable[[semantic.Launch], tuple[Node, ...]]
) -> tuple[GoFile, Node]:
    """The first committed operation, in source order, of the first launch."""
    launch = min(launches, key=lambda x: x.go.start_byte)
    return launch.go_file, min(ops(launch), key=lambda n: n.start_byte)


def _describe_exit(go_file: GoFile, function: Node, exit_: semantic.UnbalancedExit) -> str:
    name_ = semantic.function_name(go_file, function) or "the function literal"
    line = exit_.node.start_point[0] + 1
    if exit_.kind is semantic.ExitKind.RETURN:
        return f"{name_} can return at line {line}"
    if exit_.kind is semantic.ExitKind.FUNCTION_END:
        return f"{name_} can reach its end (line {line})"
    if exit_.kind is semantic.ExitKind.ITERATION_END:
        return f"the loop iteration of {name_} can end (line {line})"
    return f"{name_} can leave the channel's scope at line {line}"


def _related(go_file: GoFile, exits: list[semantic.UnbalancedExit], left: str) -> list:
    result = []
    for exit_ in exits:
        witness = exit_.balance.witness
        if witness is not None:
            result.append(related(go_file, witness, "this break leaves the receive loop early"))
        result.append(related(go_file, exit_.node, f"{exit_.how} leaves {left}"))
    return result
