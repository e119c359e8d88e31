"""Control-flow graph of one function body, after golang.org/x/tools/go/cfg.

`break`, `continue`, `goto`, `fallthrough` and loop back-edges need a real graph. GLK402 must
flag every statement `go vet`'s lostcancel flags, and lostcancel searches exactly this graph,
so the builder is a faithful port: same blocks, same node lists, same edges. Rules do not
build or search graphs: they ask the questions in `semantic.flow`. A block's `nodes` are the
statements and expressions evaluated in it (conditions, case values, range operands, simple
statements); nested statements live in their own blocks. `exit` is set on a block that
leaves the function: its return statement, or the closing brace when control falls off the
end of the body (go/cfg's synthetic return).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

from tree_sitter import Node

from linter.semantic.core import NO_RETURN_CALLS, calls_to, case_statements, specs_of, statements
from linter.semantic.types import value_type_name
from linter.source import GoFile, Package

_SIMPLE_STATEMENTS = frozenset(
    {
        "send_statement",
        "inc_statement",
        "dec_statement",
        "go_statement",
        "defer_statement",
        "empty_statement",
        "assignment_statement",
        "short_var_declaration",
        "receive_statement",
    }
)
_BRANCH_STATEMENTS = frozenset(
    {"break_statement", "continue_statement", "goto_statement", "fallthrough_statement"}
)


class BlockKind(Enum):
    """Why the builder made a block: go/cfg's BlockKind, so a walk can tell a loop's head from
    its body or an `if`'s then-branch from its else without re-reading the tree."""

    BODY = "body"
    UNREACHABLE = "unreachable"
    LABEL = "label"
    IF_THEN = "if.then"
    IF_ELSE = "if.else"
    IF_DONE = "if.done"
    FOR_LOOP = "for.loop"
    FOR_BODY = "for.body"
    FOR_POST = "for.post"
    FOR_DONE = "for.done"
    RANGE_LOOP = "range.loop"
    RANGE_BODY = "range.body"
    RANGE_DONE = "range.done"
    SWITCH_CASE_BODY = "switch.body"
    SWITCH_NEXT_CASE = "switch.next"
    SWITCH_DONE = "switch.done"
    SELECT_CASE_BODY = "select.body"
    SELECT_AFTER_CASE = "select.next"
    SELECT_DONE = "select.done"


@dataclass(eq=False)
class Block:
    """A basic block: `nodes` run in order, then control goes to one of `succs`.

    `kind` and `stmt` say which statement made the block and why (go/cfg's Kind and Stmt):
    the `if`, `for`, `switch` or `select` statement, the case clause of a case body, the
    labeled statement of a label. The condition block of an `if` or a loop has the then-
    or body-block first in `succs`. `branch` is the jump statement that ends the block, if
    one does (go/cfg keeps it out of `nodes`; a walk needs it to say where a path left).
    """

    index: int
    kind: BlockKind = BlockKind.BODY
    stmt: Node | None = None
    nodes: list[Node] = field(default_factory=list)
    succs: list[Block] = field(default_factory=list)
    exit: Node | None = None
    branch: Node | None = None  # the break, continue, goto or fallthrough that ends it
    live: bool = False
    returns: bool = False  # go/cfg: a return, or a defer (whose recover may return)


@dataclass(eq=False)
class _Label:
    goto: Block
    break_: Block | None = None
    continue_: Block | None = None


@dataclass(eq=False)
class _Targets:
    break_: Block | None = None
    continue_: Block | None = None
    fallthrough: Block | None = None


@dataclass
class Graph:
    """The blocks of one function body; `blocks[0]` is the entry."""

    blocks: list[Block]

    @property
    def never_returns(self) -> bool:
        """No reachable return (or defer): go/cfg's NoReturn, which ctrlflow turns into facts."""
        return not any(block.live and block.returns for block in self.blocks)

    def block_of(self, node: Node) -> tuple[Block, int] | None:
        """The block holding `node` among its nodes, and its index there."""
        for block in self.blocks:
            for position, candidate in enumerate(block.nodes):
                if candidate.id == node.id:
                    return block, position
        return None


def build(body: Node, may_return: Callable[[Node], bool]) -> Graph:
    """The graph of a function body (a `block` node).

    `may_return(call)` tells whether a call used as a statement can return; after one that
    cannot (panic, os.Exit, log.Fatal, t.Fatal), the rest of the block is unreachable.
    """
    builder = _Builder(may_return)
    builder.current = builder.new_block(BlockKind.BODY)
    builder.statement(body)
    _mark_live(builder.blocks)
    if builder.current is not None and builder.current.live:
        builder.current.exit = closing_brace(body)
        builder.current.returns = True
    return Graph(builder.blocks)


def closing_brace(block: Node) -> Node:
    """Where control falls off the end of a block: the node reports name for "the end of
    the function" or "of the iteration"."""
    last = block.children[-1] if block.children else block
    return last if last.type == "}" else block


def _mark_live(blocks: list[Block]) -> None:
    stack = [blocks[0]]
    while stack:
        block = stack.pop()
        if not block.live:
            block.live = True
            stack.extend(block.succs)


class _Builder:
    def __init__(self, may_return: Callable[[Node], bool]) -> None:
        self.may_return = may_return
        self.blocks: list[Block] = []
        self.current: Block | None = None
        self.labels: dict[str, _Label] = {}
        self.targets: list[_Targets] = []

    # -- primitives ------------------------------------------------------------------------

    def new_block(self, kind: BlockKind, stmt: Node | None = None) -> Block:
        block = Block(len(self.blocks), kind, stmt)
        self.blocks.append(block)
        return block

    def add(self, node: Node | None) -> None:
        if node is not None and self.current is not None:
            self.current.nodes.append(node)

    def jump(self, target: Block) -> None:
        if self.current is not None:
            self.current.succs.append(target)
        self.current = None

    def if_else(self, then: Block, otherwise: Block) -> None:
        if self.current is not None:
            self.current.succs.extend((then, otherwise))
        self.current = None

    def label(self, name: str) -> _Label:
        found = self.labels.get(name)
        if found is None:
            found = self.labels[name] = _Label(self.new_block(BlockKind.LABEL))
        return found

    # -- statements ------------------------------------------------------------------------

    def statement(self, stmt: Node, label: _Label | None = None) -> None:
        kind = stmt.type
        if kind in _SIMPLE_STATEMENTS:
            self.add(stmt)
            if kind == "defer_statement" and self.current is not None:
                self.current.returns = True
        elif kind == "expression_statement":
            self.add(stmt)
            expr = stmt.named_children[0] if stmt.named_children else None
            if expr is not None and expr.type == "call_expression" and not self.may_return(expr):
                self.current = self.new_block(BlockKind.UNREACHABLE)
        elif kind == "var_declaration":
            for spec in specs_of(stmt, "var_spec"):
                self.add(spec)
        elif kind == "labeled_statement":
            self.labeled(stmt)
        elif kind == "return_statement":
            self.add(stmt)
            if self.current is not None:
                self.current.exit = stmt
                self.current.returns = True
            self.current = self.new_block(BlockKind.UNREACHABLE)
        elif kind in _BRANCH_STATEMENTS:
            self.branch(stmt)
        elif kind == "block":
            self.statement_list(statements(stmt))
        elif kind == "if_statement":
            self.if_statement(stmt)
        elif kind == "expression_switch_statement":
            self.switch_statement(stmt, label)
        elif kind == "type_switch_statement":
            self.type_switch_statement(stmt, label)
        elif kind == "select_statement":
            self.select_statement(stmt, label)
        elif kind == "for_statement":
            self.for_statement(stmt, label)
        elif kind not in ("comment", "const_declaration", "type_declaration"):
            self.add(stmt)

    def statement_list(self, stmts: list[Node]) -> None:
        for stmt in stmts:
            self.statement(stmt)

    def labeled(self, stmt: Node) -> None:
        name_node = stmt.child_by_field_name("label")
        inner = [c for c in stmt.named_children if c.type not in ("label_name", "comment")]
        label = self.label(name_node.text.decode()) if name_node is not None else None
        if label is not None:
            label.goto.stmt = stmt
            self.jump(label.goto)
            self.current = label.goto
        if inner:
            self.statement(inner[0], label)

    def branch(self, stmt: Node) -> None:
        kind = stmt.type
        label_node = next((c for c in stmt.named_children if c.type == "label_name"), None)
        name = label_node.text.decode() if label_node is not None else None
        target: Block | None = None
        if kind == "goto_statement" and name is not None:
            target = self.label(name).goto
        elif kind in ("break_statement", "continue_statement"):
            attribute = "break_" if kind == "break_statement" else "continue_"
            if name is not None:
                target = getattr(self.label(name), attribute)
            else:
                target = next(
                    (
                        getattr(t, attribute)
                        for t in reversed(self.targets)
                        if getattr(t, attribute)
                    ),
                    None,
                )
        elif kind == "fallthrough_statement":
            target = next((t.fallthrough for t in reversed(self.targets) if t.fallthrough), None)
        if target is None:  # ill-formed (undefined label): go/cfg jumps to a dead block
            target = self.new_block(BlockKind.UNREACHABLE)
        if self.current is not None:
            self.current.branch = stmt
        self.jump(target)
        self.current = self.new_block(BlockKind.UNREACHABLE)

    def if_statement(self, stmt: Node) -> None:
        initializer = stmt.child_by_field_name("initializer")
        if initializer is not None:
            self.statement(initializer)
        then = self.new_block(BlockKind.IF_THEN, stmt)
        done = self.new_block(BlockKind.IF_DONE, stmt)
        alternative = stmt.child_by_field_name("alternative")
        otherwise = self.new_block(BlockKind.IF_ELSE, stmt) if alternative is not None else done
        self.add(stmt.child_by_field_name("condition"))
        self.if_else(then, otherwise)
        self.current = then
        consequence = stmt.child_by_field_name("consequence")
        if consequence is not None:
            self.statement(consequence)
        self.jump(done)
        if alternative is not None:
            self.current = otherwise
            self.statement(alternative)
            self.jump(done)
        self.current = done

    def switch_statement(self, stmt: Node, label: _Label | None) -> None:
        initializer = stmt.child_by_field_name("initializer")
        if initializer is not None:
            self.statement(initializer)
        self.add(stmt.child_by_field_name("value"))
        done = self.new_block(BlockKind.SWITCH_DONE, stmt)
        if label is not None:
            label.break_ = done
        clauses = [c for c in stmt.named_children if c.type in ("expression_case", "default_case")]
        default: tuple[Node, Block, Block] | None = None  # clause, body block, fallthrough
        fallthru: Block | None = None
        for position, clause in enumerate(clauses):
            body = fallthru or self.new_block(BlockKind.SWITCH_CASE_BODY, clause)
            body.stmt = clause
            following = clauses[position + 1] if position + 1 < len(clauses) else None
            fallthru = (
                self.new_block(BlockKind.SWITCH_CASE_BODY, following)
                if following is not None
                else done
            )
            if clause.type == "default_case":
                default = (clause, body, fallthru)
                continue
            next_condition: Block | None = None
            values = clause.child_by_field_name("value")
            for value in values.named_children if values is not None else []:
                next_condition = self.new_block(BlockKind.SWITCH_NEXT_CASE, clause)
                self.add(value)
                self.if_else(body, next_condition)
                self.current = next_condition
            self.current = body
            self.targets.append(_Targets(break_=done, fallthrough=fallthru))
            self.statement_list(case_statements(clause))
            self.targets.pop()
            self.jump(done)
            self.current = next_condition
        if default is not None:
            clause, body, fallthru = default
            self.jump(body)
            self.current = body
            self.targets.append(_Targets(break_=done, fallthrough=fallthru))
            self.statement_list(case_statements(clause))
            self.targets.pop()
        self.jump(done)
        self.current = done

    def type_switch_statement(self, stmt: Node, label: _Label | None) -> None:
        initializer = stmt.child_by_field_name("initializer")
        if initializer is not None:
            self.statement(initializer)
        self.add(stmt.child_by_field_name("alias"))
        self.add(stmt.child_by_field_name("value"))
        done = self.new_block(BlockKind.SWITCH_DONE, stmt)
        if label is not None:
            label.break_ = done
        default: Node | None = None
        for clause in stmt.named_children:
            if clause.type == "default_case":
                default = clause
                continue
            if clause.type != "type_case":
                continue
            body = self.new_block(BlockKind.SWITCH_CASE_BODY, clause)
            following: Block | None = None
            for _ in clause.children_by_field_name("type"):
                following = self.new_block(BlockKind.SWITCH_NEXT_CASE, clause)
                self.if_else(body, following)
                self.current = following
            self.current = body
            self.type_case_body(clause, done)
            self.current = following
        if default is not None:
            self.type_case_body(default, done)
        else:
            self.jump(done)
        self.current = done

    def type_case_body(self, clause: Node, done: Block) -> None:
        self.targets.append(_Targets(break_=done))
        self.statement_list(case_statements(clause))
        self.targets.pop()
        self.jump(done)

    def select_statement(self, stmt: Node, label: _Label | None) -> None:
        clauses = [
            c for c in stmt.named_children if c.type in ("communication_case", "default_case")
        ]
        for clause in clauses:
            communication = clause.child_by_field_name("communication")
            if communication is not None:
                self.statement(communication)
        done = self.new_block(BlockKind.SELECT_DONE, stmt)
        if label is not None:
            label.break_ = done
        default: Node | None = None
        for clause in clauses:
            communication = clause.child_by_field_name("communication")
            if communication is None:
                default = clause
                continue
            body = self.new_block(BlockKind.SELECT_CASE_BODY, clause)
            following = self.new_block(BlockKind.SELECT_AFTER_CASE, clause)
            self.if_else(body, following)
            self.current = body
            self.targets.append(_Targets(break_=done))
            left = communication.child_by_field_name("left")
            if communication.type == "receive_statement" and left is not None:
                self.add(left.named_children[0] if left.named_children else left)
            self.statement_list(case_statements(clause))
            self.targets.pop()
            self.jump(done)
            self.current = following
        if default is not None:
            self.targets.append(_Targets(break_=done))
            self.statement_list(case_statements(default))
            self.targets.pop()
            self.jump(done)
        self.current = done

    def for_statement(self, stmt: Node, label: _Label | None) -> None:
        body_node = stmt.child_by_field_name("body")
        header = next(
            (
                c
                for c in stmt.named_children
                if c.type != "comment" and c.id != getattr(body_node, "id", None)
            ),
            None,
        )
        if header is not None and header.type == "range_clause":
            self.range_loop(stmt, header, body_node, label)
            return
        initializer = condition = update = None
        if header is not None and header.type == "for_clause":
            initializer = header.child_by_field_name("initializer")
            condition = header.child_by_field_name("condition")
            update = header.child_by_field_name("update")
        elif header is not None:
            condition = header
        if initializer is not None:
            self.statement(initializer)
        body = self.new_block(BlockKind.FOR_BODY, stmt)
        done = self.new_block(BlockKind.FOR_DONE, stmt)
        loop = self.new_block(BlockKind.FOR_LOOP, stmt) if condition is not None else body
        cont = self.new_block(BlockKind.FOR_POST, stmt) if update is not None else loop
        if label is not None:
            label.break_, label.continue_ = done, cont
        self.jump(loop)
        self.current = loop
        if loop is not body:
            self.add(condition)
            self.if_else(body, done)
            self.current = body
        self.targets.append(_Targets(break_=done, continue_=cont))
        if body_node is not None:
            self.statement(body_node)
        self.targets.pop()
        self.jump(cont)
        if update is not None:
            self.current = cont
            self.statement(update)
            self.jump(loop)
        self.current = done

    def range_loop(
        self, stmt: Node, clause: Node, body_node: Node | None, label: _Label | None
    ) -> None:
        self.add(clause.child_by_field_name("right"))
        self.add(clause.child_by_field_name("left"))
        loop = self.new_block(BlockKind.RANGE_LOOP, stmt)
        self.jump(loop)
        self.current = loop
        body = self.new_block(BlockKind.RANGE_BODY, stmt)
        done = self.new_block(BlockKind.RANGE_DONE, stmt)
        self.if_else(body, done)
        self.current = body
        if label is not None:
            label.break_, label.continue_ = done, loop
        self.targets.append(_Targets(break_=done, continue_=loop))
        if body_node is not None:
            self.statement(body_node)
        self.targets.pop()
        self.jump(loop)
        self.current = done


_TESTING_STOPS = frozenset({"Fatal", "Fatalf", "FailNow", "Skip", "Skipf", "SkipNow"})

# Methods that never return, by the receiver's declared type (import path, type name): what
# `go vet`'s ctrlflow learns from facts about testing and log.
_NO_RETURN_METHODS = {
    ("testing", "T"): _TESTING_STOPS,
    ("testing", "B"): _TESTING_STOPS,
    ("testing", "F"): _TESTING_STOPS,
    ("log", "Logger"): frozenset({"Fatal", "Fatalf", "Fatalln", "Panic", "Panicf", "Panicln"}),
}


class ReturnOracle:
    """Which calls can return, for one package: go vet's ctrlflow without a type checker.

    Never returning: `panic`, the package functions in `semantic.NO_RETURN_CALLS`, `t.Fatal`
    and friends on a `*testing.T/B/F` parameter, `l.Fatal`/`l.Panic` on a `*log.Logger`
    parameter, and functions of this package whose own graph has no reachable return
    (`func fail(msg string) { log.Fatal(msg) }`). Anything else may return, as in vet.
    """

    def __init__(self, package: Package) -> None:
        self._package = package
        self._functions: dict[str, tuple[GoFile, Node]] = {}
        for go_file in package.files:
            for declaration in go_file.root.named_children:
                if declaration.type == "function_declaration":
                    name = declaration.child_by_field_name("name")
                    if name is not None:
                        self._functions.setdefault(go_file.text(name), (go_file, declaration))
        self._never_returns: dict[int, bool] = {}
        self._graphs: dict[int, Graph] = {}
        self._no_return_calls: dict[str, set[int]] = {}

    def graph(self, go_file: GoFile, function: Node) -> Graph | None:
        """The (cached) graph of a function declaration, method or literal."""
        body = function.child_by_field_name("body")
        if body is None:
            return None
        found = self._graphs.get(function.id)
        if found is None:
            found = build(body, lambda call: self.may_return(go_file, call))
            self._graphs[function.id] = found
        return found

    def may_return(self, go_file: GoFile, call: Node) -> bool:
        callee = call.child_by_field_name("function")
        if callee is None:
            return True
        if call.id in self._known_no_return(go_file):
            return False
        if callee.type == "identifier":
            name = go_file.text(callee)
            if name == "panic":
                return False
            return not self._function_never_returns(name)
        if callee.type == "selector_expression":
            return not _is_no_return_method(self._package, go_file, callee)
        return True

    def _known_no_return(self, go_file: GoFile) -> set[int]:
        key = go_file.display_path
        found = self._no_return_calls.get(key)
        if found is None:
            found = {c.id for _, c in calls_to(go_file, NO_RETURN_CALLS | {"syscall.Exit"})}
            self._no_return_calls[key] = found
        return found

    def _function_never_returns(self, name: str) -> bool:
        entry = self._functions.get(name)
        if entry is None:
            return False
        go_file, declaration = entry
        known = self._never_returns.get(declaration.id)
        if known is not None:
            return known
        self._never_returns[declaration.id] = False  # breaks cycles, as ctrlflow does
        graph = self.graph(go_file, declaration)
        result = graph is not None and graph.never_returns
        self._never_returns[declaration.id] = result
        return result


def _is_no_return_method(package: Package, go_file: GoFile, selector: Node) -> bool:
    """`t.Fatal(...)` on a `*testing.T` (a parameter, a local, `new(testing.T)`), `l.Fatal`
    on a `*log.Logger`: the operand's declared type decides."""
    operand = selector.child_by_field_name("operand")
    method = selector.child_by_field_name("field")
    if operand is None or method is None:
        return False
    declared = value_type_name(go_file, package, operand) or ""
    import_path, _, type_name = declared.rpartition(".")
    methods = _NO_RETURN_METHODS.get((import_path, type_name), frozenset())
    return go_file.text(method) in methods
