"""What rules share: qualified names, bindings, escapes, and "released on every path".

Rules have no type checker, so precision comes from Go idioms. The helpers here encode those
idioms once: a value that is returned, stored, passed on or captured by a long-lived closure is
*not ours to judge*; a release (Stop, Close, cancel) is looked for on every path from the
binding to each exit of the function.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from tree_sitter import Node

from linter.source import GoFile, captures, query

FUNCTION_TYPES = ("function_declaration", "method_declaration", "func_literal")
_STATEMENT_CONTAINERS = ("block", "statement_list")
_CASE_TYPES = (
    "expression_case",
    "default_case",
    "type_case",
    "communication_case",
)
_SWITCH_TYPES = ("expression_switch_statement", "type_switch_statement", "select_statement")
# Calls after which the function does not continue: the process ends or the goroutine unwinds.
NO_RETURN_CALLS = frozenset(
    {
        "os.Exit",
        "log.Fatal",
        "log.Fatalf",
        "log.Fatalln",
        "log.Panic",
        "log.Panicf",
        "log.Panicln",
        "runtime.Goexit",
    }
)

_PACKAGE_CALLS = query(
    """
    (call_expression
       function: (selector_expression operand: (identifier) @pkg field: (field_identifier) @fn)
    ) @call
    (call_expression function: (identifier) @bare) @barecall
    """
)
_IDENTIFIERS = query("(identifier) @id")
_METHOD_CALLS = query(
    """
    (call_expression
       function: (selector_expression operand: (_) @recv field: (field_identifier) @method)
    ) @call
    """
)
_FUNCTIONS = query(
    """
    (function_declaration) @fn
    (method_declaration) @fn
    (func_literal) @fn
    """
)

# ---------------------------------------------------------------------------------------------
# Names and calls


def node_text(go_file: GoFile, node: Node | None) -> str:
    return go_file.text(node) if node is not None else ""


def package_calls(go_file: GoFile) -> dict[str, list[Node]]:
    """Every call to a package-level function, keyed by qualified name (`time.NewTicker`).

    Computed once per file and shared by all rules: import aliases (`t.NewTicker`) and dot
    imports (`NewTicker` with `import . "time"`) resolve to the import path.
    """
    cache = go_file.__dict__.setdefault("_semantic_cache", {})
    if "package_calls" in cache:
        return cache["package_calls"]
    result: dict[str, list[Node]] = {}
    found = captures(_PACKAGE_CALLS, go_file.root)
    for call in found.get("call", []):
        selector = call.child_by_field_name("function")
        operand = selector.child_by_field_name("operand") if selector else None
        field = selector.child_by_field_name("field") if selector else None
        if operand is None or field is None:
            continue
        import_path = go_file.imports.get(go_file.text(operand))
        if import_path is not None:
            result.setdefault(f"{import_path}.{go_file.text(field)}", []).append(call)
    if go_file.dot_imports:
        for call in found.get("barecall", []):
            name = go_file.text(call.child_by_field_name("function"))
            for import_path in go_file.dot_imports:
                result.setdefault(f"{import_path}.{name}", []).append(call)
    cache["package_calls"] = result
    return result


def calls_to(go_file: GoFile, qualified_names: Iterable[str]) -> Iterator[tuple[str, Node]]:
    """Calls to any of the qualified names, in source order."""
    table = package_calls(go_file)
    hits = [(name, call) for name in qualified_names for call in table.get(name, ())]
    hits.sort(key=lambda item: item[1].start_byte)
    return iter(hits)


def qualified_call_name(go_file: GoFile, call: Node) -> str | None:
    """`time.NewTicker` for a call to it through any import name, else None."""
    for name, calls in package_calls(go_file).items():
        if any(c.id == call.id for c in calls):
            return name
    return None


def is_no_return_call(go_file: GoFile, call: Node) -> bool:
    function = call.child_by_field_name("function")
    if function is not None and function.type == "identifier":
        return go_file.text(function) == "panic"
    return qualified_call_name(go_file, call) in NO_RETURN_CALLS


# ---------------------------------------------------------------------------------------------
# Structure


def enclosing_function(node: Node) -> Node | None:
    """The nearest function declaration, method or function literal around `node`."""
    current = node.parent
    while current is not None:
        if current.type in FUNCTION_TYPES:
            return current
        current = current.parent
    return None


def top_level_function(node: Node) -> Node | None:
    """The named function or method that contains `node`, through any function literals."""
    current = node.parent
    while current is not None:
        if current.type in ("function_declaration", "method_declaration"):
            return current
        current = current.parent
    return None


def function_name(go_file: GoFile, function: Node | None) -> str:
    if function is None or function.type == "func_literal":
        return ""
    return node_text(go_file, function.child_by_field_name("name"))


def statements(block: Node | None) -> list[Node]:
    """The statements of a block, whatever the grammar version nests them in."""
    if block is None:
        return []
    result: list[Node] = []
    for child in block.named_children:
        if child.type == "statement_list":
            result.extend(c for c in child.named_children if c.type != "comment")
        elif child.type != "comment":
            result.append(child)
    return result


def case_statements(case: Node) -> list[Node]:
    """The statements of a switch/select case (the grammar keeps them in a statement_list)."""
    for child in case.named_children:
        if child.type == "statement_list":
            return [c for c in child.named_children if c.type != "comment"]
    return []


def is_inside(node: Node, container: Node) -> bool:
    return container.start_byte <= node.start_byte and node.end_byte <= container.end_byte


def inside_loop(node: Node, stop_at: Node | None = None) -> Node | None:
    """The innermost `for` statement around `node`, not looking past `stop_at` or a function."""
    current = node.parent
    while current is not None and current is not stop_at:
        if current.type == "for_statement":
            return current
        if current.type in FUNCTION_TYPES:
            return None
        current = current.parent
    return None


def functions(go_file: GoFile) -> list[Node]:
    return captures(_FUNCTIONS, go_file.root).get("fn", [])


# ---------------------------------------------------------------------------------------------
# Bindings


@dataclass(frozen=True)
class Binding:
    """Where a call's value goes.

    kind: "local" (a plain identifier declared or assigned in a function), "blank" (`_`),
    "field" (`s.t = ...`), "index" (`m[k] = ...`), "global" (a package-level var), or "none"
    (the value is used in place: returned, passed, discarded).
    """

    kind: str
    name: str
    statement: Node | None
    target: Node | None = None
    extra_names: tuple[str, ...] = ()


def binding_of(go_file: GoFile, value: Node) -> Binding:
    """Follow a value expression to what it is assigned to, if anything."""
    node = value
    while node.parent is not None and node.parent.type == "parenthesized_expression":
        node = node.parent
    parent = node.parent
    if parent is None:
        return Binding("none", "", None)
    if parent.type == "expression_list":
        stmt = parent.parent
        if stmt is None:
            return Binding("none", "", None)
        right = stmt.child_by_field_name("right") or stmt.child_by_field_name("value")
        if right is None or right.id != parent.id:
            return Binding("none", "", stmt)
        if stmt.type in ("short_var_declaration", "assignment_statement"):
            lefts = stmt.child_by_field_name("left").named_children
            index = parent.named_children.index(node) if node in parent.named_children else 0
            return _binding_for_target(go_file, stmt, lefts, index)
        if stmt.type == "var_spec":
            names = stmt.children_by_field_name("name")
            index = parent.named_children.index(node) if node in parent.named_children else 0
            in_function = enclosing_function(stmt) is not None
            return _binding_for_target(go_file, stmt, names, index, global_decl=not in_function)
    return Binding("none", "", parent)


def _binding_for_target(
    go_file: GoFile, stmt: Node, targets: list[Node], index: int, global_decl: bool = False
) -> Binding:
    others = tuple(go_file.text(t) for i, t in enumerate(targets) if i != index)
    if index >= len(targets):
        return Binding("none", "", stmt)
    target = targets[index]
    text = go_file.text(target)
    if target.type == "identifier":
        if text == "_":
            return Binding("blank", "_", stmt, target, others)
        if global_decl:
            return Binding("global", text, stmt, target, others)
        if stmt.type == "assignment_statement" and not _declared_locally(go_file, stmt, text):
            return Binding("global", text, stmt, target, others)
        return Binding("local", text, stmt, target, others)
    if target.type == "selector_expression":
        return Binding("field", text, stmt, target, others)
    if target.type == "index_expression":
        return Binding("index", text, stmt, target, others)
    return Binding("none", text, stmt, target, others)


def _declared_locally(go_file: GoFile, stmt: Node, name: str) -> bool:
    """Is `name` a parameter, result or local variable of a function enclosing `stmt`?"""
    function = enclosing_function(stmt)
    while function is not None:
        if name in declared_names(go_file, function):
            return True
        function = enclosing_function(function)
    return False


def declared_names(go_file: GoFile, function: Node) -> set[str]:
    """Names a function declares: receiver, parameters, results, and local declarations."""
    names: set[str] = set()
    for field_name in ("receiver", "parameters", "result"):
        part = function.child_by_field_name(field_name)
        if part is None:
            continue
        for ident in captures(_IDENTIFIERS, part).get("id", []):
            parent = ident.parent
            if (
                parent is not None
                and parent.type in ("parameter_declaration", "variadic_parameter_declaration")
                and parent.child_by_field_name("type") != ident
            ):
                names.add(go_file.text(ident))
    body = function.child_by_field_name("body")
    if body is None:
        return names
    for ident in captures(_IDENTIFIERS, body).get("id", []):
        parent = ident.parent
        if parent is None:
            continue
        if parent.type == "expression_list" and parent.parent is not None:
            decl = parent.parent
            if decl.type in ("short_var_declaration", "range_clause") and (
                decl.child_by_field_name("left") == parent
            ):
                names.add(go_file.text(ident))
        elif parent.type in ("var_spec", "const_spec") and (
            parent.child_by_field_name("type") != ident
        ):
            names.add(go_file.text(ident))
    return names


# ---------------------------------------------------------------------------------------------
# References and escapes


def references(go_file: GoFile, scope: Node, name: str) -> list[Node]:
    """Identifiers spelled `name` below `scope` (no scoping: callers keep scopes small)."""
    encoded = name.encode()
    return [ident for ident in captures(_IDENTIFIERS, scope).get("id", []) if ident.text == encoded]


@dataclass(frozen=True)
class Escape:
    """A use of a value that hands it to someone else; `how` explains it in a message."""

    node: Node
    how: str


def escape_of(
    go_file: GoFile,
    function: Node,
    name: str,
    after: Node,
    own_methods: frozenset[str] = frozenset(),
    allowed_closure: Callable[[Node], bool] | None = None,
) -> Escape | None:
    """The first use of local `name` in `function` (after the node `after`) that lets it escape.

    Escaping means: returned, assigned to anything (a field, global, map, slice, another
    variable), passed to a call, put in a composite literal, sent on a channel, its address
    taken, or captured by a function literal that is not a deferred call (a goroutine, a
    callback, a stored closure). Calling one of `own_methods` on it, or reading a field of it
    (`t.C`), is not an escape. `allowed_closure(func_literal)` may accept a closure anyway.
    """
    body = function.child_by_field_name("body")
    if body is None:
        return None
    for ref in references(go_file, body, name):
        if ref.start_byte < after.end_byte:
            continue
        how = _escape_kind(go_file, function, ref, own_methods, allowed_closure)
        if how:
            return Escape(ref, how)
    return None


def _escape_kind(
    go_file: GoFile,
    function: Node,
    ref: Node,
    own_methods: frozenset[str],
    allowed_closure: Callable[[Node], bool] | None,
) -> str:
    closure = enclosing_function(ref)
    if (
        closure is not None
        and closure.id != function.id
        and not _is_deferred_call(closure)
        and not (allowed_closure and allowed_closure(closure))
    ):
        return "captured by a function literal"
    node = ref
    parent = node.parent
    while parent is not None and parent.type in ("parenthesized_expression",):
        node, parent = parent, parent.parent
    if parent is None:
        return ""
    kind = parent.type
    if kind == "selector_expression":
        # v.Method(...) or v.Field: using it, not handing it over.
        return ""
    if kind == "unary_expression" and go_file.text(parent).startswith("&"):
        return "its address is taken"
    if kind == "expression_list":
        holder = parent.parent
        if holder is None:
            return ""
        if holder.type == "return_statement":
            return "returned"
        if holder.type in ("assignment_statement", "short_var_declaration", "var_spec"):
            right = holder.child_by_field_name("right") or holder.child_by_field_name("value")
            if right is not None and right.id == parent.id:
                return "assigned to another variable"
        return ""
    if kind == "return_statement":
        return "returned"
    if kind == "argument_list":
        call = parent.parent
        callee = call.child_by_field_name("function") if call is not None else None
        if callee is not None and go_file.text(callee) in ("len", "cap", "print", "println"):
            return ""
        return "passed to a function"
    if kind in ("literal_element", "keyed_element", "literal_value"):
        return "stored in a composite literal"
    if kind == "send_statement" and parent.child_by_field_name("value") == node:
        return "sent on a channel"
    if kind in ("assignment_statement", "short_var_declaration"):
        return ""
    return ""


def _is_deferred_call(func_literal: Node) -> bool:
    """`defer func() { ... }()`: the body runs at the function's exit, on the same goroutine."""
    call = func_literal.parent
    return (
        call is not None
        and call.type == "call_expression"
        and call.parent is not None
        and call.parent.type == "defer_statement"
    )


def is_go_statement_closure(func_literal: Node) -> bool:
    """`go func() { ... }()`."""
    call = func_literal.parent
    return (
        call is not None
        and call.type == "call_expression"
        and call.parent is not None
        and call.parent.type == "go_statement"
    )


# ---------------------------------------------------------------------------------------------
# Method calls on a value


def method_calls_on(go_file: GoFile, scope: Node, name: str, methods: Iterable[str]) -> list[Node]:
    """Calls `name.M(...)` for M in `methods` below `scope`, including in nested closures."""
    wanted = set(methods)
    result = []
    found = captures(_METHOD_CALLS, scope)
    receivers = {r.id: r for r in found.get("recv", [])}
    for call in found.get("call", []):
        selector = call.child_by_field_name("function")
        operand = selector.child_by_field_name("operand")
        field = selector.child_by_field_name("field")
        if (
            operand is not None
            and operand.id in receivers
            and go_file.text(operand) == name
            and go_file.text(field) in wanted
        ):
            result.append(call)
    return result


# ---------------------------------------------------------------------------------------------
# Paths


@dataclass(frozen=True)
class Exit:
    """A way out of the function (or of a loop iteration) on which the value is not released.

    `node` is the return statement, the function's closing brace, or the loop; `how` says
    which in words a message can use.
    """

    node: Node
    how: str


class _PathWalk:
    """Follows the statements after a binding, tracking whether a release was seen.

    Structured, not a CFG: if/else and switch/select arms are walked separately; loops are
    walked once; `goto` is ignored. A release in a deferred call (including a deferred
    closure) covers every exit after it. An `if err != nil { return }` guard right after the
    binding is not an exit without release: the value is unusable there.
    """

    def __init__(
        self,
        go_file: GoFile,
        function: Node,
        releases: list[Node],
        error_name: str | None,
    ) -> None:
        self.go_file = go_file
        self.function = function
        self.release_ranges = [(r.start_byte, r.end_byte) for r in releases]
        self.error_name = error_name
        self.exits: list[Exit] = []

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
            if not covered:
                self.exits.append(Exit(stmt, "this return"))
            return covered, True
        if kind == "if_statement":
            return self.if_statement(stmt, covered)
        if kind in _SWITCH_TYPES:
            return self.switch_statement(stmt, covered)
        if kind == "for_statement":
            body = stmt.child_by_field_name("body")
            head_covers = any(
                self.contains_release(c) for c in stmt.named_children if c is not body
            )
            if head_covers:
                return True, False
            self.walk(statements(body), covered)
            terminated = is_endless_loop(self.go_file, stmt)
            return covered, terminated
        if kind == "block":
            return self.walk(statements(stmt), covered)
        if kind == "labeled_statement":
            inner = [c for c in stmt.named_children if c.type != "label_name"]
            return self.walk(inner, covered)
        if kind == "go_statement":
            return covered, False
        if self.contains_release(stmt):
            return True, False
        if kind == "expression_statement":
            expr = stmt.named_children[0] if stmt.named_children else None
            if (
                expr is not None
                and expr.type == "call_expression"
                and is_no_return_call(self.go_file, expr)
            ):
                return covered, True
        return covered, False

    def if_statement(self, stmt: Node, covered: bool) -> tuple[bool, bool]:
        head = [stmt.child_by_field_name("initializer"), stmt.child_by_field_name("condition")]
        if any(h is not None and self.contains_release(h) for h in head):
            return True, False
        condition = stmt.child_by_field_name("condition")
        consequence = stmt.child_by_field_name("consequence")
        alternative = stmt.child_by_field_name("alternative")
        if (
            self.error_name
            and condition is not None
            and _is_error_check(self.go_file, condition, self.error_name)
        ):
            # The value is unusable (nil) on this branch: its returns are not leaks.
            saved = self.exits
            self.exits = []
            then_covered, then_done = self.walk(statements(consequence), True)
            self.exits = saved
        else:
            then_covered, then_done = self.walk(statements(consequence), covered)
        if alternative is None:
            else_covered, else_done = covered, False
        elif alternative.type == "if_statement":
            else_covered, else_done = self.if_statement(alternative, covered)
        else:
            else_covered, else_done = self.walk(statements(alternative), covered)
        if then_done and else_done:
            return covered, True
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
        results = [self.walk(case_statements(case), covered) for case in cases]
        if not cases:
            return covered, stmt.type == "select_statement"
        if not has_default:
            results.append((covered, False))
        open_paths = [c for c, done in results if not done]
        if not open_paths:
            return covered, True
        return all(open_paths), False


def _is_error_check(go_file: GoFile, condition: Node, error_name: str) -> bool:
    text = re.sub(r"\s+", "", go_file.text(condition))
    return text in (f"{error_name}!=nil", f"nil!={error_name}")


def is_endless_loop(go_file: GoFile, loop: Node) -> bool:
    """`for { ... }` (or `for range ch` on nothing we know ends) with no break out of it.

    Only the condition-less `for {}` counts: a `for cond`, three-clause or range loop ends.
    """
    body = loop.child_by_field_name("body")
    header = [c for c in loop.named_children if c.type != "comment" and c != body]
    if header:
        return False
    return not loop_has_break(go_file, loop)


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
) -> list[Exit]:
    """Exits reachable after `binding_statement` on which none of `releases` ran.

    Walks the rest of the binding's block, then climbs out through the enclosing statements
    to the function body. Reaching the end of a loop body uncovered counts as an exit ("the
    next iteration replaces it"): a resource made per iteration must be released per iteration.
    """
    walker = _PathWalk(go_file, function, releases, error_name)
    body = function.child_by_field_name("body")
    node = binding_statement
    covered = False
    while body is not None:
        container = node.parent
        while container is not None and container.type == "statement_list":
            container = container.parent
        if container is None:
            break
        if container.type == "block":
            siblings = statements(container)
        elif container.type in _CASE_TYPES:
            siblings = case_statements(container)
        else:  # e.g. the initializer of an if/for/switch header
            siblings = []
        rest = [s for s in siblings if s.start_byte > node.start_byte]
        covered, terminated = walker.walk(rest, covered)
        if terminated or covered:
            break
        if container.id == body.id:
            walker.exits.append(Exit(_closing_brace(body), "the end of the function"))
            break
        owner = container.parent
        if owner is None or owner.type in FUNCTION_TYPES:
            break
        if owner.type == "for_statement" and container.type == "block":
            # Next iteration: the loop body runs again from the top up to the re-binding.
            before = [s for s in siblings if s.end_byte <= node.start_byte]
            if not walker.walk(before, False)[0]:
                walker.exits.append(Exit(owner, "the next loop iteration"))
                break
            if is_endless_loop(go_file, owner):
                break
            # Or the loop ends: go on after it.
        # Climb to the statement that holds this block, so the walk goes on after it.
        node = container if container.type == "block" and owner.type == "block" else owner
        while node.parent is not None and node.parent.type in (
            *_CASE_TYPES,
            *_SWITCH_TYPES,
            "if_statement",
            "labeled_statement",
        ):
            node = node.parent
    return walker.exits


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


def never_returns(go_file: GoFile, function: Node, endless_range: Callable[[Node], bool]) -> bool:
    """A function that ends in a loop it never leaves and has no return: a daemon loop.

    `endless_range(loop)` tells whether a range loop never ends (its channel is never closed,
    e.g. `range time.Tick(d)`); the condition-less `for {}` without break always counts.
    """
    if own_returns(function):
        return False
    body_statements = statements(function.child_by_field_name("body"))
    if not body_statements or body_statements[-1].type != "for_statement":
        return False
    loop = body_statements[-1]
    if loop_has_break(go_file, loop):
        return False
    return is_endless_loop(go_file, loop) or endless_range(loop)


def range_expression(loop: Node) -> Node | None:
    """The `x` of `for ... range x`, or None for other loops."""
    for child in loop.named_children:
        if child.type == "range_clause":
            return child.child_by_field_name("right")
    return None
