"""Reading a function's control-flow graph for counts: where a block sits in the source,
which nodes a count weighs in it, and which blocks make each `for` loop.

go/cfg evaluates every select case's communication before choosing one, and tests case
values in a chain of blocks; a count of channel operations wants each counted only on the
path through its own case. A call that ends the goroutine by name (`t.Fatal` on a
receiver whose type is unknown, `logger.Fatalf`) ends a path as the graph's no-return calls
do.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from tree_sitter import Node

from linter.semantic.cfg import Block, BlockKind, Graph
from linter.semantic.channels import is_terminating_call
from linter.source import GoFile

_CASE_BODIES = (BlockKind.SWITCH_CASE_BODY, BlockKind.SELECT_CASE_BODY)
_DONE_KINDS = (
    BlockKind.IF_DONE,
    BlockKind.FOR_DONE,
    BlockKind.RANGE_DONE,
    BlockKind.SWITCH_DONE,
    BlockKind.SELECT_DONE,
)


def anchor(block: Block) -> int | None:
    """A byte offset where the block's code stands: its first node, else where the statement
    that made it puts it (a then-branch in its consequence, a `done` block just after the
    statement); None for a block with neither (the entry of an empty body, dead blocks)."""
    if block.nodes:
        return block.nodes[0].start_byte
    stmt = block.stmt
    if stmt is None:
        return None
    if block.kind in _DONE_KINDS:
        return stmt.end_byte
    part = {
        BlockKind.IF_THEN: "consequence",
        BlockKind.IF_ELSE: "alternative",
        BlockKind.FOR_BODY: "body",
        BlockKind.RANGE_BODY: "body",
    }.get(block.kind)
    child = stmt.child_by_field_name(part) if part is not None else None
    return (child or stmt).start_byte


def block_inside(block: Block, source: Node) -> bool:
    """Does the block's code stand inside `source` (a block or case clause)?"""
    position = anchor(block)
    return position is None or source.start_byte <= position < source.end_byte


def case_part(block: Block) -> Node | None:
    """The communication (`v := <-ch`) or value list of the case whose body `block` is: what
    a count adds on entering that case."""
    if block.kind not in _CASE_BODIES or block.stmt is None:
        return None
    return block.stmt.child_by_field_name("communication") or block.stmt.child_by_field_name(
        "value"
    )


def _is_case_part(node: Node) -> bool:
    parent = node.parent
    if parent is None:
        return False
    if parent.type == "communication_case":
        return True
    return (
        parent.type == "expression_list"
        and parent.parent is not None
        and parent.parent.type == "expression_case"
    )


def weighed_nodes(go_file: GoFile, block: Block, start: int = 0) -> tuple[list[Node], bool]:
    """The nodes from `start` on whose operations count in `block` (case communications and
    values left to their case's body, see `case_part`), up to and including a call that ends
    the goroutine; and whether the path goes on after them."""
    weighed: list[Node] = []
    for node in block.nodes[start:]:
        if _is_case_part(node):
            continue
        weighed.append(node)
        if _ends_path(go_file, node):
            return weighed, False
    return weighed, True


def _ends_path(go_file: GoFile, node: Node) -> bool:
    expr = node.named_children[0] if node.type == "expression_statement" else None
    return (
        expr is not None and expr.type == "call_expression" and is_terminating_call(go_file, expr)
    )


def reverse_postorder(graph: Graph) -> dict[int, int]:
    """Each reachable block's position in reverse postorder from the entry: every block comes
    after the blocks that lead to it, except along a loop's way back."""
    order: list[int] = []
    seen: set[int] = set()
    stack: list[tuple[Block, Iterator[Block]]] = [(graph.blocks[0], iter(graph.blocks[0].succs))]
    seen.add(0)
    while stack:
        block, pending = stack[-1]
        following = next(pending, None)
        if following is None:
            stack.pop()
            order.append(block.index)
        elif following.index not in seen:
            seen.add(following.index)
            stack.append((following, iter(following.succs)))
    return {index: position for position, index in enumerate(reversed(order))}


@dataclass(frozen=True)
class Loop:
    """A `for` statement's blocks: where paths come in (`head`), its body, where the end of
    the body and `continue` go (`cont`), and where it ends (`done`, None for a `for {}`
    whose end nothing reaches)."""

    stmt: Node
    head: Block
    body: Block
    cont: Block
    done: Block | None


_LOOP_KINDS = (
    BlockKind.FOR_LOOP,
    BlockKind.FOR_BODY,
    BlockKind.FOR_POST,
    BlockKind.FOR_DONE,
    BlockKind.RANGE_LOOP,
    BlockKind.RANGE_BODY,
    BlockKind.RANGE_DONE,
)


def loops(graph: Graph) -> dict[int, Loop]:
    """The graph's `for` loops by the index of their head block."""
    parts: dict[int, dict[BlockKind, Block]] = {}
    for block in graph.blocks:
        if block.kind in _LOOP_KINDS and block.stmt is not None:
            parts.setdefault(block.stmt.id, {})[block.kind] = block
    loops: dict[int, Loop] = {}
    for kinds in parts.values():
        body = kinds.get(BlockKind.FOR_BODY) or kinds.get(BlockKind.RANGE_BODY)
        if body is None or body.stmt is None:
            continue
        head = kinds.get(BlockKind.RANGE_LOOP) or kinds.get(BlockKind.FOR_LOOP) or body
        cont = kinds.get(BlockKind.FOR_POST) or head
        done = kinds.get(BlockKind.FOR_DONE) or kinds.get(BlockKind.RANGE_DONE)
        loops[head.index] = Loop(body.stmt, head, body, cont, done)
    return loops


def loop_header(loop: Node) -> list[Node]:
    """A `for` statement's clause or condition: everything but its body."""
    body = loop.child_by_field_name("body")
    return [
        c for c in loop.named_children if c.type != "comment" and (body is None or c.id != body.id)
    ]
