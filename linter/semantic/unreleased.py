"""Exits a value reaches unreleased: a search over the function's control-flow graph.

The graph (`semantic.flow.function_graph`) already knows every way control moves: branches,
loops, `break`, `continue`, `goto`, `fallthrough`, calls that never return. The search adds
what a release needs on top of it: which nodes release the value, which branch of an error
check cannot hold it, which loops release it by ending, and when a loop's next iteration
replaces it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tree_sitter import Node

from linter.semantic.blocks import block_inside, case_part, loops, weighed_nodes
from linter.semantic.cfg import Block, BlockKind, Graph
from linter.semantic.core import _CASE_TYPES, FUNCTION_TYPES
from linter.semantic.exits import Exit, ExitKind
from linter.semantic.flow import function_graph
from linter.semantic.guards import is_nil_check
from linter.semantic.paths import Unusable, assigns_name, error_guard, is_endless_loop
from linter.source import GoFile, Package

_LOOP_HEADS = (BlockKind.FOR_LOOP, BlockKind.RANGE_LOOP)
_LOOP_ENDS = (BlockKind.FOR_DONE, BlockKind.RANGE_DONE)
_IF_BRANCHES = (BlockKind.IF_THEN, BlockKind.IF_ELSE, BlockKind.IF_DONE)
# Statements whose header may declare a variable for themselves alone (`if err := f(); ...`).
_HEADERS = ("if_statement", "expression_switch_statement", "type_switch_statement", "for_clause")


def exits_without_release(
    package: Package,
    go_file: GoFile,
    function: Node,
    binding_statement: Node,
    releases: list[Node],
    error_name: str | None = None,
    ends: list[Node] | None = None,
    name: str | None = None,
) -> list[Exit]:
    """Exits reachable after `binding_statement` on which none of `releases` ran.

    ```go
    f, err := os.Open(p)   // binding_statement
    if err != nil {
            return err     // not an exit: f is unusable where err is set
    }
    if bad(f) {
            return errBad  // an exit: nothing released f
    }
    defer f.Close()        // a release: every path through it is done
    ```
    A release counts where a node evaluated on the path contains it (a `defer`, a deferred
    closure, `return tx.Commit()`); a `go` statement only when it is itself a release (the
    goroutine takes the value over). A terminating call (`semantic.is_terminating_call`:
    panic, os.Exit, t.Fatal, Ginkgo's Fail) ends its path, as do the calls the graph knows
    never return. While `error_name` still holds the binding's error, the branch of an `if`
    (or a tagless `switch` case) on which the value is unusable is not followed (see
    `error_guard`); nor is the branch of `if name == nil` (`name` holding the value). The
    loops in `ends` release the value when they end normally (`for
    rows.Next() { ... }` run to its end); an endless loop (`is_endless_loop`) never ends.

    A value bound inside a loop must be released before the next iteration binds it again:
    if it comes round to `binding_statement` unreleased, the loop is an exit of kind
    NEXT_ITERATION and nothing after the loop is followed. When every way round releases it
    first (`t.Stop(); t = time.NewTicker(d)`), the new value is followed through every exit
    of the loop. Exits come in the order a reader meets them: this iteration's in source
    order, then the next iteration's, then the loop, then those after it.
    """
    header = binding_statement.parent
    if (
        header is not None
        and header.type == "if_statement"
        and header.child_by_field_name("initializer") != binding_statement
    ):
        return []  # bound in the condition itself: there is nothing to follow
    graph = function_graph(package, go_file, function)
    located = graph.block_of(binding_statement) if graph is not None else None
    if graph is None or located is None:
        return []
    search = _Search(go_file, graph, located, releases, (error_name, name), ends or [])
    return search.run(_enclosing_loops(binding_statement, function))


def _enclosing_loops(statement: Node, function: Node) -> list[Node]:
    """The `for` statements whose body holds `statement`, innermost first."""
    loops = []
    current = statement
    while current.parent is not None and current.id != function.id:
        parent = current.parent
        if parent.type in FUNCTION_TYPES:
            break
        if parent.type == "for_statement" and current.type == "block":
            loops.append(parent)
        current = parent
    return loops


# Where a path goes next, and whether the error guard still applies on it.
_Entry = tuple[Block, bool]


@dataclass
class _Found:
    """What one search over part of the graph met: exits reached unreleased, arrivals at the
    loop's next iteration, the blocks after the loop, and whether the binding came round."""

    exits: list[Node] = field(default_factory=list)
    next_iteration: list[_Entry] = field(default_factory=list)
    leaving: list[_Entry] = field(default_factory=list)
    rebound: bool = False


class _Search:
    """Paths from the binding over the graph, with whether `err` still holds its error.

    A path's state is its block and whether the error guard still applies (`error_live`:
    true until the error variable is assigned again, `n, err := f.Read(b)`), so each block is
    searched at most twice.
    """

    def __init__(
        self,
        go_file: GoFile,
        graph: Graph,
        binding: tuple[Block, int],
        releases: list[Node],
        names: tuple[str | None, str | None],
        ends: list[Node],
    ) -> None:
        self.go_file = go_file
        self.binding_block, self.binding_position = binding
        self.binding = self.binding_block.nodes[self.binding_position]
        self.release_ranges = [(r.start_byte, r.end_byte) for r in releases]
        self.error_name, self.name = names
        self.ends = {loop.id for loop in ends}
        self.seen: set[tuple[int, bool]] = set()
        self.endless_loops: dict[int, bool] = {}
        self.continue_targets = {loop.stmt.id: loop.cont for loop in loops(graph).values()}

    def run(self, enclosing: list[Node]) -> list[Exit]:
        """Search level by level: inside each enclosing loop (innermost first), then the rest
        of the function."""
        first = (self.binding_block, self.binding_position + 1, self.error_name is not None)
        found = self.search([], enclosing[0] if enclosing else None, first=first)
        exits = _in_order(found.exits)
        for index, loop in enumerate(enclosing):
            if found.next_iteration:
                again = self.search(found.next_iteration, loop, round_again=True)
                exits += _in_order(again.exits, exits)
                if again.rebound:
                    return [*exits, Exit(loop, ExitKind.NEXT_ITERATION)]
                found.leaving += again.leaving
            outer = enclosing[index + 1] if index + 1 < len(enclosing) else None
            found = self.search(found.leaving, outer)
            exits += _in_order(found.exits, exits)
        return exits

    def search(
        self,
        entries: list[_Entry],
        loop: Node | None,
        first: tuple[Block, int, bool] | None = None,
        round_again: bool = False,
    ) -> _Found:
        """Follow the paths from `entries` (and from `first`, a block entered part-way), inside
        `loop` (the whole function when None). Arrivals at the loop's next iteration are kept
        for the caller unless `round_again` (searching that next iteration itself)."""
        found = _Found()
        stack: list[tuple[Block, int, bool]] = [first] if first is not None else []
        next_iteration = self.continue_targets.get(loop.id) if loop is not None else None

        def follow(target: Block, live: bool) -> None:
            if loop is not None and not round_again and target is next_iteration:
                found.next_iteration.append((target, live))
            elif loop is not None and not block_inside(target, loop):
                found.leaving.append((target, live))
            else:
                stack.append((target, 0, live))

        for target, live in entries:
            follow(target, live)
        while stack:
            block, position, live = stack.pop()
            if position == 0 and block is self.binding_block:
                # Round to the binding again: unreleased if nothing before it releases it. A
                # `goto` back to it outside a loop ends the path (the same walk from there on).
                state = self.scan(block, 0, live, until_binding=True)
                found.rebound = found.rebound or (state is not None and round_again)
                continue
            if position == 0:
                if (block.index, live) in self.seen:
                    continue
                self.seen.add((block.index, live))
            state = self.scan(block, position, live)
            if state is None:
                continue  # released, or the path ended
            if block.exit is not None:
                found.exits.append(block.exit)
                continue
            for index, successor in enumerate(block.succs):
                if self.taken(block, index, successor, state):
                    follow(successor, state)
        return found

    def scan(
        self, block: Block, start: int, live: bool, until_binding: bool = False
    ) -> bool | None:
        """Run the block's nodes from `start` (case headers are left to their case, see
        `taken`), or only up to the binding: None when one releases the value or ends the
        path (`panic`, `t.Fatal`, Ginkgo's `Fail`, see `semantic.is_terminating_call`), else
        whether the error guard still applies after them."""
        nodes, goes_on = weighed_nodes(self.go_file, block, start)
        for node in nodes:
            if until_binding and node.id == self.binding.id:
                return live
            if self.releases(node):
                return None
            if live and self.reassigns_error(node):
                live = False
        return live if goes_on and not until_binding else None

    def releases(self, node: Node) -> bool:
        """Does evaluating `node` release the value? A `go` statement only when it takes the
        value over: a release inside the goroutine is not one on this path."""
        if node.type == "go_statement":
            return (node.start_byte, node.end_byte) in self.release_ranges
        return self.contains_release(node)

    def contains_release(self, node: Node) -> bool:
        start, end = node.start_byte, node.end_byte
        return any(start <= s and e <= end for s, e in self.release_ranges)

    def reassigns_error(self, node: Node) -> bool:
        """`n, err := f.Read(b)`: the error variable no longer holds the binding's error. A
        `:=` in an if/switch/for header declares a new one for that statement only."""
        if not assigns_name(self.go_file, node, self.error_name):
            return False
        scoped = node.parent is not None and node.parent.type in _HEADERS
        return not (scoped and node.type == "short_var_declaration")

    def taken(self, block: Block, index: int, successor: Block, live: bool) -> bool:
        """Is the edge from `block` to its `index`-th successor followed? Not into a branch
        where the value is unusable, not out of a loop that releases it by ending or never
        ends, not into a case whose header releases it (`case <-t.C:`)."""
        header = case_part(successor)
        if header is not None and self.contains_release(header):
            return False
        if block.kind in _LOOP_HEADS and successor.kind in _LOOP_ENDS:
            loop = successor.stmt
            if loop is not None and (loop.id in self.ends or self.endless(loop)):
                return False
        if not block.nodes:
            return True
        return self.guard(block.nodes[-1], successor, live) is not _unusable_edge(index)

    def guard(self, condition: Node, successor: Block, live: bool) -> Unusable:
        """Which branch after `condition` (an if's condition, or a tagless switch's case
        value) runs only when the value is unusable: nil, or its error set while `live`."""
        if successor.kind in _IF_BRANCHES:
            statement = successor.stmt
            tested = statement.child_by_field_name("condition") if statement else None
            if tested is None or tested.id != condition.id:
                return Unusable.NEITHER
            if self.name is not None and is_nil_check(self.go_file, condition, self.name):
                return Unusable.THEN
            if not live:
                return Unusable.NEITHER
            initializer = statement.child_by_field_name("initializer")
            if (
                initializer is not None
                and initializer.id != self.binding.id
                and assigns_name(self.go_file, initializer, self.error_name)
            ):
                return Unusable.NEITHER  # `if err := f.Sync(); err != nil`: another error
            return error_guard(self.go_file, condition, self.error_name)
        values = case_part(successor) if live else None
        if (
            values is not None
            and condition.parent is not None
            and condition.parent.id == values.id
            and _is_tagless(successor.stmt.parent)
            and any(
                error_guard(self.go_file, v, self.error_name) is Unusable.THEN
                for v in values.named_children
            )
        ):
            return Unusable.THEN  # `switch { case err != nil: ... }`
        return Unusable.NEITHER

    def endless(self, loop: Node) -> bool:
        known = self.endless_loops.get(loop.id)
        if known is None:
            known = self.endless_loops[loop.id] = is_endless_loop(self.go_file, loop)
        return known


def _unusable_edge(index: int) -> Unusable:
    """The branch a condition block's `index`-th edge takes: then first, else second."""
    return Unusable.THEN if index == 0 else Unusable.ELSE


def _is_tagless(switch: Node | None) -> bool:
    """`switch { case err != nil: ... }`: nothing but cases."""
    return (
        switch is not None
        and switch.type == "expression_switch_statement"
        and all(c.type in _CASE_TYPES for c in switch.named_children)
    )


def _in_order(nodes: list[Node], known: list[Exit] = ()) -> list[Exit]:
    """Exit nodes not among `known`, in source order: return statements, and the body's
    closing brace for the end of the function."""
    fresh = {n.id: n for n in nodes if all(e.node.id != n.id for e in known)}
    return [
        Exit(node, ExitKind.FUNCTION_END if node.type == "}" else ExitKind.RETURN)
        for node in sorted(fresh.values(), key=lambda n: n.start_byte)
    ]
