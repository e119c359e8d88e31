"""Who is on each end of a channel a function makes: the function itself, and the goroutines
it starts with a `go` statement (a literal, or a function of the package it is passed to)."""

from __future__ import annotations

from dataclasses import dataclass, field

from tree_sitter import Node

from linter.semantic.bindings import binding_of
from linter.semantic.channels import (
    UNBOUNDED,
    ChannelUse,
    argument_index,
    callee_declarations,
    channel_capacity,
    channel_makes,
    channel_use,
    is_committed_channel_op,
    local_channel,
    parameter_for_argument,
    select_case_of,
)
from linter.semantic.core import (
    case_statements,
    enclosing_function,
    inside_loop,
    is_inside,
    statements,
    unparenthesized,
)
from linter.semantic.escapes import references
from linter.semantic.facts import file_fact
from linter.semantic.iterations import constant_int
from linter.semantic.joins import finishes_with
from linter.semantic.ownership import Runs, closure_runs, goroutine_of
from linter.source import GoFile, Package


@dataclass(frozen=True)
class Launch:
    """One `go` statement whose goroutine uses the channel, with the committed operations it
    performs on it (an operation in a select that can give up is not committed). `go_file`
    and `function` are where the goroutine's code is: the literal, or the function started."""

    go: Node
    go_file: GoFile
    function: Node
    sends: tuple[Node, ...] = ()
    receives: tuple[Node, ...] = ()
    closes: tuple[Node, ...] = ()


@dataclass(frozen=True)
class Partners:
    """A channel made in a function F and every use of it: F's own operations with their
    weight (1 for a send or receive, UNBOUNDED for a `range` or a `close`), and its launches
    in source order."""

    name: str
    make: Node
    binding: Node
    capacity: float | None
    receives: tuple[tuple[Node, float], ...]
    sends: tuple[tuple[Node, float], ...]
    closes: tuple[tuple[Node, float], ...]
    launches: tuple[Launch, ...]

    @property
    def senders(self) -> list[Launch]:
        return [x for x in self.launches if x.sends and not x.receives]

    @property
    def receivers(self) -> list[Launch]:
        return [x for x in self.launches if x.receives and not x.sends]

    def launch_of(self, go: Node) -> Launch | None:
        return next((x for x in self.launches if x.go.id == go.id), None)

    @property
    def only_launch(self) -> Launch | None:
        """The one goroutine using a channel that F only receives from, started once per
        channel (not a `go` in a loop around a channel made outside it)."""
        if len(self.launches) != 1 or self.sends or self.closes or not self.receives:
            return None
        (launch,) = self.launches
        loop = inside_loop(launch.go)
        if loop is not None and not is_inside(self.make, loop):
            return None  # one `go` per iteration: one value says one of them finished
        return launch

    @property
    def signals_completion(self) -> bool:
        """A channel that one goroutine closes or sends on as its last act (`close(done)` or
        `done <- true` at the end of its body, or `defer close(done)`) and F only receives
        from: once F has received from it, that goroutine has made every other send."""
        launch = self.only_launch
        return (
            launch is not None
            and not launch.receives
            and finishes_with(launch.function, [*launch.sends, *launch.closes])
        )

    @property
    def closed_by_last_act(self) -> bool:
        """A channel its one sending goroutine closes as its last act (`defer
        close(results)`): a receive that finds it closed comes after every send."""
        launch = self.only_launch
        return launch is not None and finishes_with(launch.function, list(launch.closes))


def channel_partners(
    package: Package, go_file: GoFile, function: Node, make: Node
) -> Partners | None:
    """The partners of the channel `make` creates in `function`, when all of them can be seen:

    ```go
    ch := make(chan int)          // bound once, to a local of F
    go func() { ch <- work() }()  // a launch that sends
    go worker(ch)                 // followed into worker's parameter
    v := <-ch                     // F receives
    ```
    None when the channel goes anywhere else (returned, stored, passed to a call that is not
    a `go` statement), when F does not own it, when a goroutine both sends and receives, or
    when no goroutine uses it.
    """
    binding = binding_of(go_file, make)
    if not binding.is_local or binding.target is None:
        return None
    local = local_channel(go_file, binding.target)
    if local is None or len(local.makes) != 1 or local.owner.id != function.id:
        return None
    found = _Found(package, function, binding.name)
    body = function.child_by_field_name("body")
    for ref in references(go_file, body, binding.name):
        if ref.id != binding.target.id and not found.record(go_file, ref):
            return None
    capacity = channel_capacity(go_file, make)
    if capacity is None:
        capacity = _constant_capacity(package, go_file, make)
    launches = tuple(x.freeze(buffered=capacity != 0) for x in found.launches.values())
    if not launches or any(x.sends and x.receives for x in launches):
        return None
    return Partners(
        binding.name,
        make,
        binding.target,
        capacity,
        tuple(found.receives),
        tuple(found.sends),
        tuple(found.closes),
        launches,
    )


@dataclass
class _Launching:
    go: Node
    go_file: GoFile
    function: Node
    sends: list[Node] = field(default_factory=list)
    receives: list[Node] = field(default_factory=list)
    closes: list[Node] = field(default_factory=list)
    offers: list[Node] = field(default_factory=list)  # every send, committed or in a select

    def freeze(self, buffered: bool) -> Launch:
        """The launch's operations; on a buffered channel, a receive that takes back the
        goroutine's own token (see `takes_back_own_token`) is not waiting on anyone."""
        receives = [
            r
            for r in self.receives
            if not (buffered and takes_back_own_token(self.go_file, self.function, r, self.offers))
        ]
        parts = (tuple(self.sends), tuple(receives), tuple(self.closes))
        return Launch(self.go, self.go_file, self.function, *parts)

    def record(self, go_file: GoFile, ref: Node, use: ChannelUse, spelled: str) -> bool:
        """File one use in the goroutine; False when it lets the channel go elsewhere."""
        op = operation_of(ref, use)
        if use is ChannelUse.SEND:
            self.offers.append(op)
            if is_committed_channel_op(go_file, op, spelled):
                self.sends.append(op)
            return True
        if use.is_receiving:
            if is_committed_channel_op(go_file, op, spelled):
                self.receives.append(op)
            return True
        if use is ChannelUse.CLOSE:
            self.closes.append(op)
            return True
        return use.is_harmless


class _Found:
    """The uses of one channel found so far, filed under F or under a launch."""

    def __init__(self, package: Package, function: Node, name: str) -> None:
        self.package = package
        self.function = function
        self.name = name
        self.receives: list[tuple[Node, float]] = []
        self.sends: list[tuple[Node, float]] = []
        self.closes: list[tuple[Node, float]] = []
        self.launches: dict[int, _Launching] = {}

    def record(self, go_file: GoFile, ref: Node) -> bool:
        """File one use under F or under the goroutine performing it; False when the use lets
        the channel go somewhere we cannot follow."""
        owner = goroutine_of(ref)
        use = channel_use(go_file, ref)
        if owner is None:
            return False
        if owner.id == self.function.id:
            return self.record_own(go_file, ref, use)
        if closure_runs(owner) is Runs.GOROUTINE:
            starter = goroutine_of(owner)
            if starter is None or starter.id != self.function.id:
                return False
            go = owner.parent.parent
            launch = self.launches.setdefault(go.id, _Launching(go, go_file, owner))
            return launch.record(go_file, ref, use, self.name)
        return False

    def record_own(self, go_file: GoFile, ref: Node, use: ChannelUse) -> bool:
        if use is ChannelUse.ARGUMENT:
            return self.record_go_call(go_file, ref)
        op = operation_of(ref, use)
        if use is ChannelUse.RECEIVE:
            self.receives.append((op, 1))
        elif use is ChannelUse.RANGE:
            self.receives.append((ref, UNBOUNDED))
        elif use is ChannelUse.SEND:
            self.sends.append((op, 1))
        elif use is ChannelUse.CLOSE:
            self.closes.append((op, UNBOUNDED))
        return use.is_receiving or use.is_harmless or use in _OPERATIONS

    def record_go_call(self, go_file: GoFile, ref: Node) -> bool:
        """`go worker(ch)`: follow the channel into `worker`'s parameter, in whichever file."""
        located = argument_index(ref)
        go = located[0].parent if located is not None else None
        if go is None or go.type != "go_statement":
            return False
        call, index = located
        declarations = callee_declarations(self.package, go_file, call)
        if len(declarations) != 1:
            return False
        callee_file, callee = declarations[0]
        parameter = parameter_for_argument(callee_file, callee, index)
        body = callee.child_by_field_name("body")
        if parameter is None or parameter[0] in ("", "_") or body is None:
            return False
        launch = self.launches.setdefault(go.id, _Launching(go, callee_file, callee))
        if launch.function.id != callee.id:
            return False
        for param_ref in references(callee_file, body, parameter[0]):
            owner = goroutine_of(param_ref)
            if owner is None or owner.id != callee.id:
                return False
            use = channel_use(callee_file, param_ref)
            if not launch.record(callee_file, param_ref, use, parameter[0]):
                return False
        return True


_OPERATIONS = (ChannelUse.SEND, ChannelUse.CLOSE)


def takes_back_own_token(go_file: GoFile, function: Node, receive: Node, sends: list[Node]) -> bool:
    """Does the goroutine running `function` receive at `receive` only after putting a value
    into the same buffered channel itself: a counting semaphore's release?

    ```go
    select {
    case sem <- struct{}{}:      // the token goes in (or the goroutine returns)
    case <-ctx.Done():
            return
    }
    defer func() { <-sem }()     // and comes back out: never waits on anyone
    ```

    The send must be one of the body's own statements before the one holding the receive (a
    bare send, or a select whose other cases all return), so every path to the receive
    passed it.
    """
    body = function.child_by_field_name("body")
    until = _top_statement(body, receive)
    if until is None:
        return False
    for send in sends:
        statement = _top_statement(body, send)
        if statement is None or statement.start_byte >= until.start_byte:
            continue
        if statement.type == "send_statement" or (
            statement.type == "select_statement" and _other_cases_return(statement, send)
        ):
            return True
    return False


def _top_statement(body: Node | None, node: Node) -> Node | None:
    """The statement of `body` itself that holds `node`."""
    own = {stmt.id: stmt for stmt in statements(body)}
    current = node
    while current is not None and current.id not in own:
        current = current.parent
    return current


def _other_cases_return(select: Node, send: Node) -> bool:
    """Every case of the select but the one sending `send` ends with a return."""
    cases = [c for c in select.named_children if c.type in ("communication_case", "default_case")]
    others = [c for c in cases if not c.start_byte <= send.start_byte < c.end_byte]
    return len(others) < len(cases) and all(_ends_with_return(c) for c in others)


def _ends_with_return(case: Node) -> bool:
    body = case_statements(case)
    return bool(body) and body[-1].type == "return_statement"


def operation_of(ref: Node, use: ChannelUse) -> Node:
    """The node that performs the operation `ref` takes part in: the send statement, the
    `<-ch` expression, the `for ... range ch` loop, or the `close(ch)` call."""
    node = unparenthesized(ref)
    if use in (ChannelUse.SEND, ChannelUse.RECEIVE):
        return node.parent
    if use in (ChannelUse.RANGE, ChannelUse.CLOSE):
        return node.parent.parent
    return node


@file_fact
def dead_select_cases(go_file: GoFile, function: Node) -> frozenset[int]:
    """Select cases of `function` on a channel it made that nobody serves: a receive from a
    channel nothing sends on or closes, or a send on an unbuffered one nothing receives
    from. Such an arm is never taken (tests park goroutines this way on purpose), so it is
    no way out."""
    dead: set[int] = set()
    for make in channel_makes(go_file):
        if enclosing_function(make) != function:
            continue
        binding = binding_of(go_file, make)
        if not binding.is_local or binding.target is None:
            continue
        local = local_channel(go_file, binding.target)
        if local is None or len(local.makes) != 1 or local.owner.id != function.id:
            continue
        body = function.child_by_field_name("body")
        uses = [
            (ref, channel_use(go_file, ref))
            for ref in references(go_file, body, binding.name)
            if ref.id != binding.target.id
        ]
        kinds = {use for _, use in uses if not use.is_harmless}
        if kinds == {ChannelUse.RECEIVE}:
            wanted = ChannelUse.RECEIVE
        elif kinds == {ChannelUse.SEND} and channel_capacity(go_file, make) == 0:
            wanted = ChannelUse.SEND
        else:
            continue
        for ref, use in uses:
            case = select_case_of(operation_of(ref, use)) if use is wanted else None
            if case is not None:
                dead.add(case.id)
    return frozenset(dead)


def _constant_capacity(package: Package, go_file: GoFile, make: Node) -> int | None:
    """`make(chan T, queueSize)` with `const queueSize = 6`: a buffer the code fixes, which
    can be compared with the sends as a literal would (`len(jobs)` is not: it stays None)."""
    arguments = make.child_by_field_name("arguments")
    values = [a for a in arguments.named_children if a.type != "comment"] if arguments else []
    return constant_int(package, go_file, values[1]) if len(values) == 2 else None
