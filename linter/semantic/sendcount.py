"""How many of a goroutine's channel operations one run can execute: the longest path
through its control-flow graph, counting the operations in each block.

A GLK202 buffer holds every send when it is at least this count; a goroutine started in a
function owes that function this many receives. An operation on a cycle of the graph (a
loop that goes round again after it) counts without bound; one followed on every path by a
`return` or `break` counts once, and so does a block under a run-once flag (`if first {
...; first = false }`) or under one value of the loop's index (`if i == n/2 { half <- true
}`): it runs once per run whichever path gets there.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from tree_sitter import Node

from linter.semantic.blocks import block_inside, case_part, weighed_nodes
from linter.semantic.cfg import Block, BlockKind, Graph
from linter.semantic.channels import UNBOUNDED, ChannelUse, channel_use, local_channel
from linter.semantic.core import _IDENTIFIERS, FUNCTION_TYPES, inside_loop, is_inside, statements
from linter.semantic.escapes import references
from linter.semantic.flow import function_graph
from linter.source import GoFile, Package, captures, query

_CALLS = query("(call_expression) @call")


def max_on_a_path(package: Package, go_file: GoFile, function: Node, ops: list[Node]) -> float:
    """How many of `ops` one run of `function` can execute at most (UNBOUNDED: a loop
    repeats them). A `range` over a channel (a `for` statement among `ops`) counts at its
    loop head, once per pass."""
    graph = function_graph(package, go_file, function) if ops else None
    if graph is None:
        return 0
    return _OpCount(go_file, graph, function, ops).most()


class _OpCount:
    def __init__(self, go_file: GoFile, graph: Graph, function: Node, ops: list[Node]) -> None:
        self.go_file = go_file
        self.graph = graph
        self.body = function.child_by_field_name("body")
        self.ranges = [(op.start_byte, op.end_byte) for op in ops]
        self.ranged = {op.id for op in ops if op.type == "for_statement"}
        self.weights: dict[int, float] = {}
        self.goes_on: dict[int, bool] = {}
        for block in graph.blocks:
            nodes, goes_on = weighed_nodes(go_file, block)
            weight = sum(self.count(node) for node in nodes) + self.count(case_part(block))
            head = block.kind in (BlockKind.RANGE_LOOP, BlockKind.FOR_LOOP)
            if head and block.stmt is not None and block.stmt.id in self.ranged:
                weight += 1  # `for v := range ch`: one receive per pass
            self.weights[block.index] = weight
            self.goes_on[block.index] = goes_on

    def count(self, node: Node | None) -> float:
        if node is None:
            return 0
        return sum(1 for s, e in self.ranges if node.start_byte <= s and e <= node.end_byte)

    def most(self) -> float:
        """The longest path from the entry, with each run-once block counted apart, once."""
        entry = self.graph.blocks[0]
        regions = self.once_regions(self.reach(entry, lambda _: True))
        owner: dict[int, int] = {}
        for stmt_id, (_, blocks, _) in sorted(regions.items(), key=lambda r: -r[1][2]):
            for index in blocks:
                owner[index] = stmt_id  # smaller regions last: the innermost one owns a block
        total = self.longest(entry, lambda _: True, lambda b: b.index not in owner)
        for stmt_id, (then, blocks, _) in regions.items():
            inner = self.longest(
                then, lambda b, r=blocks: b.index in r, lambda b, s=stmt_id: owner[b.index] == s
            )
            total += max(inner, 0)
        return total

    def once_regions(self, reachable: set[int]) -> dict[int, tuple[Block, set[int], int]]:
        """The then-block, the blocks and the size of each consequence that runs at most
        once per run (see `_runs_once` and `_runs_for_one_index`), by its `if` statement."""
        regions: dict[int, tuple[Block, set[int], int]] = {}
        for block in self.graph.blocks:
            stmt = block.stmt
            if block.index not in reachable or block.kind is not BlockKind.IF_THEN or stmt is None:
                continue
            consequence = stmt.child_by_field_name("consequence")
            if consequence is None or not self.count(consequence) or self.body is None:
                continue
            if _runs_once(self.go_file, self.body, stmt) or _runs_for_one_index(
                self.go_file, self.body, stmt
            ):
                blocks = self.reach(block, lambda b, c=consequence: block_inside(b, c))
                regions[stmt.id] = (block, blocks, consequence.end_byte - consequence.start_byte)
        return regions

    def reach(self, start: Block, allowed: Callable[[Block], bool]) -> set[int]:
        seen = {start.index}
        stack = [start]
        while stack:
            block = stack.pop()
            if not self.goes_on[block.index]:
                continue
            for following in block.succs:
                if following.index not in seen and allowed(following):
                    seen.add(following.index)
                    stack.append(following)
        return seen

    def longest(
        self, start: Block, allowed: Callable[[Block], bool], counted: Callable[[Block], bool]
    ) -> float:
        """The most operations on a path from `start` through `allowed` blocks, counting the
        `counted` ones; UNBOUNDED when a cycle holds one."""
        components = _components(start, lambda b: self.edges(b, allowed))
        best: dict[int, float] = {}
        component_of = {index: n for n, members in enumerate(components) for index in members}
        for n, members in enumerate(components):  # successors' components come first
            weight = sum(self.weights[i] for i in members if counted(self.graph.blocks[i]))
            cyclic = len(members) > 1 or any(
                f.index == members[0] for f in self.edges(self.graph.blocks[members[0]], allowed)
            )
            if cyclic and weight:
                return UNBOUNDED
            after = (
                best[component_of[f.index]]
                for i in members
                for f in self.edges(self.graph.blocks[i], allowed)
                if component_of[f.index] != n
            )
            best[n] = weight + max(after, default=0)
        return best[component_of[start.index]]

    def edges(self, block: Block, allowed: Callable[[Block], bool]) -> list[Block]:
        if not self.goes_on[block.index]:
            return []
        return [f for f in block.succs if allowed(f)]


def _components(start: Block, edges: Callable[[Block], list[Block]]) -> list[list[int]]:
    """The strongly connected components reachable from `start` (Tarjan, without recursion),
    each listed after every component it leads to."""
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    on_stack: set[int] = set()
    stack: list[int] = []
    found: list[list[int]] = []
    work: list[tuple[Block, list[Block], int]] = [(start, edges(start), 0)]
    index[start.index] = low[start.index] = 0
    stack.append(start.index)
    on_stack.add(start.index)
    while work:
        block, following, position = work.pop()
        if position < len(following):
            work.append((block, following, position + 1))
            child = following[position]
            if child.index not in index:
                index[child.index] = low[child.index] = len(index)
                stack.append(child.index)
                on_stack.add(child.index)
                work.append((child, edges(child), 0))
            elif child.index in on_stack:
                low[block.index] = min(low[block.index], index[child.index])
            continue
        if low[block.index] == index[block.index]:
            members: list[int] = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                members.append(member)
                if member == block.index:
                    break
            found.append(members)
        if work:
            parent = work[-1][0]
            low[parent.index] = min(low[parent.index], low[block.index])
    return found


def _runs_once(go_file: GoFile, body: Node, stmt: Node) -> bool:
    """`if first { ...; first = false }` (or `if !sent { ...; sent = true }`, also as one
    side of an `&&`: `if !sent && match(l)`, or tested by an enclosing if: `if !sent { if
    match(l) { ...; sent = true } }`) with no else, no jump out of the block, and a flag
    declared outside every loop around it and assigned nowhere else: the block runs at most
    once per run of the function."""
    condition = stmt.child_by_field_name("condition")
    consequence = stmt.child_by_field_name("consequence")
    if condition is None or consequence is None or stmt.child_by_field_name("alternative"):
        return False
    return any(
        _latches(go_file, body, stmt, test, consequence) for test in _guarding_tests(stmt, body)
    )


def _guarding_tests(stmt: Node, body: Node) -> list[Node]:
    """The tests that must hold for `stmt`'s block to run: the conjuncts of its condition and
    of the conditions of the ifs (without else) whose block holds it, up to `body`."""
    tests = _conjuncts(stmt.child_by_field_name("condition"))
    child, current = stmt, stmt.parent
    while current is not None and current.id != body.id and current.type not in FUNCTION_TYPES:
        if (
            current.type == "if_statement"
            and current.child_by_field_name("consequence") == child
            and current.child_by_field_name("alternative") is None
        ):
            tests.extend(_conjuncts(current.child_by_field_name("condition")))
        child, current = current, current.parent
    return tests


def _conjuncts(condition: Node) -> list[Node]:
    """`a && b && c` -> [a, b, c] (parentheses looked through); anything else -> [it]."""
    while condition.type == "parenthesized_expression" and condition.named_children:
        condition = condition.named_children[0]
    operator = condition.child_by_field_name("operator")
    if condition.type == "binary_expression" and operator is not None and operator.type == "&&":
        left, right = condition.child_by_field_name("left"), condition.child_by_field_name("right")
        return _conjuncts(left) + _conjuncts(right)
    return [condition]


def _latches(go_file: GoFile, body: Node, stmt: Node, condition: Node, consequence: Node) -> bool:
    """Is `condition` (one test guarding `stmt`'s block) a flag that the block resets once?"""
    negated = condition.type == "unary_expression" and go_file.text(condition).startswith("!")
    flag = condition.child_by_field_name("operand") if negated else condition
    if flag is None or flag.type != "identifier":
        return False
    name, reset = go_file.text(flag), "true" if negated else "false"
    inner = statements(consequence)
    if any(
        s.type in ("return_statement", "break_statement", "continue_statement", "goto_statement")
        for s in inner
    ):
        return False
    resets = [
        s
        for s in inner
        if s.type == "assignment_statement"
        and re.fullmatch(rf"{re.escape(name)}\s*=\s*{reset}", go_file.text(s))
    ]
    if len(resets) != 1:
        return False
    declarations = 0
    for ref in references(go_file, body, name):
        if is_inside(ref, condition) or is_inside(ref, resets[0]):
            continue
        use = channel_use(go_file, ref)  # BIND: assigned; ESCAPE: `&flag` and the like
        if use is ChannelUse.ESCAPE:
            return False
        if use is ChannelUse.BIND:
            declaration = ref.parent.parent if ref.parent is not None else None
            if declaration is None or declaration.type not in (
                "short_var_declaration",
                "var_declaration",
                "var_spec_list",
            ):
                return False
            loop = inside_loop(declaration)
            while loop is not None:
                if is_inside(stmt, loop):
                    return False  # declared afresh on every pass of a loop around the if
                loop = inside_loop(loop)
            declarations += 1
    return declarations == 1


# `i++`, `i -= 2`, `i = 0`, `&i`: the index changed (or possibly changed) outside the header.
_ASSIGNED = r"(?<![\w.]){}\s*(\+\+|--|[-+*/%&|^]?=(?!=))|&\s*{}\b"
_INDEX_STEPS = re.compile(r"^(\w+)(\+\+|--|\s*[-+]=\s*[1-9]\d*)$")


def _runs_for_one_index(go_file: GoFile, body: Node, stmt: Node) -> bool:
    """`for i := 0; i < n; i++ { ...; if i == n/2 { half <- true } }` (or `for i := range
    items`): the index takes each value once, so a block guarded by `i == E`, where nothing
    in the loop changes `i` or `E` (only names, literals, `len`/`cap`), runs at most once. The
    loop must be the innermost one around the `if` and itself outside any other loop."""
    condition = stmt.child_by_field_name("condition")
    loop = inside_loop(stmt)
    if condition is None or loop is None or not is_inside(loop, body) or inside_loop(loop):
        return False
    if stmt.child_by_field_name("alternative") is not None or condition.type != "binary_expression":
        return False
    operator = condition.child_by_field_name("operator")
    if operator is None or go_file.text(operator) != "==":
        return False
    index = _loop_index(go_file, loop)
    sides = [condition.child_by_field_name(f) for f in ("left", "right")]
    names = [go_file.text(s) if s is not None and s.type == "identifier" else None for s in sides]
    if index is None or index not in names or any(s is None for s in sides):
        return False
    bound = sides[1 - names.index(index)]
    inner = statements(stmt.child_by_field_name("consequence"))
    if any(s.type in ("return_statement", "break_statement", "goto_statement") for s in inner):
        return False
    return _is_fixed_in(go_file, loop.child_by_field_name("body"), bound, index)


def _loop_index(go_file: GoFile, loop: Node) -> str | None:
    """The variable a `for i := a; cond; i++` clause steps, or the index (key) of a range
    over anything but a channel we can see made here."""
    for child in loop.named_children:
        if child.type == "for_clause":
            update = child.child_by_field_name("update")
            match = _INDEX_STEPS.match(go_file.text(update)) if update is not None else None
            return match.group(1) if match is not None else None
        if child.type == "range_clause":
            left = child.child_by_field_name("left")
            right = child.child_by_field_name("right")
            keys = left.named_children if left is not None else []
            if not keys or keys[0].type != "identifier" or right is None:
                return None
            if len(keys) == 1 and right.type == "identifier" and local_channel(go_file, right):
                return None  # `for v := range ch`: values may repeat
            return go_file.text(keys[0])
    return None


def _is_fixed_in(go_file: GoFile, loop_body: Node | None, bound: Node, index: str) -> bool:
    """Neither the index nor any name in `bound` is assigned in the loop body, and `bound`
    calls nothing but `len`/`cap`."""
    if loop_body is None:
        return False
    for call in captures(_CALLS, bound).get("call", []):
        callee = call.child_by_field_name("function")
        if callee is None or go_file.text(callee) not in ("len", "cap"):
            return False
    text = go_file.text(loop_body)
    names = {index} | {go_file.text(i) for i in captures(_IDENTIFIERS, bound).get("id", [])}
    return not any(re.search(_ASSIGNED.format(re.escape(n), re.escape(n)), text) for n in names)
