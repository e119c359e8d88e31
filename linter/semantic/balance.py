"""Balance: does every path out of F match what its goroutines wait for?

The paths are those of F's control-flow graph (`semantic.cfg`), from the statement that
binds the channel to each way out of the block it is declared in.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterable
from dataclasses import dataclass

from tree_sitter import Node

from linter.semantic.blocks import (
    Loop,
    block_inside,
    case_part,
    loop_header,
    loops,
    reverse_postorder,
    weighed_nodes,
)
from linter.semantic.cfg import Block, BlockKind, Graph, closing_brace
from linter.semantic.channels import UNBOUNDED
from linter.semantic.core import (
    _CASE_TYPES,
    FUNCTION_TYPES,
    enclosing_function,
    inside_loop,
    is_inside,
    nodes_at_matches,
)
from linter.semantic.exits import ExitKind
from linter.semantic.facts import file_fact
from linter.semantic.flow import function_graph
from linter.semantic.iterations import constant_iterations
from linter.semantic.partners import dead_select_cases
from linter.source import GoFile, Package, captures, query

_GO_STATEMENTS = query("(go_statement) @go")

_GO_KEYWORD_BYTES = re.compile(rb"go\b")

_UNROLL_LIMIT = 16

_JUMPS = {
    "break_statement": ExitKind.BREAK,
    "continue_statement": ExitKind.CONTINUE,
    "goto_statement": ExitKind.GOTO,
}


@dataclass(frozen=True)
class Balance:
    """One path's account: how many values goroutines still wait to hand over or to get
    (`owed`), how many the function matched (`matched`), and the `break` that left a
    matching loop early, if that is why the account is short."""

    owed: float
    matched: float
    witness: Node | None = None


@dataclass(frozen=True)
class UnbalancedExit:
    """A way out of the channel's scope on which `owed - slack > matched`."""

    node: Node
    kind: ExitKind
    balance: Balance

    @property
    def how(self) -> str:
        return self.kind.words


def _worst(states: Iterable[Balance]) -> list[Balance]:
    """The accounts no other one is at least as bad as (owes as much and matched as little).
    Of equal accounts the one kept has no witness, or the first `break` in the source: what
    paths merge in must not decide which break a message names."""
    kept: list[Balance] = []
    for state in states:
        if any(
            k.owed >= state.owed
            and k.matched <= state.matched
            and not (k.owed == state.owed and k.matched == state.matched and _before(state, k))
            for k in kept
        ):
            continue
        kept = [k for k in kept if not (state.owed >= k.owed and state.matched <= k.matched)]
        kept.append(state)
    return kept


def _before(state: Balance, other: Balance) -> bool:
    if state.witness is None or other.witness is None:
        return state.witness is None and other.witness is not None
    return state.witness.start_byte < other.witness.start_byte


def _add(states: list[Balance], owed: float = 0, matched: float = 0) -> list[Balance]:
    if not owed and not matched:
        return states
    return [Balance(s.owed + owed, s.matched + matched, s.witness) for s in states]


# A path leaving a walked region: the block it goes to, the jump that took it there (None
# when it ran off the end), and its accounts.
_Out = tuple[Block, Node | None, list[Balance]]


class _BalanceWalk:
    """Carries the worst accounts along the graph's paths from the channel's binding.

    A launch (a `go` statement) adds what that goroutine owes; an event (a receive, a send, a
    close by the function) adds to what is matched. Paths that meet are merged, keeping the
    worst accounts. A loop's body is walked once (a loop of a few known iterations that
    starts goroutines, once per iteration): a loop that matches on each iteration (`for range
    ch`, `for i := 0; i < n; i++ { <-ch }`) matches everything by its natural end, but an
    exit or `break` inside it does not; a loop that launches goroutines owes without bound.
    A cycle made by `goto` owes without bound when it launches. A call that ends the
    goroutine ends a path without leaking.
    """

    def __init__(
        self,
        package: Package,
        go_file: GoFile,
        graph: Graph,
        container: Node,
        launches: list[tuple[Node, float]],
        events: list[tuple[Node, float]],
        dead_cases: frozenset[int],
        settled: frozenset[int],
    ) -> None:
        self.package = package
        self.go_file = go_file
        self.graph = graph
        self.container = container
        self.scope_end = _scope_end(container)
        self.dead_cases = dead_cases
        self.settled = settled
        self.launches = {node.id: owed for node, owed in launches if owed}
        self.launch_ranges = [(n.start_byte, n.end_byte) for n, owed in launches if owed]
        self.events = [(n.start_byte, n.end_byte, w) for n, w in events]
        self.loops = loops(graph)
        self.order = reverse_postorder(graph)
        self.headers = [
            (part.start_byte, part.end_byte)
            for loop in self.loops.values()
            for part in loop_header(loop.stmt)
        ]
        self.exits: list[tuple[Node, ExitKind, list[Balance]]] = []
        self.walking: list[tuple[Loop, bool]] = []  # loops whose body is being walked

    # -- weights ---------------------------------------------------------------------------

    def weight(self, node: Node | None) -> float:
        if node is None:
            return 0
        total = 0.0
        for start, end, weight in self.events:
            if node.start_byte <= start and end <= node.end_byte:
                total += weight
        return total

    def has_event(self, node: Node) -> bool:
        return any(node.start_byte <= s and e <= node.end_byte for s, e, _ in self.events)

    def has_launch(self, node: Node) -> bool:
        return any(
            node.start_byte <= start and end <= node.end_byte for start, end in self.launch_ranges
        )

    def deferred_weight(self, stmt: Node) -> float:
        """Events in a deferred call run at every exit after it; in a loop, without bound."""
        total = 0.0
        for start, end, weight in self.events:
            if stmt.start_byte <= start and end <= stmt.end_byte:
                node = stmt.descendant_for_byte_range(start, end)
                looped = node is not None and inside_loop(node, stmt) is not None
                total += UNBOUNDED if looped else weight
        return total

    def inloop_header(self, node: Node) -> bool:
        """Part of a loop's header, which a loop counts once on entering (see `loop`)."""
        return any(s <= node.start_byte and node.end_byte <= e for s, e in self.headers)

    # -- blocks ----------------------------------------------------------------------------

    def through(self, block: Block, start: int, states: list[Balance]) -> list[Balance]:
        """The accounts at the end of `block` entered at node `start`; [] when the path ends
        in it (an exit, recorded, or a call that ends the goroutine)."""
        if start == 0:
            states = _add(states, matched=self.weight(case_part(block)))
        nodes, goes_on = weighed_nodes(self.go_file, block, start)
        for node in nodes:
            if not is_inside(node, self.container):
                self.exits.append((*self.scope_end, states))  # ran off the end of the scope
                return []
            if node.type == "go_statement":
                states = _add(states, owed=self.launches.get(node.id, 0))
            elif node.type == "defer_statement":
                states = _add(states, matched=self.deferred_weight(node))
            elif not self.inloop_header(node):
                states = _add(states, matched=self.weight(node))
        if not goes_on:
            return []
        if block.exit is not None:
            if block.exit.type == "return_statement":
                self.exits.append((block.exit, ExitKind.RETURN, states))
            else:
                self.exits.append((*self.scope_end, states))
            return []
        return states

    def entering(self, block: Block, states: list[Balance]) -> list[Balance]:
        """The accounts on the edge into `block`: none into a case nobody serves; everything
        matched into an `if` that runs only once every goroutine has been matched."""
        if block.kind is BlockKind.SELECT_CASE_BODY and block.stmt.id in self.dead_cases:
            return []
        if block.kind is BlockKind.IF_THEN and self.settles(block.stmt):
            # `if remaining == 0 { return }` in a receive loop: it has counted them all;
            # `if !ok { return }` on a channel closed after every send: it has them all.
            return [Balance(s.owed, UNBOUNDED, s.witness) for s in states]
        return states

    def settles(self, stmt: Node) -> bool:
        if stmt.id in self.settled:
            return True
        if not self.walking:
            return False
        loop, matching = self.walking[-1]
        condition = stmt.child_by_field_name("condition")
        return (
            matching
            and condition is not None
            and is_counter_check(self.go_file, condition, loop.stmt)
        )

    # -- regions ---------------------------------------------------------------------------

    def region(
        self, start: Block, position: int, states: list[Balance], source: Node, loop: Loop | None
    ) -> list[_Out]:
        """Walks the blocks inside `source` from node `position` of `start`, in reverse
        postorder so that paths merge before going on; returns the paths that leave it (to
        the walked `loop`'s head or continue block, or out of `source`)."""
        pending: dict[int, list[Balance]] = {}
        seen: dict[int, list[Balance]] = {}
        queue: list[tuple[int, int]] = []
        outs: list[_Out] = []

        def route(target: Block, branch: Node | None, states: list[Balance], came: int) -> None:
            if not states:
                return
            if loop is not None and target in (loop.head, loop.cont):
                outs.append((target, branch, states))
                return
            around = self.loops.get(target.index)
            if not block_inside(target, source) or (
                around is not None and not is_inside(around.stmt, source)
            ):  # out of `source`, or round a loop that holds it
                outs.append((target, branch, states))
                return
            order = self.order.get(target.index, len(self.order))
            if order <= came:  # back along a cycle that no `for` makes (`goto`)
                known = seen.get(target.index, [])
                states = [
                    Balance(UNBOUNDED if s.owed else 0, s.matched, s.witness)
                    for s in states
                    if not any(k.owed >= s.owed and k.matched <= s.matched for k in known)
                ]
                if not states:
                    return
            if target.index not in pending:
                heapq.heappush(queue, (order, target.index))
            pending.setdefault(target.index, []).extend(states)

        def leave(block: Block, states: list[Balance]) -> None:
            came = self.order.get(block.index, len(self.order))
            for following in block.succs:
                route(following, block.branch, self.entering(following, states), came)

        ended = self.through(start, position, states)
        if ended:
            leave(start, ended)
        while queue:
            order, index = heapq.heappop(queue)
            block = self.graph.blocks[index]
            known = seen.setdefault(index, [])
            arrived = [
                s
                for s in _worst(pending.pop(index))
                if not any(k.owed >= s.owed and k.matched <= s.matched for k in known)
            ]
            if not arrived:
                continue
            known.extend(arrived)
            inner = self.loops.get(index)
            if inner is not None:
                for target, branch, out in self.loop(inner, arrived):
                    route(target, branch, out, order)
                continue
            ended = self.through(block, 0, arrived)
            if ended:
                leave(block, ended)
        return outs

    # -- loops -----------------------------------------------------------------------------

    def loop(self, loop: Loop, states: list[Balance]) -> list[_Out]:
        """Paths through a loop entered with `states`: out of its end (`done`), and the jumps
        from its body to places outside it."""
        matching = self.has_event(loop.stmt)
        launching = self.has_launch(loop.stmt)
        header = loop_header(loop.stmt)
        entry = states
        if launching and not matching:
            # From the second iteration on, earlier iterations' goroutines are running.
            entry = _worst(states + _add(states, owed=UNBOUNDED))
        per_iteration = min(1.0, sum(self.weight(h) for h in header))
        trips = constant_iterations(self.package, self.go_file, loop.stmt)
        if trips is not None and trips <= _UNROLL_LIMIT and launching:
            return self.unrolled(loop, states, trips, per_iteration, matching)
        entry = _add(entry, matched=per_iteration)
        every_iteration = matching and self.matches_every_iteration(loop, per_iteration)
        back, breaks, outs = self.body(loop, entry, matching)
        natural = (states + back) if header else []
        if every_iteration and not launching:
            natural = [Balance(s.owed, UNBOUNDED, s.witness) for s in natural]
        elif launching and not matching:
            natural = [Balance(UNBOUNDED, s.matched, s.witness) for s in natural]
        return self.ending(loop, natural + breaks, outs)

    def unrolled(
        self, loop: Loop, states: list[Balance], trips: int, per: float, matching: bool
    ) -> list[_Out]:
        """`for i := 0; i < 2; i++ { go ... }`: walk the body once per iteration, so the
        goroutines it starts are counted exactly. Receive loops are not unrolled: their
        partner may send without bound (`for { c <- n }`) and stop by protocol."""
        breaks: list[Balance] = []
        outs: list[_Out] = []
        for _ in range(trips):
            if not states:
                break
            back, more_breaks, more_outs = self.body(loop, _add(states, matched=per), matching)
            breaks.extend(more_breaks)
            outs.extend(more_outs)
            states = _worst(back)
        return self.ending(loop, states + breaks, outs)

    @staticmethod
    def ending(loop: Loop, done: list[Balance], outs: list[_Out]) -> list[_Out]:
        if loop.done is not None and done:
            return [*outs, (loop.done, None, _worst(done))]
        return outs

    def body(
        self, loop: Loop, entry: list[Balance], matching: bool
    ) -> tuple[list[Balance], list[Balance], list[_Out]]:
        """One pass through the loop's body: the accounts that go round again (the end of the
        body, `continue`), those that `break` out of it, and the other ways out."""
        self.walking.append((loop, matching))
        source = loop.stmt.child_by_field_name("body")
        found = self.region(loop.body, 0, entry, source, loop) if source is not None else []
        self.walking.pop()
        back: list[Balance] = []
        breaks: list[Balance] = []
        outs: list[_Out] = []
        for target, branch, states in found:
            if target in (loop.head, loop.cont):
                back.extend(states)
            elif target is loop.done and matching and branch is not None:
                breaks.extend(Balance(s.owed, s.matched, s.witness or branch) for s in states)
            elif target is loop.done:
                breaks.extend(states)
            else:
                outs.append((target, branch, states))
        return back, breaks, outs

    def matches_every_iteration(self, loop: Loop, per_iteration: float) -> bool:
        """Does every pass through the loop body that goes round again match at least once?

        `for range parts { select { case <-ch: ...; case <-ctx.Done(): return } }` does (the
        other arm leaves); a polling loop with a `default:` arm does not, so running out of
        iterations proves nothing. A side walk: its exits and jumps are thrown away.
        """
        saved = self.exits
        self.exits = []
        back, _, _ = self.body(loop, [Balance(0, per_iteration)], matching=False)
        self.exits = saved
        return all(s.matched >= 1 for s in back)


_COMPARISONS = ("==", "!=", "<", "<=", ">", ">=")


def is_counter_check(go_file: GoFile, condition: Node, loop: Node) -> bool:
    """`n == len(items)`, `remaining == 0`, `seen >= want`, where the loop itself counts
    with that variable (`n++`, `remaining--`, `seen += 1`): a loop that stops once it has
    them all."""
    while condition.type == "parenthesized_expression" and condition.named_children:
        condition = condition.named_children[0]
    if condition.type != "binary_expression":
        return False
    operator = condition.child_by_field_name("operator")
    if operator is None or go_file.text(operator) not in _COMPARISONS:
        return False
    body = loop.child_by_field_name("body")
    body_text = go_file.text(body) if body is not None else ""
    for side in ("left", "right"):
        operand = condition.child_by_field_name(side)
        if operand is None or operand.type != "identifier":
            continue
        name = re.escape(go_file.text(operand))
        if re.search(rf"(?<![\w.]){name}\s*(\+\+|--|\+=|-=)", body_text):
            return True
    return False


def scope_statement(node: Node) -> Node | None:
    """The statement holding `node` that sits directly in a block or case, or None when the
    node lives in a header (`if x := ...;`) or outside any function body."""
    current = node
    while current.parent is not None:
        parent = current.parent
        if parent.type in ("statement_list", "block") or parent.type in _CASE_TYPES:
            return current
        if parent.type in FUNCTION_TYPES or parent.type in (
            "if_statement",
            "for_statement",
            "expression_switch_statement",
            "type_switch_statement",
            "range_clause",
            "for_clause",
        ):
            return None
        current = parent
    return None


def unbalanced_exits(
    package: Package,
    go_file: GoFile,
    binding: Node,
    launches: list[tuple[Node, float]],
    events: list[tuple[Node, float]],
    slack: float,
    settled: frozenset[int] = frozenset(),
) -> list[UnbalancedExit]:
    """Ways out of the scope of a channel bound at `binding` on which its goroutines are left
    waiting: `owed - slack > matched`.

    `launches` pairs each `go` statement with what that goroutine owes (sends it makes, or
    receives it waits for); `events` are the function's own matching operations with their
    weight (1 for a receive or send, UNBOUNDED for a close or a `range`); `slack` is the
    channel's buffer. Exits are returns, the end of the scope (function, loop iteration or
    block), and `break`/`continue`/`goto` that leave it. A select case on a channel nobody
    serves (see `dead_select_cases`) can never be chosen and is not walked; those are looked
    for only when a walk with every case finds an exit (most channels balance without them).
    The body of an `if` whose id is in `settled` runs only once every goroutine has been
    matched (`if !ok` after a receive from a channel its sender closes after its last send).
    """
    walk = (package, go_file, binding, launches, events, slack)
    exits = _unbalanced(*walk, frozenset(), settled)
    function = enclosing_function(binding) if exits else None
    dead = dead_select_cases(go_file, function) if function is not None else frozenset()
    return _unbalanced(*walk, dead, settled) if dead else exits


def _unbalanced(
    package: Package,
    go_file: GoFile,
    binding: Node,
    launches: list[tuple[Node, float]],
    events: list[tuple[Node, float]],
    slack: float,
    dead_cases: frozenset[int],
    settled: frozenset[int],
) -> list[UnbalancedExit]:
    statement = scope_statement(binding)
    function = enclosing_function(binding)
    graph = function_graph(package, go_file, function) if statement and function else None
    start = _holding(graph, binding) if graph is not None else None
    if statement is None or graph is None or start is None:
        return []
    container = statement.parent
    if container.type == "statement_list" and container.parent is not None:
        container = container.parent
    walk = _BalanceWalk(package, go_file, graph, container, launches, events, dead_cases, settled)
    block, position = start
    for _, branch, states in walk.region(block, position + 1, [Balance(0, 0)], container, None):
        kind = _JUMPS.get(branch.type) if branch is not None else None
        walk.exits.append((branch, kind, states) if kind else (*walk.scope_end, states))
    by_node: dict[int, UnbalancedExit] = {}
    for node, kind, states in walk.exits:
        short = [s for s in states if s.owed - slack > s.matched]
        known = by_node.get(node.id)
        if known is not None:
            short.append(known.balance)
        if short:
            worst = max(short, key=lambda s: (s.owed - s.matched, s.witness is None))
            by_node[node.id] = UnbalancedExit(node, kind, worst)
    return sorted(by_node.values(), key=lambda e: e.node.start_byte)


def _holding(graph: Graph, node: Node) -> tuple[Block, int] | None:
    """The live block whose node (a statement or `var` spec) holds `node`, and its index."""
    for block in graph.blocks:
        if not block.live:
            continue
        for position, candidate in enumerate(block.nodes):
            if is_inside(node, candidate):
                return block, position
    return None


def _scope_end(container: Node) -> tuple[Node, ExitKind]:
    owner = container.parent
    if container.type == "block" and owner is not None:
        if owner.type in FUNCTION_TYPES:
            return closing_brace(container), ExitKind.FUNCTION_END
        if owner.type == "for_statement":
            return closing_brace(container), ExitKind.ITERATION_END
        return closing_brace(container), ExitKind.BLOCK_END
    return container, ExitKind.CASE_END


def go_statements(go_file: GoFile, scope: Node | None = None) -> list[Node]:
    """`go` statements below `scope` (the whole file by default), in source order."""
    if scope is not None:
        return captures(_GO_STATEMENTS, scope).get("go", [])
    return _file_go_statements(go_file)


@file_fact
def _file_go_statements(go_file: GoFile) -> list[Node]:
    """Found from the `go` keyword's bytes, then checked on the tree: no walk."""
    return nodes_at_matches(go_file, _GO_KEYWORD_BYTES, "go_statement")
