"""Balance: does every path out of F match what its goroutines wait for?"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from tree_sitter import Node

from linter.semantic.channels import (
    _GO_KEYWORD_BYTES,
    _GO_STATEMENTS,
    UNBOUNDED,
    is_terminating_call,
)
from linter.semantic.core import (
    _CASE_TYPES,
    _SWITCH_TYPES,
    FUNCTION_TYPES,
    case_statements,
    enclosing_function,
    inside_loop,
    nodes_at_matches,
    statements,
)
from linter.semantic.exits import ExitKind
from linter.semantic.facts import file_fact
from linter.semantic.iterations import constant_iterations
from linter.semantic.partners import dead_select_cases
from linter.semantic.paths import _closing_brace
from linter.source import GoFile, Package, captures


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


@dataclass
class _Frame:
    statement: Node
    label: str | None
    is_loop: bool
    matching: bool
    breaks: list[Balance]
    continues: list[Balance]


def _worst(states: Iterable[Balance]) -> list[Balance]:
    """The accounts no other one is at least as bad as (owes as much and matched as little)."""
    kept: list[Balance] = []
    for state in states:
        if any(k.owed >= state.owed and k.matched <= state.matched for k in kept):
            continue
        kept = [k for k in kept if not (state.owed >= k.owed and state.matched <= k.matched)]
        kept.append(state)
    return kept


class _BalanceWalk:
    """Walks the statements of a channel's scope, keeping the worst accounts per path.

    A launch (a `go` statement) adds what that goroutine owes; an event (a receive, a send, a
    close by the function) adds to what is matched. A loop that matches on each iteration
    (`for range ch`, `for i := 0; i < n; i++ { <-ch }`) matches everything by its natural
    end, but an exit or `break` inside it does not; a loop that launches goroutines owes
    without bound. `goto` paths are dropped; a terminating call ends a path without leaking.
    """

    def __init__(
        self,
        package: Package,
        go_file: GoFile,
        launches: list[tuple[Node, float]],
        events: list[tuple[Node, float]],
        dead_cases: frozenset[int] = frozenset(),
        settled: frozenset[int] = frozenset(),
    ) -> None:
        self.package = package
        self.go_file = go_file
        self.dead_cases = dead_cases
        self.settled = settled
        self.launches = {node.id: owed for node, owed in launches if owed}
        self.launch_ranges = [(n.start_byte, n.end_byte) for n, owed in launches if owed]
        self.events = [(n.start_byte, n.end_byte, w) for n, w in events]
        self.exits: list[tuple[Node, str, list[Balance]]] = []
        self.frames: list[_Frame] = []

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

    @staticmethod
    def add(states: list[Balance], owed: float = 0, matched: float = 0) -> list[Balance]:
        if not owed and not matched:
            return states
        return [Balance(s.owed + owed, s.matched + matched, s.witness) for s in states]

    def sequence(self, stmts: list[Node], states: list[Balance]) -> list[Balance]:
        for stmt in stmts:
            if not states:
                break
            states = self.statement(stmt, states, None)
        return states

    def statement(self, stmt: Node, states: list[Balance], label: str | None) -> list[Balance]:
        kind = stmt.type
        if kind == "return_statement":
            self.exits.append((stmt, ExitKind.RETURN, self.add(states, matched=self.weight(stmt))))
            return []
        if kind == "if_statement":
            return self.if_statement(stmt, states)
        if kind in _SWITCH_TYPES:
            return self.switch_statement(stmt, states, label)
        if kind == "for_statement":
            return self.for_statement(stmt, states, label)
        if kind == "block":
            return self.sequence(statements(stmt), states)
        if kind == "labeled_statement":
            label_node = stmt.child_by_field_name("label")
            inner = [c for c in stmt.named_children if c.type not in ("label_name", "comment")]
            name = self.go_file.text(label_node) if label_node is not None else None
            for child in inner:
                states = self.statement(child, states, name) if states else states
            return states
        if kind == "break_statement":
            return self.jump(stmt, states, is_continue=False)
        if kind == "continue_statement":
            return self.jump(stmt, states, is_continue=True)
        if kind == "goto_statement":
            return []
        if kind == "go_statement":
            return self.add(states, owed=self.launches.get(stmt.id, 0))
        if kind == "defer_statement":
            return self.add(states, matched=self.deferred_weight(stmt))
        states = self.add(states, matched=self.weight(stmt))
        if kind == "expression_statement":
            expr = stmt.named_children[0] if stmt.named_children else None
            if (
                expr is not None
                and expr.type == "call_expression"
                and is_terminating_call(self.go_file, expr)
            ):
                return []
        return states

    def deferred_weight(self, stmt: Node) -> float:
        """Events in a deferred call run at every exit after it; in a loop, without bound."""
        total = 0.0
        for start, end, weight in self.events:
            if stmt.start_byte <= start and end <= stmt.end_byte:
                node = stmt.descendant_for_byte_range(start, end)
                looped = node is not None and inside_loop(node, stmt) is not None
                total += UNBOUNDED if looped else weight
        return total

    def if_statement(self, stmt: Node, states: list[Balance]) -> list[Balance]:
        for part in ("initializer", "condition"):
            states = self.add(states, matched=self.weight(stmt.child_by_field_name(part)))
        entry = states
        loop = next((f for f in reversed(self.frames) if f.is_loop), None)
        condition = stmt.child_by_field_name("condition")
        if stmt.id in self.settled or (
            loop is not None
            and loop.matching
            and condition is not None
            and is_counter_check(self.go_file, condition, loop.statement)
        ):
            # `if remaining == 0 { return }` in a receive loop: it has counted them all;
            # `if !ok { return }` on a channel closed after every send: it has them all.
            entry = [Balance(s.owed, UNBOUNDED, s.witness) for s in states]
        then = self.sequence(statements(stmt.child_by_field_name("consequence")), entry)
        alternative = stmt.child_by_field_name("alternative")
        if alternative is None:
            other = states
        elif alternative.type == "if_statement":
            other = self.if_statement(alternative, states)
        else:
            other = self.sequence(statements(alternative), states)
        return _worst(then + other)

    def switch_statement(
        self, stmt: Node, states: list[Balance], label: str | None
    ) -> list[Balance]:
        head = [c for c in stmt.named_children if c.type not in _CASE_TYPES]
        for part in head:
            states = self.add(states, matched=self.weight(part))
        cases = [c for c in stmt.named_children if c.type in _CASE_TYPES]
        frame = _Frame(stmt, label, False, False, [], [])
        self.frames.append(frame)
        results: list[Balance] = []
        for case in cases:
            if case.id in self.dead_cases:
                continue  # nobody serves its channel: this arm is never taken
            entry = states
            comm = case.child_by_field_name("communication") or case.child_by_field_name("value")
            entry = self.add(entry, matched=self.weight(comm))
            results.extend(self.sequence(case_statements(case), entry))
        self.frames.pop()
        if stmt.type == "select_statement" and not cases:
            return []  # select {} blocks forever
        if stmt.type != "select_statement" and not any(c.type == "default_case" for c in cases):
            results.extend(states)
        return _worst(results + frame.breaks)

    def for_statement(self, stmt: Node, states: list[Balance], label: str | None) -> list[Balance]:
        body = stmt.child_by_field_name("body")
        header = [
            c
            for c in stmt.named_children
            if c.type != "comment" and (body is None or c.id != body.id)
        ]
        matching = self.has_event(stmt)
        launching = self.has_launch(stmt)
        entry = states
        if launching and not matching:
            # From the second iteration on, earlier iterations' goroutines are running.
            entry = _worst(states + self.add(states, owed=UNBOUNDED))
        per_iteration = min(1.0, sum(self.weight(h) for h in header))
        trips = constant_iterations(self.package, self.go_file, stmt)
        if trips is not None and trips <= _UNROLL_LIMIT and launching:
            return self.unrolled(stmt, states, label, trips, per_iteration)
        entry = self.add(entry, matched=per_iteration)
        every_iteration = matching and self.matches_every_iteration(stmt, label, per_iteration)
        frame = _Frame(stmt, label, True, matching, [], [])
        self.frames.append(frame)
        end = self.sequence(statements(body), entry)
        self.frames.pop()
        natural = (states + end + frame.continues) if header else []
        if every_iteration and not launching:
            natural = [Balance(s.owed, UNBOUNDED, s.witness) for s in natural]
        elif launching and not matching:
            natural = [Balance(UNBOUNDED, s.matched, s.witness) for s in natural]
        return _worst(natural + frame.breaks)

    def unrolled(
        self, loop: Node, states: list[Balance], label: str | None, trips: int, per: float
    ) -> list[Balance]:
        """`for i := 0; i < 2; i++ { go ... }`: walk the body once per iteration, so the
        goroutines it starts are counted exactly. Receive loops are not unrolled: their
        partner may send without bound (`for { c <- n }`) and stop by protocol."""
        frame = _Frame(loop, label, True, self.has_event(loop), [], [])
        self.frames.append(frame)
        body = statements(loop.child_by_field_name("body"))
        for _ in range(trips):
            if not states:
                break
            states = self.sequence(body, self.add(states, matched=per))
            states = _worst(states + frame.continues)
            frame.continues.clear()
        self.frames.pop()
        return _worst(states + frame.breaks)

    def matches_every_iteration(self, loop: Node, label: str | None, per_iteration: float) -> bool:
        """Does every pass through the loop body that goes round again match at least once?

        `for range parts { select { case <-ch: ...; case <-ctx.Done(): return } }` does (the
        other arm leaves); a polling loop with a `default:` arm does not, so running out of
        iterations proves nothing. A side walk: its exits and jumps are thrown away.
        """
        saved_exits = self.exits
        saved_jumps = [(f, len(f.breaks), len(f.continues)) for f in self.frames]
        self.exits = []
        frame = _Frame(loop, label, True, False, [], [])
        self.frames.append(frame)
        body = loop.child_by_field_name("body")
        end = self.sequence(statements(body), [Balance(0, per_iteration)])
        self.frames.pop()
        self.exits = saved_exits
        for outer, breaks, continues in saved_jumps:
            del outer.breaks[breaks:]
            del outer.continues[continues:]
        return all(s.matched >= 1 for s in end + frame.continues)

    def jump(self, stmt: Node, states: list[Balance], is_continue: bool) -> list[Balance]:
        target_node = stmt.named_children[0] if stmt.named_children else None
        target = self.go_file.text(target_node) if target_node is not None else None
        for frame in reversed(self.frames):
            if is_continue and not frame.is_loop:
                continue
            if target is not None and frame.label != target:
                continue
            if is_continue:
                frame.continues.extend(states)
            elif frame.matching:
                frame.breaks.extend(Balance(s.owed, s.matched, s.witness or stmt) for s in states)
            else:
                frame.breaks.extend(states)
            return []
        kind = ExitKind.CONTINUE if is_continue else ExitKind.BREAK
        self.exits.append((stmt, kind, states))
        return []


_UNROLL_LIMIT = 16


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
    block), and `break`/`continue` that leave it. A select case on a channel nobody serves
    (see `dead_select_cases`) can never be chosen and is not walked; those are looked for
    only when a walk with every case finds an exit (most channels balance without them).
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
    if statement is None:
        return []
    container = statement.parent
    if container.type == "statement_list" and container.parent is not None:
        container = container.parent
    if container.type in _CASE_TYPES:
        siblings = case_statements(container)
    else:
        siblings = statements(container)
    rest = [s for s in siblings if s.start_byte > statement.start_byte]
    walk = _BalanceWalk(package, go_file, launches, events, dead_cases, settled)
    end = walk.sequence(rest, [Balance(0, 0)])
    if end:
        walk.exits.append((*_scope_end(container), end))
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


def _scope_end(container: Node) -> tuple[Node, ExitKind]:
    owner = container.parent
    if container.type == "block" and owner is not None:
        if owner.type in FUNCTION_TYPES:
            return _closing_brace(container), ExitKind.FUNCTION_END
        if owner.type == "for_statement":
            return _closing_brace(container), ExitKind.ITERATION_END
        return _closing_brace(container), ExitKind.BLOCK_END
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
