"""Which paths reach an exit: questions asked of a function's control-flow graph.

The graph (`semantic.cfg`, a port of go/cfg) is built once per function and kept with the
package's facts, beside the package's answer to "which calls never return" that shapes it.
"""

from __future__ import annotations

from bisect import bisect_left

from tree_sitter import Node

from linter.semantic.bindings import named_results
from linter.semantic.cfg import Block, Graph, ReturnOracle
from linter.semantic.core import is_inside
from linter.semantic.escapes import references
from linter.semantic.exits import Exit, ExitKind
from linter.semantic.facts import package_fact
from linter.semantic.scopes import is_shadowed
from linter.source import GoFile, Package


def function_graph(package: Package, go_file: GoFile, function: Node) -> Graph | None:
    """The control-flow graph of `function` (a declaration, method or literal of `package`),
    built once per check; None without a body."""
    return _return_oracle(package).graph(go_file, function)


@package_fact
def _return_oracle(package: Package) -> ReturnOracle:
    """Which calls of the package can return, with the graphs it built to find out."""
    return ReturnOracle(package)


def exits_without_mention(
    package: Package, go_file: GoFile, function: Node, statement: Node, name: str, scope: Node
) -> list[Exit]:
    """Every exit of `function` reachable from `statement` on a path that never mentions the
    variable `name` declared in `scope` (go vet's lostcancel search, every exit instead of
    the first).

    ```go
    ctx, cancel := context.WithTimeout(ctx, d)  // statement
    if err != nil {
            return err        // an exit without a mention of cancel
    }
    defer cancel()            // a mention: paths through here are done
    ```
    Any reference counts (a call, a defer, handing it over, a closure that names it); a
    naked return mentions a named result. Exits are returns and the end of the function.
    """
    graph = function_graph(package, go_file, function)
    located = graph.block_of(statement) if graph is not None else None
    if located is None:
        return []
    defining, position = located
    mentions = _Mentions(go_file, function, name, scope)
    if mentions.in_nodes(defining.nodes[position + 1 :]):
        return []
    if defining.exit is not None:
        return [_exit(function, defining.exit)]
    found: list[Node] = []
    seen: set[int] = set()
    stack: list[Block] = list(reversed(defining.succs))
    while stack:
        block = stack.pop()
        if block.index in seen:
            continue
        seen.add(block.index)
        if mentions.in_nodes(block.nodes):
            continue
        if block.exit is not None:
            found.append(block.exit)
            continue
        stack.extend(reversed(block.succs))
    return [_exit(function, node) for node in sorted(found, key=lambda node: node.start_byte)]


def _exit(function: Node, node: Node) -> Exit:
    body = function.child_by_field_name("body")
    is_end = body is not None and node.type == "}" and node.parent == body
    return Exit(node, ExitKind.FUNCTION_END if is_end else ExitKind.RETURN)


class _Mentions:
    """Where the variable is mentioned, so a block's nodes can be tested by byte range."""

    def __init__(self, go_file: GoFile, function: Node, name: str, scope: Node) -> None:
        body = function.child_by_field_name("body")
        self.starts = sorted(
            ref.start_byte
            for ref in references(go_file, body, name)
            if is_inside(ref, scope) and not is_shadowed(go_file, ref, scope)
        )
        self.naked_return_mentions = scope.id == function.id and name in named_results(
            go_file, function
        )

    def in_nodes(self, nodes: list[Node]) -> bool:
        for node in nodes:
            index = bisect_left(self.starts, node.start_byte)
            if index < len(self.starts) and self.starts[index] < node.end_byte:
                return True
            if self.naked_return_mentions and _is_naked_return(node):
                return True
        return False


def _is_naked_return(node: Node) -> bool:
    return node.type == "return_statement" and not any(
        c.type == "expression_list" for c in node.named_children
    )
