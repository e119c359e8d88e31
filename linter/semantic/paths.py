"""Released on every path: the structured walk from a binding to each exit of a function."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from tree_sitter import Node

from linter.semantic.channels import is_terminating_call
from linter.semantic.core import (
    _CASE_TYPES,
    _SWITCH_TYPES,
    FUNCTION_TYPES,
    calls_to,
    case_statements,
    enclosing_function,
    statement_container,
    statements,
)
from linter.semantic.exits import ExitKind
from linter.semantic.loops import always_leaves_loop
from linter.source import GoFile, captures, query


@dataclass(frozen=True)
class Exit:
    """A way out of the function (or of a loop iteration) on which the value is not released.

    `node` is the return statement, the function's closing brace, or the loop; `kind` says
    which, and `how` puts it in words a message can use.
    """

    node: Node
    kind: ExitKind

    @property
    def how(self) -> str:
        return self.kind.words


class _PathWalk:
    """Follows the statements after a binding, tracking whether a release was seen.

    Structured, not a CFG: if/else and switch/select arms are walked separately; loops are
    walked once; `goto` is ignored. A release in a deferred call (including a deferred closure)
    covers every exit after it. A terminating call (`panic`, `os.Exit`, `log.Fatal`,
    `runtime.Goexit`, `t.Fatal`, `t.FailNow`, `b.Fatalf`, Ginkgo's `Fail`) ends its path: it is
    not an exit that leaves the value behind, since the goroutine or process is over and a
    failed test leaks nothing worth a report. An `if err != nil { return }` guard right after
    the binding is not an exit without release: the value is unusable there.
    """

    def __init__(
        self,
        go_file: GoFile,
        function: Node,
        releases: list[Node],
        error_name: str | None,
        binding: Node | None = None,
        ends: list[Node] | None = None,
    ) -> None:
        self.go_file = go_file
        self.function = function
        self.binding = binding
        self.release_ranges = [(r.start_byte, r.end_byte) for r in releases]
        self.end_ranges = {(loop.start_byte, loop.end_byte) for loop in ends or []}
        self.error_name = error_name
        # The guard applies while `err` still holds the binding's error: once reassigned
        # (`n, err := f.Read(b)`), `if err != nil { return }` leaves a live value behind.
        self.error_live = error_name is not None
        self.exits: list[Exit] = []
        self.loops: list[_LoopExits] = []  # the loops being walked, innermost last

    def contains_release(self, node: Node) -> bool:
        start, end = node.start_byte, node.end_byte
        return any(start <= s and e <= end for s, e in self.release_ranges)

    def walk(self, stmts: list[Node], covered: bool) -> tuple[bool, bool]:
        """Returns (covered at the end, every path terminated before the end)."""
        for stmt in stmts:
            if covered:
                return True, False
            covered, terminated = self.statement(stmt, covered)
            if terminated:
                return covered, True
        return covered, False

    def statement(self, stmt: Node, covered: bool) -> tuple[bool, bool]:
        kind = stmt.type
        if kind == "return_statement":
            # `return tx.Commit()` / `return f, nil`: the release is part of the return.
            if not covered and not self.contains_release(stmt):
                self.exits.append(Exit(stmt, ExitKind.RETURN))
            return covered, True
        if kind == "if_statement":
            return self.if_statement(stmt, covered)
        if kind in _SWITCH_TYPES:
            return self.switch_statement(stmt, covered)
        if kind == "for_statement":
            body = stmt.child_by_field_name("body")
            head_covers = any(self.contains_release(c) for c in stmt.named_children if c != body)
            if head_covers:
                return True, False
            frame = _LoopExits(stmt, loop_label(self.go_file, stmt))
            self.loops.append(frame)
            self.walk(statements(body), covered)
            self.loops.pop()
            if (stmt.start_byte, stmt.end_byte) in self.end_ranges:
                return True, False  # `for rows.Next() { ... }`: its normal end releases it
            terminated = is_endless_loop(self.go_file, stmt)
            if not terminated and not frame.uncovered and _left_only_by_break(stmt, body):
                return True, False  # `for { ...; t.Stop(); break loop }`: released on the way out
            return covered, terminated
        if kind == "break_statement":
            self.note_break(stmt, covered)
            return covered, False
        if kind == "block":
            return self.walk(statements(stmt), covered)
        if kind == "labeled_statement":
            inner = [c for c in stmt.named_children if c.type != "label_name"]
            return self.walk(inner, covered)
        if kind == "go_statement":
            return covered, False
        if self.contains_release(stmt):
            return True, False
        if self.error_live and _assigns_name(self.go_file, stmt, self.error_name):
            self.error_live = False
        if kind == "expression_statement":
            expr = stmt.named_children[0] if stmt.named_children else None
            if (
                expr is not None
                and expr.type == "call_expression"
                and is_terminating_call(self.go_file, expr)
            ):
                return covered, True
        return covered, False

    def note_break(self, stmt: Node, covered: bool) -> None:
        """Remember whether the value was released at a `break` that leaves a walked loop."""
        target = stmt.named_children[0] if stmt.named_children else None
        if target is not None:
            label = self.go_file.text(target)
            frame = next((f for f in reversed(self.loops) if f.label == label), None)
        else:
            loop = _broken_loop(stmt)
            frame = next((f for f in self.loops if loop is not None and f.loop.id == loop.id), None)
        if frame is not None and not covered:
            frame.uncovered = True

    def if_statement(self, stmt: Node, covered: bool) -> tuple[bool, bool]:
        head = [stmt.child_by_field_name("initializer"), stmt.child_by_field_name("condition")]
        if any(h is not None and self.contains_release(h) for h in head):
            return True, False
        condition = stmt.child_by_field_name("condition")
        consequence = stmt.child_by_field_name("consequence")
        alternative = stmt.child_by_field_name("alternative")
        guard = Unusable.NEITHER
        initializer = stmt.child_by_field_name("initializer")
        # `if _, err := tls.Dial(...); err == nil {`: the header binds the value itself, so
        # its `err` is the value's error; any other header assignment replaces it.
        reassigns = (
            initializer is not None
            and (self.binding is None or initializer.id != self.binding.id)
            and _assigns_name(self.go_file, initializer, self.error_name)
        )
        if self.error_live and condition is not None and not reassigns:
            guard = error_guard(self.go_file, condition, self.error_name)
        if reassigns and initializer.type == "assignment_statement":
            self.error_live = False  # `if err = f.Sync(); err != nil`: err is no longer ours
        # On a guarded branch the value is unusable (nil): its returns are not leaks.
        if guard is Unusable.THEN:
            then_covered, then_done = self.unusable(statements(consequence))
        else:
            then_covered, then_done = self.walk(statements(consequence), covered)
        if alternative is None:
            else_covered, else_done = (True, False) if guard is Unusable.ELSE else (covered, False)
        elif guard is Unusable.ELSE:
            else_covered, else_done = self.unusable([alternative])
        elif alternative.type == "if_statement":
            else_covered, else_done = self.if_statement(alternative, covered)
        else:
            else_covered, else_done = self.walk(statements(alternative), covered)
        if then_done and else_done:
            return covered, True
        if guard is Unusable.ELSE and alternative is None and _ends_path(self.go_file, consequence):
            # `if err == nil { break }`: what follows runs only with the error set.
            return True, False
        if then_done:
            return else_covered, False
        if else_done:
            return then_covered, False
        return then_covered and else_covered, False

    def switch_statement(self, stmt: Node, covered: bool) -> tuple[bool, bool]:
        head = [c for c in stmt.named_children if c.type not in _CASE_TYPES]
        if any(self.contains_release(h) for h in head):
            return True, False
        cases = [c for c in stmt.named_children if c.type in _CASE_TYPES]
        has_default = stmt.type == "select_statement" or any(
            c.type == "default_case" for c in cases
        )
        # A release in a case header (`case <-timer.C:`) covers that arm; in a tagless
        # switch, `case err != nil:` (or `errors.Is(err, X)`) is a guard like the if form.
        tagless = stmt.type == "expression_switch_statement" and not head
        results = [
            self.unusable(case_statements(case))
            if tagless and self.guards_case(case)
            else self.walk(case_statements(case), covered or self.header_releases(case))
            for case in cases
        ]
        if not cases:
            return covered, stmt.type == "select_statement"
        if not has_default:
            results.append((covered, False))
        open_paths = [c for c, done in results if not done]
        if not open_paths:
            return covered, True
        return all(open_paths), False

    def covers(self, stmts: list[Node]) -> bool:
        """Does every path through `stmts` release the value? A look ahead: the walk's state
        (exits found, whether `err` is still the binding's) is left as it was."""
        saved = self.exits, self.error_live
        self.exits = []
        covered, _ = self.walk(stmts, False)
        self.exits, self.error_live = saved
        return covered

    def unusable(self, stmts: list[Node]) -> tuple[bool, bool]:
        """Walk a branch on which the value is nil: nothing there can leak it."""
        saved = self.exits
        self.exits = []
        result = self.walk(stmts, True)
        self.exits = saved
        return result

    def guards_case(self, case: Node) -> bool:
        values = case.child_by_field_name("value")
        return (
            self.error_live
            and values is not None
            and any(
                error_guard(self.go_file, v, self.error_name) is Unusable.THEN
                for v in values.named_children
            )
        )

    def header_releases(self, case: Node) -> bool:
        return any(
            self.contains_release(c)
            for c in case.named_children
            if c.type not in ("statement_list", "comment")
        )


class Unusable(Enum):
    """Which branch of an `if` runs only when the value is unusable (see `error_guard`)."""

    THEN = "then"  # if err != nil { ... }
    ELSE = "else"  # if err == nil { ... } else { ... }
    NEITHER = "neither"  # the condition says nothing about it

    @property
    def negated(self) -> Unusable:
        """The answer for `!condition`."""
        swapped = {Unusable.THEN: Unusable.ELSE, Unusable.ELSE: Unusable.THEN}
        return swapped.get(self, Unusable.NEITHER)


def error_guard(go_file: GoFile, condition: Node, error_name: str) -> Unusable:
    """Which branch of `if condition` runs only when the value bound with `error_name` is
    unusable: THEN for `err != nil`, `os.IsNotExist(err)`, `errors.Is(err, X)` or a `&&`
    holding one of them; ELSE for `err == nil`; NEITHER when the condition says nothing."""
    while condition.type == "parenthesized_expression" and condition.named_children:
        condition = condition.named_children[0]
    operator = condition.child_by_field_name("operator")
    operand = condition.child_by_field_name("operand")
    if condition.type == "unary_expression" and operator is not None and operand is not None:
        if operator.type != "!":
            return Unusable.NEITHER
        # `!errors.Is(err, X)`: the negation swaps which branch runs with the error set.
        return error_guard(go_file, operand, error_name).negated
    text = re.sub(r"\s+", "", go_file.text(condition))
    if text in (f"{error_name}!=nil", f"nil!={error_name}"):
        return Unusable.THEN
    if text in (f"{error_name}==nil", f"nil=={error_name}"):
        return Unusable.ELSE
    if condition.type == "binary_expression":
        operator = condition.child_by_field_name("operator")
        if operator is not None and operator.type == "&&":
            sides = (condition.child_by_field_name("left"), condition.child_by_field_name("right"))
            if any(
                s is not None and error_guard(go_file, s, error_name) is Unusable.THEN
                for s in sides
            ):
                return Unusable.THEN
        return Unusable.NEITHER
    if condition.type == "call_expression":
        arguments = condition.child_by_field_name("arguments")
        if arguments is not None and any(
            a.type == "identifier" and go_file.text(a) == error_name
            for a in arguments.named_children
        ):
            return (
                Unusable.THEN
            )  # os.IsNotExist(err), errors.Is(err, fs.ErrNotExist): false for nil
    return Unusable.NEITHER


def _ends_path(go_file: GoFile, block: Node | None) -> bool:
    """Does the block end in a jump (return, break, continue, goto) or a no-return call?"""
    body = statements(block)
    if not body:
        return False
    last = body[-1]
    if last.type in ("return_statement", "break_statement", "continue_statement"):
        return True
    return always_leaves_loop(go_file, [last])


def _assigns_name(go_file: GoFile, stmt: Node, name: str | None) -> bool:
    """Does `stmt` (a `:=`, `=` or `var`) assign `name` at its top level?"""
    if name is None or stmt.type not in ("short_var_declaration", "assignment_statement"):
        return False
    left = stmt.child_by_field_name("left")
    return left is not None and any(
        c.type == "identifier" and go_file.text(c) == name for c in left.named_children
    )


def is_endless_loop(go_file: GoFile, loop: Node) -> bool:
    """A loop that only a `break` (or `goto`) could end, and that has none: `for { ... }`, or
    a range over a ticker's or timer's channel (`for range t.C`, `for range time.Tick(d)`),
    which nobody closes. A `for cond`, three-clause loop or range over anything else ends.
    """
    body = loop.child_by_field_name("body")
    header = [c for c in loop.named_children if c.type != "comment" and c != body]
    if header and not ranges_over_ticker(go_file, loop):
        return False
    return not loop_has_break(go_file, loop)


def ranges_over_ticker(go_file: GoFile, loop: Node) -> bool:
    """`for range t.C` or `for now := range time.Tick(d)`: a range over a ticker's or timer's
    channel, which nobody closes, so the loop never ends by itself. Any `.C` field counts."""
    right = range_expression(loop)
    if right is None:
        return False
    if right.type == "selector_expression":
        field = right.child_by_field_name("field")
        return field is not None and go_file.text(field) == "C"
    return right.type == "call_expression" and any(
        call.id == right.id for _, call in calls_to(go_file, ("time.Tick",))
    )


def loop_has_break(go_file: GoFile, loop: Node) -> bool:
    """A `break` that leaves this loop (unlabelled, not inside a nested loop/switch/select, or
    labelled with this loop's label), or a `goto`."""
    label = None
    if loop.parent is not None and loop.parent.type == "labeled_statement":
        label_node = loop.parent.child_by_field_name("label")
        label = go_file.text(label_node) if label_node is not None else None
    body = loop.child_by_field_name("body")
    stack = list(body.named_children) if body is not None else []
    while stack:
        node = stack.pop()
        if node.type in FUNCTION_TYPES:
            continue
        if node.type == "goto_statement":
            return True
        if node.type == "break_statement":
            target = node.named_children[0] if node.named_children else None
            if target is None and not _break_owned_by_inner(node, loop):
                return True
            if target is not None and label is not None and go_file.text(target) == label:
                return True
            continue
        stack.extend(node.named_children)
    return False


def _break_owned_by_inner(break_node: Node, loop: Node) -> bool:
    current = break_node.parent
    while current is not None and current.id != loop.id:
        if current.type in ("for_statement", *_SWITCH_TYPES):
            return True
        current = current.parent
    return False


def exits_without_release(
    go_file: GoFile,
    function: Node,
    binding_statement: Node,
    releases: list[Node],
    error_name: str | None = None,
    ends: list[Node] | None = None,
) -> list[Exit]:
    """Exits reachable after `binding_statement` on which none of `releases` ran.

    `binding_statement` stands in a block or a case, or in the header of an `if`, whose
    branches are walked first. Walks the rest of the binding's block, then climbs out through
    the enclosing statements to the function body. Reaching the end of a loop body uncovered
    counts as an exit ("the next iteration replaces it"): a resource made per iteration must
    be released per iteration, unless every path to the re-binding releases the old value
    first (`t.Stop(); t = time.NewTicker(d)`), where the new value is followed through every
    exit of the loop instead. The loops in `ends` release the value when they end normally
    (`for rows.Next() { ... }` run to its end).
    """
    walker = _PathWalk(go_file, function, releases, error_name, binding_statement, ends)
    body = function.child_by_field_name("body")
    node = binding_statement
    covered = False
    header = binding_statement.parent
    if header is not None and header.type == "if_statement":
        if header.child_by_field_name("initializer") != binding_statement:
            return walker.exits  # bound in the condition itself: nothing to follow
        # `if f, err := open(); err == nil { ... }`: the if is the first thing that runs.
        covered, terminated = walker.if_statement(header, covered)
        if terminated or covered:
            return walker.exits
        node = header
    released_first = False  # a release runs before the binding in its loop's iteration
    while body is not None:
        container, found = statement_container(node)
        if container is None:
            break
        siblings = found or []  # none in an if/for/switch header's initializer
        rest = [s for s in siblings if s.start_byte > node.start_byte]
        before = [s for s in siblings if s.end_byte <= node.start_byte]
        covered, terminated = walker.walk(rest, covered)
        if terminated or covered:
            break
        if container.id == body.id:
            walker.exits.append(Exit(_closing_brace(body), ExitKind.FUNCTION_END))
            break
        owner = container.parent
        if owner is None or owner.type in FUNCTION_TYPES:
            break
        if owner.type == "for_statement" and container.type == "block":
            # Next iteration: the loop body runs again from the top up to the re-binding;
            # `t.Stop(); t = time.NewTicker(d)` releases the old value on its way there, and
            # the new one may then leave through any exit of the loop.
            if released_first:
                walker.walk(siblings, False)
            elif not walker.walk(before, False)[0]:
                walker.exits.append(Exit(owner, ExitKind.NEXT_ITERATION))
                break
            released_first = False
            if is_endless_loop(go_file, owner):
                break
            # Or the loop ends: go on after it.
        elif walker.covers(before):
            released_first = True
        # Climb to the statement that holds this block, so the walk goes on after it.
        node = container if container.type == "block" and owner.type == "block" else owner
        while node.parent is not None and node.parent.type in (
            *_SWITCH_TYPES,
            "if_statement",
            "labeled_statement",
        ):
            node = node.parent
    return walker.exits


@dataclass
class _LoopExits:
    """A loop the path walk is inside, and whether a `break` out of it left unreleased."""

    loop: Node
    label: str | None
    uncovered: bool = False


_GOTOS = query("(goto_statement) @goto")


def loop_label(go_file: GoFile, loop: Node) -> str | None:
    """The label of `L: for ...`, or None."""
    if loop.parent is None or loop.parent.type != "labeled_statement":
        return None
    label = loop.parent.child_by_field_name("label")
    return go_file.text(label) if label is not None else None


def _left_only_by_break(loop: Node, body: Node | None) -> bool:
    """A condition-less `for { }` that only a `break` ends (no `goto` out of it): what holds
    after it is what held at each of those breaks."""
    header = [c for c in loop.named_children if c.type != "comment" and c != body]
    return not header and body is not None and not captures(_GOTOS, body).get("goto")


def _broken_loop(break_node: Node) -> Node | None:
    """The loop an unlabelled `break` leaves, or None when it ends a switch or select."""
    current = break_node.parent
    while current is not None and current.type not in FUNCTION_TYPES:
        if current.type == "for_statement":
            return current
        if current.type in _SWITCH_TYPES:
            return None
        current = current.parent
    return None


def _closing_brace(block: Node) -> Node:
    last = block.children[-1] if block.children else block
    return last if last.type == "}" else block


_RETURNS = query("(return_statement) @ret")


def own_returns(function: Node) -> list[Node]:
    """Return statements of this function, not of function literals nested in it."""
    body = function.child_by_field_name("body")
    if body is None:
        return []
    return [
        ret
        for ret in captures(_RETURNS, body).get("ret", [])
        if enclosing_function(ret) is not None and enclosing_function(ret).id == function.id
    ]


def never_returns(go_file: GoFile, function: Node) -> bool:
    """A function that ends in a loop it never leaves and has no return: a daemon loop
    (`for { ... }` or `for range time.Tick(d)` without a break, see `is_endless_loop`)."""
    if own_returns(function):
        return False
    body_statements = statements(function.child_by_field_name("body"))
    if not body_statements or body_statements[-1].type != "for_statement":
        return False
    return is_endless_loop(go_file, body_statements[-1])


def range_expression(loop: Node) -> Node | None:
    """The `x` of `for ... range x`, or None for other loops."""
    for child in loop.named_children:
        if child.type == "range_clause":
            return child.child_by_field_name("right")
    return None
