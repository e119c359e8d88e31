"""Who serves a channel: may anything in the package send on it, receive from it, close it?

A send waits for a receiver and a receive for a sender or a close. When a channel this
package makes is never received from anywhere in the package (nor handed to code that could
receive), a send on it can only complete into its buffer; when nothing sends on it or closes
it, a receive never completes. The uses of the channel are read across the package:

```go
s.results <- r                    // SEND
<-s.done                          // RECEIVE (a range or a select case too)
close(s.done)                     // CLOSE
wait(s.done)                      // what the package function wait does with it (summaries)
quit := s.quit; <-quit            // a local alias: its uses are the channel's
func (s *S) Done() <-chan struct{} { return s.done }  // RECEIVE: holders can only receive
consumer.Take(s.results)          // out of sight: it may do anything
```

When unsure (the channel escapes, is passed out of sight, is rebound to something that is
not a `make(chan ...)`) every operation is taken as possible, so nothing is claimed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from tree_sitter import Node

from linter.semantic.channels import (
    ChannelUse,
    PackageChannel,
    _keyed_fields,
    assigned_value,
    channel_make,
    channel_use,
    is_receive_only_channel_type,
    select_case_of,
    select_of,
)
from linter.semantic.core import (
    FUNCTION_TYPES,
    enclosing_function,
    inside_loop,
    nodes_at_matches,
    unparenthesized,
    unparenthesized_inner,
)
from linter.semantic.escapes import references
from linter.semantic.iterations import constant_int
from linter.semantic.paths import loop_label
from linter.semantic.summaries import argument_use, callee_functions
from linter.source import GoFile, Package


@dataclass(frozen=True)
class Service:
    """Which operations on a channel may happen somewhere in the package."""

    sends: bool = False
    receives: bool = False
    closes: bool = False

    def with_operation(self, operation: ChannelUse) -> Service:
        return Service(
            self.sends or operation == ChannelUse.SEND,
            self.receives or operation in (ChannelUse.RECEIVE, ChannelUse.RANGE),
            self.closes or operation == ChannelUse.CLOSE,
        )

    def merged(self, other: Service) -> Service:
        return Service(
            self.sends or other.sends,
            self.receives or other.receives,
            self.closes or other.closes,
        )

    @property
    def ends_receives(self) -> bool:
        """A receive on it can complete: something sends or closes."""
        return self.sends or self.closes


ANYTHING = Service(True, True, True)


def channel_service(package: Package, uses: Iterable[tuple[GoFile, Node]]) -> Service:
    """The operations the given uses of one channel may perform, through package calls and
    local aliases (see the module docstring); ANYTHING as soon as one use is out of sight."""
    service = Service()
    for go_file, ref in uses:
        service = service.merged(_use_service(package, go_file, ref))
        if service == ANYTHING:
            break
    return service


def _use_service(package: Package, go_file: GoFile, ref: Node) -> Service:
    use = channel_use(go_file, ref)
    if use in (ChannelUse.SEND, ChannelUse.RECEIVE, ChannelUse.RANGE, ChannelUse.CLOSE):
        return Service().with_operation(use)
    if use == ChannelUse.BIND:
        plain, value = assigned_value(go_file, ref)
        if plain and (value is None or channel_make(go_file, value) or _is_nil(go_file, value)):
            return Service()
        return ANYTHING
    if use == ChannelUse.ARGUMENT:
        passed = argument_use(package, go_file, ref)
        if passed is None or passed.kept:
            return ANYTHING
        service = Service()
        for operation in passed.channel:
            service = service.with_operation(operation)
        return service
    if use == ChannelUse.ESCAPE:
        return _escape_service(package, go_file, ref)
    return Service()


def _escape_service(package: Package, go_file: GoFile, ref: Node) -> Service:
    """`return s.done` from a `<-chan T` getter: its callers can only receive. `quit :=
    s.quit` (a local bound once): the alias's own uses. Anything else: ANYTHING."""
    node = unparenthesized(ref)
    holder = node.parent
    statement = holder.parent if holder is not None and holder.type == "expression_list" else holder
    if statement is not None and statement.type == "return_statement":
        return Service(receives=True) if _returns_receive_only(go_file, statement) else ANYTHING
    alias = _local_alias(go_file, node)
    if alias is None:
        return ANYTHING
    function, name = alias
    refs = references(go_file, function.child_by_field_name("body"), name)
    if sum(1 for r in refs if channel_use(go_file, r) == ChannelUse.BIND) != 1:
        return ANYTHING  # rebound later: not all of its uses are this channel's
    return channel_service(package, [(go_file, r) for r in refs if r.start_byte > node.end_byte])


def _returns_receive_only(go_file: GoFile, statement: Node) -> bool:
    """The single result of the function returning here is declared `<-chan T`."""
    function = enclosing_function(statement)
    result = function.child_by_field_name("result") if function is not None else None
    if result is not None and result.type == "parameter_list":
        declarations = result.named_children
        result = declarations[0].child_by_field_name("type") if len(declarations) == 1 else None
    return is_receive_only_channel_type(go_file, result)


def _local_alias(go_file: GoFile, node: Node) -> tuple[Node, str] | None:
    """(function, name) for `name := <node>` or `var name = <node>` declaring one local."""
    values = node.parent
    statement = values.parent if values is not None else None
    if values is None or values.type != "expression_list" or statement is None:
        return None
    if statement.type == "short_var_declaration":
        left = statement.child_by_field_name("left")
        targets = left.named_children if left is not None else []
    elif statement.type == "var_spec":
        targets = statement.children_by_field_name("name")
    else:
        return None
    function = enclosing_function(statement)
    if function is None or len(targets) != 1 or len(values.named_children) != 1:
        return None
    if targets[0].type != "identifier" or go_file.text(targets[0]) == "_":
        return None
    return function, go_file.text(targets[0])


def _is_nil(go_file: GoFile, value: Node) -> bool:
    return go_file.text(value) == "nil"


# ---------------------------------------------------------------------------------------------
# Serving loops that stop


@dataclass(frozen=True, eq=False)
class ServerStop:
    """A loop serving a channel that can stop: the `for { select { ... } }` receiving from
    it, the function it runs in, and the select case (on another channel) that leaves it."""

    go_file: GoFile
    function: Node
    loop: Node
    leave: Node


def server_stops(package: Package, uses: Iterable[tuple[GoFile, Node]]) -> list[ServerStop]:
    """When every receive among the uses of one channel is a case of a `select` in a `for`
    loop that another case can leave (`case <-s.quit: return`), each loop's way out; empty
    when some receive waits elsewhere (a bare receive, a range) or a loop never stops:

    ```go
    func (n *node) run() {
            for {
                    select {
                    case c := <-n.status:   // the receive
                            c <- n.snapshot()
                    case <-n.stop:          // the case that leaves: after it, sends on
                            close(n.done)   // n.status have no receiver left
                            return
                    }
            }
    }
    ```
    """
    stops = []
    for go_file, ref in uses:
        use = channel_use(go_file, ref)
        if use == ChannelUse.RANGE:
            return []
        if use != ChannelUse.RECEIVE:
            continue
        stop = _stop_of(go_file, ref)
        if stop is None:
            return []
        stops.append(stop)
    return stops


def _stop_of(go_file: GoFile, ref: Node) -> ServerStop | None:
    select = select_of(unparenthesized(ref).parent)
    function = enclosing_function(ref)
    loop = inside_loop(select, function) if select is not None else None
    if select is None or function is None or loop is None:
        return None
    case = select_case_of(unparenthesized(ref).parent)
    for other in select.named_children:
        if other.type != "communication_case" or (case is not None and other.id == case.id):
            continue
        if _leaves(go_file, other, loop):
            return ServerStop(go_file, function, loop, other)
    return None


def _leaves(go_file: GoFile, case: Node, loop: Node) -> bool:
    """The case returns, or breaks or jumps out of `loop` by its label."""
    label = loop_label(go_file, loop)
    stack = list(case.named_children)
    while stack:
        node = stack.pop()
        if node.type == "return_statement":
            return True
        if node.type in ("break_statement", "goto_statement") and label is not None:
            target = node.named_children[0] if node.named_children else None
            if target is not None and go_file.text(target) == label:
                return True
        if node.type not in FUNCTION_TYPES:
            stack.extend(node.named_children)
    return False


def guarded_elsewhere(package: Package, stops: list[ServerStop]) -> tuple[GoFile, Node] | None:
    """A `select` outside the serving functions that sends while watching a channel those
    functions close to announce they stopped (`select { case n.stop <- x: case <-n.done:
    }` where the loop's function closes n.done): the package's own proof that a send once
    the server has stopped must be guarded. A loop that only hands over to another (a
    state machine's next state) closes nothing, and proves nothing."""
    servers = {stop.function.id for stop in stops}
    watched = set()
    for stop in stops:
        watched |= _fields_closed(stop.go_file, stop.function)
    for go_file in package.files:
        if b"select" not in go_file.data:
            continue
        for select in nodes_at_matches(go_file, _SELECT, "select_statement", depth=1):
            function = enclosing_function(select)
            if function is None or function.id in servers:
                continue
            cases = [c for c in select.named_children if c.type == "communication_case"]
            sends = [c for c in cases if _communication(c).type == "send_statement"]
            watches = [c for c in cases if _fields_in(go_file, _communication(c)) & watched]
            if sends and any(c not in sends for c in watches):
                return go_file, select
    return None


_SELECT = re.compile(rb"select\s*\{")


def _communication(case: Node) -> Node:
    return case.child_by_field_name("communication") or case


def _fields_in(go_file: GoFile, communication: Node | None) -> set[str]:
    """`x.done` in `<-x.done` (or `v := <-x.done`): the field names received from."""
    if communication is None or communication.type == "send_statement":
        return set()
    found = set()
    stack = [communication]
    while stack:
        node = stack.pop()
        if node.type == "unary_expression" and node.children and node.children[0].type == "<-":
            operand = node.child_by_field_name("operand")
            operand = unparenthesized_inner(operand) if operand is not None else None
            if operand is not None and operand.type == "selector_expression":
                found.add(go_file.text(operand.child_by_field_name("field")))
        stack.extend(node.named_children)
    return found


def _fields_closed(go_file: GoFile, function: Node) -> set[str]:
    """`close(x.done)` anywhere in the function (deferred ones too)."""
    found = set()
    stack = [function.child_by_field_name("body")]
    while stack:
        node = stack.pop()
        if node is None:
            continue
        if (
            node.type == "call_expression"
            and go_file.text(node.child_by_field_name("function")) == "close"
        ):
            arguments = node.child_by_field_name("arguments")
            first = arguments.named_children[0] if arguments and arguments.named_children else None
            if first is not None and first.type == "selector_expression":
                found.add(go_file.text(first.child_by_field_name("field")))
        stack.extend(node.named_children)
    return found


# ---------------------------------------------------------------------------------------------
# Buffers that hold every send


def sends_fit_buffer(package: Package, shared: PackageChannel) -> bool:
    """Does every send the package makes on a shared channel land in its buffer, so none can
    block even with nobody receiving?

    ```go
    s := &syncer{result: make(chan error, 1)}   // one slot per syncer
    func (s *syncer) pump() { ...; s.result <- nil }   // pump's only call: `go s.pump()`
    ```
    True when every `make` of it has a constant buffer, the package sends on it at most
    that many times in its text, each send outside a loop in a function called once, from
    outside a loop (so at most once per call of the function that calls it: counted one
    call deep, like the sends). A write-only slot is dead code, not a leak. A send in a
    loop, in a function called twice or from a loop, or on a buffer sized at run time
    (`make(chan T, n)`) may still fill it.
    """
    capacities = _buffers(package, shared)
    sends = [(f, ref) for f, ref in shared.uses if channel_use(f, ref) == ChannelUse.SEND]
    if not capacities or None in capacities or not sends:
        return False
    if len(sends) > min(c for c in capacities if c is not None):
        return False
    return all(_sends_once(package, f, ref) for f, ref in sends)


def _buffers(package: Package, shared: PackageChannel) -> list[int | None]:
    """The constant buffer of each `make(chan ...)` the channel is set to (None if sized at
    run time): by assignment, or in a composite literal for a field."""
    makes = []
    for go_file, ref in shared.uses:
        if channel_use(go_file, ref) is ChannelUse.BIND:
            _, value = assigned_value(go_file, ref)
            made = channel_make(go_file, value)
            if made is not None:
                makes.append((go_file, made))
    for go_file in package.files if shared.is_field else []:
        for key, value in _keyed_fields(go_file):
            made = channel_make(go_file, value) if go_file.text(key) == shared.name else None
            if made is not None:
                makes.append((go_file, made))
    return [_buffer(package, go_file, made) for go_file, made in makes]


def _buffer(package: Package, go_file: GoFile, make: Node) -> int | None:
    arguments = make.child_by_field_name("arguments")
    values = [a for a in arguments.named_children if a.type != "comment"] if arguments else []
    return constant_int(package, go_file, values[1]) if len(values) >= 2 else 0


def _sends_once(package: Package, go_file: GoFile, ref: Node) -> bool:
    """The send runs at most once per call of a function the package calls once."""
    function = enclosing_function(ref)
    if function is None or inside_loop(ref, function) is not None:
        return False
    if function.type not in ("function_declaration", "method_declaration"):
        return False
    name = function.child_by_field_name("name")
    if name is None or name.text[:1].isupper():
        return False  # other packages may call it any number of times
    calls = _calls_of(package, function)
    return len(calls) == 1 and all(inside_loop(c, enclosing_function(c)) is None for _, c in calls)


def _calls_of(package: Package, function: Node) -> list[tuple[GoFile, Node]]:
    """Every call in the package that runs `function` (a declaration), found by its name."""
    name = function.child_by_field_name("name")
    spelled = name.text if name is not None else b""
    pattern = re.compile(re.escape(spelled) + rb"\s*\(")
    calls = []
    for go_file in package.files:
        if spelled not in go_file.data:
            continue
        for call in nodes_at_matches(go_file, pattern, "call_expression", 0, 2):
            if any(
                callee.id == function.id for _, callee in callee_functions(package, go_file, call)
            ):
                calls.append((go_file, call))
    return calls
