"""## What it does
Flags a channel operation that nothing in the package can ever complete: a send on a channel
that nothing receives from, or a receive from a channel that nothing sends on or closes.
The channel must be one this package makes and can see all of: an unexported struct field
or package variable only ever set to a `make(chan ...)` here, or a local `make(chan ...)`.
Its uses are read across every file of the package, including through the package's own
functions it is passed to (`go watch(done)` where `watch` never touches `done`), local
aliases (`quit := s.quit`), and getters that hand it out receive-only (`func (s *S) Done()
<-chan struct{} { return s.done }`: their callers can only receive, so a receive through
`<-s.Done()` still waits for a send or close nobody makes).

Not flagged: sends that all fit the buffer (a `make(chan T, 1)` result slot sent into once,
outside a loop, by an unexported function the package calls once: dead code, not a leak);
an operation in a `select` that can take another way out (a `default`, a
`ctx.Done()` or timer case), a range (GLK201's business), a channel passed to code we cannot
see (another package, a function value), returned or stored anywhere else (someone else may
serve it), receives in a goroutine started next to a local channel (GLK202 judges those),
and `main`, which may block forever by design.

## Why is this bad
A send with no receiver, or a receive with no sender and no close, parks its goroutine
forever (`chan send` / `chan receive` in a dump), with its stack and everything it holds.
A buffered channel only delays it: once the buffer is full, every further send blocks. The
usual cause is a refactoring that removed the only reader (`results` kept for a consumer
that is gone) or a signal channel that the shutdown path forgot to close.

## Example
```go
type watcher struct {
        events chan Event
        done   chan struct{}
}

func (w *watcher) emit(e Event) {
        w.events <- e // nothing in the package receives from events
}

func (w *watcher) wait() {
        <-w.done // nothing sends on or closes done
}
```

## Use instead
```go
func (w *watcher) Events() <-chan Event { return w.events } // a consumer reads them

func (w *watcher) stop() {
        close(w.done) // every waiter wakes up
}
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tree_sitter import Node

from linter import semantic
from linter.findings import Finding, Related
from linter.reporting import related, report
from linter.source import GoFile, Package

code = "GLK204"
name = "unserved-channel"
summary = "send or receive on a channel that nothing in the package serves"
level = "warning"
precision = "medium"
tags = ("goroutine-leak", "channel")
default = False


def check(package: Package) -> Iterator[Finding]:
    if not semantic.package_mentions_channels(package):
        return
    for name_ in sorted(semantic.package_channel_field_names(package)):
        shared = semantic.package_channel_field(package, name_)
        if shared is not None:
            yield from _check_shared(package, shared)
    for name_ in sorted(semantic.package_channel_global_names(package)):
        shared = semantic.package_channel_global(package, name_)
        if shared is not None:
            yield from _check_shared(package, shared)
    for go_file in package.files:
        for make in semantic.channel_makes(go_file):
            yield from _check_local(package, go_file, make)


# ---------------------------------------------------------------------------------------------
# Fields and package variables


def _check_shared(package: Package, shared: semantic.PackageChannel) -> Iterator[Finding]:
    service = semantic.channel_service(package, shared.uses)
    if service == semantic.ANYTHING:
        return
    if service.receives:
        yield from _sends_after_server_stops(package, shared)
    described = _describe(package, shared)
    unserved_sends = not service.receives and not semantic.sends_fit_buffer(package, shared)
    for go_file, ref in shared.uses:
        use = semantic.channel_use(go_file, ref)
        finding = None
        if use == semantic.ChannelUse.SEND and unserved_sends:
            finding = _committed(go_file, ref.parent, ref, _send_message(go_file, ref, described))
        elif use == semantic.ChannelUse.RECEIVE and not service.ends_receives:
            finding = _blocked_receive(go_file, ref.parent, ref, described)
        elif use == semantic.ChannelUse.ESCAPE and not service.ends_receives:
            yield from _receives_through_getter(package, go_file, ref, described)
        if finding is not None:
            yield finding


def _receives_through_getter(
    package: Package, go_file: GoFile, ref: Node, described: str
) -> Iterator[Finding]:
    """`return s.done` in a `<-chan` getter: each `<-x.Done()` of the package waits on it."""
    getter = semantic.enclosing_function(ref)
    if getter is None or getter.type != "method_declaration":
        return
    if not _only_returns(go_file, getter, ref):
        return  # the getter may hand out another channel too
    method = go_file.text(getter.child_by_field_name("name"))
    pattern = re.compile(rb"\.\s*(" + re.escape(method.encode()) + rb")\s*\(")
    for caller_file in package.files:
        if method.encode() not in caller_file.data:
            continue
        for call in semantic.nodes_at_matches(caller_file, pattern, "call_expression", 1):
            callees = semantic.callee_functions(package, caller_file, call)
            if not callees or any(c.id != getter.id for _, c in callees):
                continue
            holder = semantic.unparenthesized(call).parent
            if (
                holder is not None
                and semantic.channel_use(caller_file, call) == semantic.ChannelUse.RECEIVE
            ):
                finding = _blocked_receive(caller_file, holder, call, described)
                if finding is not None:
                    yield finding


def _sends_after_server_stops(
    package: Package, shared: semantic.PackageChannel
) -> Iterator[Finding]:
    """Bare sends to a serving loop that can stop, while the package guards other sends to
    it with a select on its stop or done channel."""
    stops = semantic.server_stops(package, shared.uses)
    guard = semantic.guarded_elsewhere(package, stops) if stops else None
    if guard is None:
        return
    servers = {stop.function.id for stop in stops}
    stop = stops[0]
    for go_file, ref in shared.uses:
        if semantic.channel_use(go_file, ref) != semantic.ChannelUse.SEND:
            continue
        sender = semantic.enclosing_function(ref)
        if sender is None or sender.id in servers:
            continue  # the server sending to itself
        if go_file.is_test:
            continue  # a test pokes a server it keeps running for the whole test
        finding = _committed(
            go_file,
            ref.parent,
            ref,
            f"send on {go_file.text(ref)} blocks forever once the loop receiving it has "
            f"stopped (line {stop.leave.start_point[0] + 1}); select on the same stop or "
            f"done channel here, as line {guard[1].start_point[0] + 1} does",
            [
                related(stop.go_file, stop.leave, "this case ends the loop that receives it"),
                related(guard[0], guard[1], "this send watches for the loop to stop"),
            ],
        )
        if finding is not None:
            yield finding


def _only_returns(go_file: GoFile, getter: Node, ref: Node) -> bool:
    """Every return of the getter gives this field or nil (`if s == nil { return nil }`)."""
    returns = semantic.own_returns(getter)
    values = [go_file.text(r).removeprefix("return").strip() for r in returns]
    field = ref.child_by_field_name("field")
    return (
        any(semantic.is_inside(ref, r) for r in returns)
        and field is not None
        and all(v == "nil" or v.endswith(f".{go_file.text(field)}") for v in values)
    )


def _describe(package: Package, shared: semantic.PackageChannel) -> str:
    if shared.is_field:
        return f"any .{shared.name} field"
    return f"the package variable {shared.name}"


# ---------------------------------------------------------------------------------------------
# Local channels


def _check_local(package: Package, go_file: GoFile, make: Node) -> Iterator[Finding]:
    binding = semantic.binding_of(go_file, make)
    if not binding.is_local or binding.target is None:
        return
    local = semantic.local_channel(go_file, binding.target)
    if local is None or len(local.makes) != 1 or _is_main(package, go_file, local.owner):
        return
    body = local.owner.child_by_field_name("body")
    uses = [(go_file, r) for r in semantic.references(go_file, body, local.name)]
    service = semantic.channel_service(package, uses)
    if service.ends_receives:
        return
    described = f"the channel made at line {make.start_point[0] + 1}"
    for _, ref in uses:
        if semantic.channel_use(go_file, ref) != semantic.ChannelUse.RECEIVE:
            continue
        if semantic.goroutine_of(ref) != local.owner:
            continue  # a goroutine's receive: GLK202 weighs it against the starter's exits
        finding = _blocked_receive(go_file, ref.parent, ref, described)
        if finding is not None:
            yield finding


def _is_main(package: Package, go_file: GoFile, function: Node) -> bool:
    """`main` may park itself on purpose (`<-make(chan struct{})` after starting servers)."""
    top = semantic.top_level_function(function) or function
    return package.name == "main" and semantic.function_name(go_file, top) == "main"


# ---------------------------------------------------------------------------------------------
# Messages


def _committed(
    go_file: GoFile,
    op: Node,
    channel: Node,
    message: str,
    where: list[Related] | None = None,
) -> Finding | None:
    """The finding, when the operation cannot give up (outside a select with other ways)."""
    if not semantic.is_committed_channel_op(go_file, op, go_file.text(channel)):
        return None  # `select` with a default, a ctx.Done() or timer case: it can leave
    return report(go_file, op, message, where or [])


def _blocked_receive(go_file: GoFile, op: Node, channel: Node, described: str) -> Finding | None:
    text = go_file.text(channel)
    return _committed(
        go_file,
        op,
        channel,
        f"receive from {text} blocks forever: nothing in this package sends on or closes "
        f"{described}; close it when what it waits for is over",
    )


def _send_message(go_file: GoFile, channel: Node, described: str) -> str:
    return (
        f"send on {go_file.text(channel)} blocks forever (once its buffer is full): nothing in "
        f"this package receives from {described}; receive from it, or stop sending"
    )
