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

Not flagged when the buffer holds every send that can happen (`make(chan T, 1)` for one
sender, `make(chan T, len(items))`), when every path out of F receives, when the send sits in
a `select` that can give up (`case <-ctx.Done()`), or when the channel escapes F (returned,
stored, passed to code we cannot see): someone else may receive. A receive from a `done`
channel that the sending goroutine closes as its last act counts as receiving all it sent;
a `select` arm on a channel F made and nobody serves (never sent on nor closed; or, for a
send, unbuffered and never received from) is never taken; a send under a run-once flag
(`if first { ch <- v; first = false }`) or under one value of the loop index (`if i == n/2
{ half <- true }`) is counted once, not once per loop pass; and past a `wg.Wait()` that
joins every sender (each defers `wg.Done()`) nothing is left blocked: a sender still stuck
there makes F hang, it does not leak.

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
from dataclasses import dataclass, field

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
tags = ("goroutine-leak", "channel")

_RECEIVING = (semantic.RECEIVE, semantic.RANGE)
_HARMLESS = (semantic.INSPECT, semantic.LABEL)


@dataclass
class _Launch:
    """One `go` statement that uses the channel, and the committed operations its goroutine
    performs on it (operations in a select that can give up are not committed)."""

    go: Node
    go_file: GoFile
    function: Node
    sends: list[Node] = field(default_factory=list)
    receives: list[Node] = field(default_factory=list)
    closes: list[Node] = field(default_factory=list)


@dataclass
class _Channel:
    """A channel made in F and every use of it, sorted by who performs it."""

    name: str
    make: Node
    binding: Node
    capacity: float | None
    receives: list[tuple[Node, float]] = field(default_factory=list)
    sends: list[tuple[Node, float]] = field(default_factory=list)
    closes: list[tuple[Node, float]] = field(default_factory=list)
    launches: dict[int, _Launch] = field(default_factory=dict)

    def senders(self) -> list[_Launch]:
        return [x for x in self.launches.values() if x.sends and not x.receives]

    def receivers(self) -> list[_Launch]:
        return [x for x in self.launches.values() if x.receives and not x.sends]

    def mixed(self) -> bool:
        return any(x.sends and x.receives for x in self.launches.values())


def check(package: Package) -> Iterator[Finding]:
    for go_file in package.files:
        by_function: dict[int, tuple[Node, list[_Channel]]] = {}
        for make in semantic.channel_makes(go_file):
            function = semantic.enclosing_function(make)
            if function is None or _ends_the_process(package, go_file, function):
                continue
            channel = _analyse(package, go_file, function, make)
            if channel is not None:
                by_function.setdefault(function.id, (function, []))[1].append(channel)
        for function, channels in by_function.values():
            dead = _DeadCases(go_file, function)
            yield from _check_senders(go_file, function, channels, dead)
            yield from _check_receivers(go_file, function, channels, dead)


def _ends_the_process(package: Package, go_file: GoFile, function: Node) -> bool:
    """When `main` returns the process exits: nothing is left to leak."""
    return package.name == "main" and semantic.function_name(go_file, function) == "main"


# ---------------------------------------------------------------------------------------------
# Who uses the channel


def _analyse(package: Package, go_file: GoFile, function: Node, make: Node) -> _Channel | None:
    binding = semantic.binding_of(go_file, make)
    if binding.kind != "local" or binding.target is None:
        return None
    local = semantic.local_channel(go_file, binding.target)
    if local is None or len(local.makes) != 1 or local.owner.id != function.id:
        return None
    channel = _Channel(binding.name, make, binding.target, semantic.channel_capacity(go_file, make))
    body = function.child_by_field_name("body")
    for ref in semantic.references(go_file, body, binding.name):
        if ref.id == binding.target.id:
            continue
        if not _record(package, go_file, function, channel, ref):
            return None
    if channel.mixed() or not channel.launches:
        return None
    return channel


def _record(
    package: Package, go_file: GoFile, function: Node, channel: _Channel, ref: Node
) -> bool:
    """File one use of the channel under F or under the goroutine performing it; False when
    the use lets the channel go somewhere we cannot follow."""
    owner = semantic.goroutine_of(ref)
    use = semantic.channel_use(go_file, ref)
    if owner is None:
        return False
    if owner.id == function.id:
        if use == semantic.ARGUMENT:
            return _record_go_call(package, go_file, function, channel, ref)
        op = _operation(ref, use)
        if use == semantic.RECEIVE:
            channel.receives.append((op, 1))
        elif use == semantic.RANGE:
            channel.receives.append((ref, semantic.UNBOUNDED))
        elif use == semantic.SEND:
            channel.sends.append((op, 1))
        elif use == semantic.CLOSE:
            channel.closes.append((op, semantic.UNBOUNDED))
        return use in (*_RECEIVING, semantic.SEND, semantic.CLOSE, *_HARMLESS)
    if semantic.is_go_statement_closure(owner):
        starter = semantic.goroutine_of(owner)
        if starter is None or starter.id != function.id:
            return False
        go = owner.parent.parent
        launch = channel.launches.setdefault(go.id, _Launch(go, go_file, owner))
        return _record_in_goroutine(launch, go_file, ref, use, channel.name)
    return False


def _record_go_call(
    package: Package, go_file: GoFile, function: Node, channel: _Channel, ref: Node
) -> bool:
    """`go worker(ch)`: follow the channel into `worker`'s parameter, in whichever file."""
    located = semantic.argument_index(ref)
    if located is None:
        return False
    call, index = located
    go = call.parent
    if go is None or go.type != "go_statement":
        return False
    declarations = semantic.callee_declarations(package, go_file, call)
    if len(declarations) != 1:
        return False
    callee_file, callee = declarations[0]
    parameter = semantic.parameter_for_argument(callee_file, callee, index)
    body = callee.child_by_field_name("body")
    if parameter is None or parameter[0] in ("", "_") or body is None:
        return False
    launch = channel.launches.setdefault(go.id, _Launch(go, callee_file, callee))
    if launch.function.id != callee.id:
        return False
    for param_ref in semantic.references(callee_file, body, parameter[0]):
        owner = semantic.goroutine_of(param_ref)
        if owner is None or owner.id != callee.id:
            return False
        use = semantic.channel_use(callee_file, param_ref)
        if not _record_in_goroutine(launch, callee_file, param_ref, use, parameter[0]):
            return False
    return True


def _record_in_goroutine(
    launch: _Launch, go_file: GoFile, ref: Node, use: str, spelled: str
) -> bool:
    op = _operation(ref, use)
    if use == semantic.SEND:
        if semantic.is_committed_channel_op(go_file, op, spelled):
            launch.sends.append(op)
        return True
    if use in _RECEIVING:
        if semantic.is_committed_channel_op(go_file, op, spelled):
            launch.receives.append(op)
        return True
    if use == semantic.CLOSE:
        launch.closes.append(op)
        return True
    return use in _HARMLESS


def _operation(ref: Node, use: str) -> Node:
    """The node that performs the operation: the send statement, the `<-ch` expression, the
    `for ... range ch` loop, or the `close(ch)` call."""
    node = ref
    while node.parent is not None and node.parent.type == "parenthesized_expression":
        node = node.parent
    if use in (semantic.SEND, semantic.RECEIVE):
        return node.parent
    if use == semantic.RANGE:
        return node.parent.parent
    if use == semantic.CLOSE:
        return node.parent.parent
    return node


# ---------------------------------------------------------------------------------------------
# Goroutines that send


def _check_senders(
    go_file: GoFile, function: Node, channels: list[_Channel], dead: _DeadCases
) -> Iterator[Finding]:
    """Channels fed by the same goroutine (`respc`, `errc`) are judged together: receiving
    from either one is what that goroutine waits for."""
    senders = [c for c in channels if c.senders() and not c.receivers() and not c.sends]
    completions = [c for c in channels if _is_completion_signal(c)]
    for group in _groups_by_launch(senders):
        finding = _check_sender_group(go_file, function, group, completions, dead)
        if finding is not None:
            yield finding


def _groups_by_launch(channels: list[_Channel]) -> list[list[_Channel]]:
    groups: list[tuple[set[int], list[_Channel]]] = []
    for channel in channels:
        ids = set(channel.launches)
        joined = [g for g in groups if g[0] & ids]
        for g in joined:
            groups.remove(g)
            ids |= g[0]
        members = [c for g in joined for c in g[1]] + [channel]
        groups.append((ids, members))
    return [members for _, members in groups]


def _check_sender_group(
    go_file: GoFile,
    function: Node,
    group: list[_Channel],
    completions: list[_Channel],
    dead: _DeadCases,
) -> Finding | None:
    capacities = [c.capacity for c in group if c.capacity is not None]
    if not capacities or len({_scope_id(c.binding) for c in group}) != 1:
        return None  # buffers sized at run time, or channels made in different scopes
    slack = min(capacities)
    launches: dict[int, _Launch] = {}
    for channel in group:
        for launch in channel.senders():
            launches[launch.go.id] = launch
    owed = [
        (
            launch.go,
            semantic.max_on_a_path(launch.go_file, launch.function, _group_sends(launch, group)),
        )
        for launch in launches.values()
    ]
    events = [event for channel in group for event in channel.receives]
    debts = {go.id: debt for go, debt in owed}
    for signal in completions:
        (launch_id,) = signal.launches
        if launch_id in debts:  # `case <-done:`: that goroutine has made all its sends
            events.extend((op, debts[launch_id]) for op, _ in signal.receives)
    events.extend(_joins(go_file, function, list(launches.values())))
    binding = max((c.binding for c in group), key=lambda b: b.start_byte)
    exits = dead.unbalanced_exits(binding, owed, events, slack)
    if not exits:
        return None
    blocked = min(
        (c for c in group if c.capacity == slack and c.senders()),
        key=lambda c: c.make.start_byte,
    )
    send_file, send = _first(blocked.senders(), lambda x: x.sends)
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


def _is_completion_signal(channel: _Channel) -> bool:
    """A channel that one goroutine closes as its last act (`close(done)` at the end of its
    body, or `defer close(done)`) and F only receives from: once F has received from it, that
    goroutine has finished, so every send it made has been received."""
    if len(channel.launches) != 1 or channel.sends or channel.closes or not channel.receives:
        return False
    (launch,) = channel.launches.values()
    if launch.sends or launch.receives or not launch.closes:
        return False
    body = semantic.statements(launch.function.child_by_field_name("body"))
    for close in launch.closes:
        statement = close.parent
        if statement is None or statement.parent is None:
            return False
        at_top = any(statement.id == s.id for s in body)
        last = bool(body) and body[-1].id == statement.id
        if not at_top or not (statement.type == "defer_statement" or last):
            return False
    return True


def _joins(go_file: GoFile, function: Node, launches: list[_Launch]) -> list[tuple[Node, float]]:
    """`wg.Wait()` in F after every sender deferred `wg.Done()`: past it every sender has
    finished, so every send was received (had one blocked, F would hang there, not leak)."""
    waits = [semantic.joins_of(go_file, function, x.function, x.go) for x in launches]
    if not waits or not all(waits):
        return []  # a sender nobody waits for may still be blocked
    return [(wait, semantic.UNBOUNDED) for joined in waits for wait in joined]


def _scope_id(binding: Node) -> int | None:
    statement = semantic.scope_statement(binding)
    return statement.parent.id if statement is not None and statement.parent else None


def _group_sends(launch: _Launch, group: list[_Channel]) -> list[Node]:
    sends: list[Node] = []
    for channel in group:
        member = channel.launches.get(launch.go.id)
        if member is not None:
            sends.extend(member.sends)
    return sends


# ---------------------------------------------------------------------------------------------
# Goroutines that receive (the mirror case)


def _check_receivers(
    go_file: GoFile, function: Node, channels: list[_Channel], dead: _DeadCases
) -> Iterator[Finding]:
    for channel in channels:
        receivers = channel.receivers()
        if not receivers or channel.senders() or channel.receives:
            continue
        owed = [
            (x.go, semantic.max_on_a_path(x.go_file, x.function, x.receives)) for x in receivers
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
        exits = dead.unbalanced_exits(channel.binding, owed, events, 0)
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
# Select arms that can never fire


class _DeadCases:
    """`semantic.unbalanced_exits` that leaves out F's dead select arms, found only when a
    first walk with every arm reports an exit (most channels balance without them)."""

    def __init__(self, go_file: GoFile, function: Node) -> None:
        self.go_file = go_file
        self.function = function
        self.found: frozenset[int] | None = None

    def unbalanced_exits(
        self,
        binding: Node,
        launches: list[tuple[Node, float]],
        events: list[tuple[Node, float]],
        slack: float,
    ) -> list[semantic.UnbalancedExit]:
        exits = semantic.unbalanced_exits(self.go_file, binding, launches, events, slack)
        if not exits:
            return exits
        if self.found is None:
            self.found = _dead_cases(self.go_file, self.function)
        if not self.found:
            return exits
        return semantic.unbalanced_exits(self.go_file, binding, launches, events, slack, self.found)


def _dead_cases(go_file: GoFile, function: Node) -> frozenset[int]:
    """Select cases of F on a channel F made that nobody serves: a receive from a channel
    nothing sends on or closes, or a send on an unbuffered one nothing receives from. Such an
    arm is never taken (tests park goroutines this way on purpose), so it is no way out."""
    dead: set[int] = set()
    for make in semantic.channel_makes(go_file):
        if semantic.enclosing_function(make) != function:
            continue
        binding = semantic.binding_of(go_file, make)
        if binding.kind != "local" or binding.target is None:
            continue
        local = semantic.local_channel(go_file, binding.target)
        if local is None or len(local.makes) != 1 or local.owner.id != function.id:
            continue
        body = function.child_by_field_name("body")
        uses = [
            (ref, semantic.channel_use(go_file, ref))
            for ref in semantic.references(go_file, body, binding.name)
            if ref.id != binding.target.id
        ]
        kinds = {use for _, use in uses} - {semantic.INSPECT, semantic.LABEL}
        if kinds == {semantic.RECEIVE}:
            wanted = semantic.RECEIVE
        elif kinds == {semantic.SEND} and semantic.channel_capacity(go_file, make) == 0:
            wanted = semantic.SEND
        else:
            continue
        for ref, use in uses:
            case = _select_case(_operation(ref, use)) if use == wanted else None
            if case is not None:
                dead.add(case.id)
    return frozenset(dead)


def _select_case(op: Node) -> Node | None:
    """The select case whose communication `op` (a send or a `<-ch`) is, or None."""
    node = op
    while node.parent is not None and node.parent.type in (
        "receive_statement",
        "expression_list",
        "parenthesized_expression",
    ):
        node = node.parent
    parent = node.parent
    if parent is not None and parent.type == "communication_case":
        communication = parent.child_by_field_name("communication")
        if communication is not None and communication.id == node.id:
            return parent
    return None


# ---------------------------------------------------------------------------------------------
# Messages


def _first(launches: list[_Launch], ops: Callable[[_Launch], list[Node]]) -> tuple[GoFile, Node]:
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
