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

from linter.gomod import nearest_gomod
from linter.source import GoFile, Package, captures, query

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


def calls_to(go_file: GoFile, qualified_names: Iterable[str]) -> Iterator[tuple[str, Node]]:
    """Calls to any of the qualified names (`time.NewTicker`), in source order.

    Import aliases (`t.NewTicker`) and dot imports (`NewTicker` with `import . "time"`)
    resolve to the import path. Candidates are found by a byte regex over the file and a
    descent to each match, not a query over the whole tree: most files call none of the
    functions a rule asks for, and those that do, rarely.
    """
    by_path: dict[str, dict[str, str]] = {}
    data = go_file.data
    for qualified in qualified_names:
        import_path, _, function = qualified.rpartition(".")
        if function.encode() in data:  # a substring test is far cheaper than the regex
            by_path.setdefault(import_path, {})[function] = qualified
    hits: list[tuple[str, Node]] = []
    for import_path, functions in by_path.items():
        names = b"|".join(re.escape(f.encode()) for f in functions)
        aliases = [local for local, path in go_file.imports.items() if path == import_path]
        if aliases:
            alias_names = b"|".join(re.escape(a.encode()) for a in aliases)
            pattern = re.compile(rb"(?:" + alias_names + rb")\s*\.\s*(" + names + rb")\b")
            for node in _call_names_at(go_file, pattern, "selector_expression", set(aliases)):
                hits.append((functions[go_file.text(node)], node.parent.parent))
        if import_path in go_file.dot_imports:
            pattern = re.compile(rb"(" + names + rb")\s*\(")
            for node in _call_names_at(go_file, pattern, "call_expression"):
                hits.append((functions[go_file.text(node)], node.parent))
    hits.sort(key=lambda item: item[1].start_byte)
    return iter(hits)


def _call_names_at(
    go_file: GoFile,
    pattern: re.Pattern[bytes],
    parent_type: str,
    aliases: set[str] | None = None,
) -> list[Node]:
    """The function-name nodes of calls that `pattern` (group 1: the name) finds.

    Patterns carry no leading `\\b` or look-behind (either makes Python's regex scan every
    byte instead of jumping between literal prefixes): the tree decides instead, so
    `xtime.NewTicker` or a name inside a comment is never taken for a call.
    """
    found = []
    root = go_file.root
    for match in pattern.finditer(go_file.data):
        node = root.descendant_for_byte_range(match.start(1), match.end(1))
        if (
            node is None
            or node.type not in ("field_identifier", "identifier")
            or (node.start_byte, node.end_byte) != match.span(1)
        ):
            continue  # part of a longer name (`noTick(` is not `Tick(`), or not a name
        parent = node.parent
        if parent is None or parent.type != parent_type:
            continue
        if parent_type == "selector_expression":
            operand = parent.child_by_field_name("operand")
            if (
                operand is None
                or operand.type != "identifier"
                or (aliases is not None and go_file.text(operand) not in aliases)
            ):
                continue
            call = parent.parent
            callee = parent
        else:
            call, callee = parent, node
        if (
            call is not None
            and call.type == "call_expression"
            and call.child_by_field_name("function") == callee
        ):
            found.append(node)
    return found


def qualified_call_name(go_file: GoFile, call: Node) -> str | None:
    """`time.NewTicker` for a call to it through any import name, else None."""
    function = call.child_by_field_name("function")
    if function is None:
        return None
    if function.type == "selector_expression":
        operand = function.child_by_field_name("operand")
        field = function.child_by_field_name("field")
        if operand is None or field is None or operand.type != "identifier":
            return None
        import_path = go_file.imports.get(go_file.text(operand))
        return f"{import_path}.{go_file.text(field)}" if import_path is not None else None
    if function.type == "identifier" and go_file.dot_imports:
        return f"{go_file.dot_imports[0]}.{go_file.text(function)}"
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


def statements_after(node: Node, stop_at: Node) -> Iterator[tuple[Node, list[Node]]]:
    """Climbing from `node` up to `stop_at`: each enclosing block or case clause, with the
    statements in it that come after the one holding `node`: what runs next, level by level."""
    while node.id != stop_at.id:
        container = node.parent
        while container is not None and container.type == "statement_list":
            container = container.parent
        if container is None:
            return
        if container.type == "block":
            siblings = statements(container)
        elif container.type in _CASE_TYPES:
            siblings = case_statements(container)
        else:
            siblings = None
        if siblings is not None:
            yield container, [s for s in siblings if s.start_byte > node.start_byte]
        node = container


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
            left = holder.child_by_field_name("left") or holder.child_by_field_name("name")
            if right is not None and right.id == parent.id and go_file.text(left) != "_":
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
        test_failures_end: bool = False,
    ) -> None:
        self.go_file = go_file
        self.function = function
        # With it, `t.Fatal(...)` and the like end a path too (a failed test leaks nothing
        # worth a report); without it, only calls that end the process or panic do.
        self.ends_path = is_terminating_call if test_failures_end else is_no_return_call
        self.release_ranges = [(r.start_byte, r.end_byte) for r in releases]
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
                self.exits.append(Exit(stmt, "this return"))
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
                and self.ends_path(self.go_file, expr)
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
        guard = ""
        initializer = stmt.child_by_field_name("initializer")
        if (
            self.error_live
            and condition is not None
            and not (initializer and _assigns_name(self.go_file, initializer, self.error_name))
        ):
            guard = error_guard(self.go_file, condition, self.error_name)
        if (
            initializer is not None
            and initializer.type == "assignment_statement"
            and _assigns_name(self.go_file, initializer, self.error_name)
        ):
            self.error_live = False  # `if err = f.Sync(); err != nil`: err is no longer ours
        # On a guarded branch the value is unusable (nil): its returns are not leaks.
        if guard == "then":
            then_covered, then_done = self.unusable(statements(consequence))
        else:
            then_covered, then_done = self.walk(statements(consequence), covered)
        if alternative is None:
            else_covered, else_done = (True, False) if guard == "else" else (covered, False)
        elif guard == "else":
            else_covered, else_done = self.unusable([alternative])
        elif alternative.type == "if_statement":
            else_covered, else_done = self.if_statement(alternative, covered)
        else:
            else_covered, else_done = self.walk(statements(alternative), covered)
        if then_done and else_done:
            return covered, True
        if guard == "else" and alternative is None and _ends_path(self.go_file, consequence):
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
                error_guard(self.go_file, v, self.error_name) == "then"
                for v in values.named_children
            )
        )

    def header_releases(self, case: Node) -> bool:
        return any(
            self.contains_release(c)
            for c in case.named_children
            if c.type not in ("statement_list", "comment")
        )


def _is_error_check(go_file: GoFile, condition: Node, error_name: str) -> bool:
    return error_guard(go_file, condition, error_name) == "then"


def error_guard(go_file: GoFile, condition: Node, error_name: str) -> str:
    """Which branch of `if condition` runs only when the value bound with `error_name` is
    unusable: "then" for `err != nil`, `os.IsNotExist(err)`, `errors.Is(err, X)` or a `&&`
    holding one of them; "else" for `err == nil`; "" when the condition says nothing."""
    while condition.type == "parenthesized_expression" and condition.named_children:
        condition = condition.named_children[0]
    operator = condition.child_by_field_name("operator")
    operand = condition.child_by_field_name("operand")
    if condition.type == "unary_expression" and operator is not None and operand is not None:
        if operator.type != "!":
            return ""
        # `!errors.Is(err, X)`: the negation swaps which branch runs with the error set.
        return {"then": "else", "else": "then"}.get(error_guard(go_file, operand, error_name), "")
    text = re.sub(r"\s+", "", go_file.text(condition))
    if text in (f"{error_name}!=nil", f"nil!={error_name}"):
        return "then"
    if text in (f"{error_name}==nil", f"nil=={error_name}"):
        return "else"
    if condition.type == "binary_expression":
        operator = condition.child_by_field_name("operator")
        if operator is not None and operator.type == "&&":
            sides = (condition.child_by_field_name("left"), condition.child_by_field_name("right"))
            if any(s is not None and error_guard(go_file, s, error_name) == "then" for s in sides):
                return "then"
        return ""
    if condition.type == "call_expression":
        arguments = condition.child_by_field_name("arguments")
        if arguments is not None and any(
            a.type == "identifier" and go_file.text(a) == error_name
            for a in arguments.named_children
        ):
            return "then"  # os.IsNotExist(err), errors.Is(err, fs.ErrNotExist): false for nil
    return ""


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
    test_failures_end: bool = False,
) -> list[Exit]:
    """Exits reachable after `binding_statement` on which none of `releases` ran.

    Walks the rest of the binding's block, then climbs out through the enclosing statements
    to the function body. Reaching the end of a loop body uncovered counts as an exit ("the
    next iteration replaces it"): a resource made per iteration must be released per iteration.
    """
    walker = _PathWalk(go_file, function, releases, error_name, test_failures_end)
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


# ---------------------------------------------------------------------------------------------
# Scopes

_SCOPE_BLOCKS = ("block", "statement_list", *_CASE_TYPES)


def is_shadowed(go_file: GoFile, ref: Node, outer: Node) -> bool:
    """Does a declaration between `ref` and `outer` re-declare the name `ref` spells?

    `outer` is the scope the variable we care about lives in (the source file for a
    package-level variable, the block holding a local's declaration). Without this,
    `m[k] = v` on a local `m` would count as a write to the global `m`.
    """
    return declaring_scope(go_file, ref, outer) is not None


def declaring_scope(go_file: GoFile, ref: Node, outer: Node) -> Node | None:
    """The innermost scope strictly inside `outer` that declares the name `ref` spells.

    Walks out from `ref` and looks, in every enclosing scope, for a parameter, `:=`, `var`,
    `const`, range, select-receive or type-switch variable of that name declared before
    `ref`; returns the node the declaration's scope covers (a statement list, case, compound
    statement or function), or None when the name comes from `outer` or beyond.
    """
    name = go_file.text(ref)
    child, current = ref, ref.parent
    while current is not None and current.id != outer.id:
        if current.type in _SCOPE_BLOCKS:
            for stmt in current.named_children:
                if stmt.start_byte >= child.start_byte:
                    break
                if _declares(go_file, stmt, name):
                    return current
        elif current.type in FUNCTION_TYPES:
            if name in _parameter_names(go_file, current):
                return current
        elif current.type in (
            "if_statement",
            "for_statement",
            "expression_switch_statement",
            "type_switch_statement",
        ):
            for header in _header_declarations(current):
                if header.id == child.id:
                    continue
                if header.type == "expression_list":  # type switch alias `t := x.(type)`
                    if any(go_file.text(c) == name for c in header.named_children):
                        return current
                elif _declares(go_file, header, name):
                    return current
        elif current.type == "communication_case":
            communication = current.child_by_field_name("communication")
            if (
                communication is not None
                and communication.id != child.id
                and _declares(go_file, communication, name)
            ):
                return current
        child, current = current, current.parent
    return None


def _header_declarations(statement: Node) -> list[Node]:
    """Declarations whose scope is a compound statement: initializers, range, type-switch alias."""
    found = []
    initializer = statement.child_by_field_name("initializer")
    if initializer is not None:
        found.append(initializer)
    if statement.type == "type_switch_statement":
        alias = statement.child_by_field_name("alias")
        if alias is not None:
            found.append(alias)
    for child in statement.named_children:
        if child.type == "range_clause":
            found.append(child)
        elif child.type == "for_clause":
            loop_init = child.child_by_field_name("initializer")
            if loop_init is not None:
                found.append(loop_init)
    return found


def _declares(go_file: GoFile, stmt: Node, name: str) -> bool:
    """Does this statement (or header part) declare `name` in its scope?"""
    kind = stmt.type
    if kind in ("short_var_declaration", "range_clause", "receive_statement"):
        if kind != "short_var_declaration" and ":=" not in _operators(stmt):
            return False
        left = stmt.child_by_field_name("left")
        return left is not None and any(
            c.type == "identifier" and go_file.text(c) == name for c in left.named_children
        )
    if kind in ("var_declaration", "const_declaration"):
        spec_types = ("var_spec", "const_spec")
        specs = [c for c in stmt.named_children if c.type in spec_types]
        for group in stmt.named_children:
            if group.type in ("var_spec_list", "const_spec_list"):
                specs.extend(c for c in group.named_children if c.type in spec_types)
        return any(
            go_file.text(n) == name for spec in specs for n in spec.children_by_field_name("name")
        )
    if kind == "labeled_statement":
        return any(_declares(go_file, c, name) for c in stmt.named_children)
    return False


def _operators(stmt: Node) -> set[str]:
    return {c.type for c in stmt.children if not c.is_named}


def _parameter_names(go_file: GoFile, function: Node) -> set[str]:
    """Receiver, parameter and named-result names of a function or function literal."""
    names: set[str] = set()
    for field_name in ("receiver", "parameters", "result"):
        part = function.child_by_field_name(field_name)
        if part is None or part.type != "parameter_list":
            continue
        for declaration in part.named_children:
            names.update(go_file.text(n) for n in declaration.children_by_field_name("name"))
    return names


def parameter_type(go_file: GoFile, ident: Node) -> Node | None:
    """The declared type of the parameter (or receiver, or named result) `ident` refers to.

    Looks in the enclosing function, then outwards through closures (a func literal sees its
    parents' parameters), stopping at a local declaration that shadows the name. None for
    locals, globals and names declared nowhere visible.
    """
    name = go_file.text(ident)
    function = enclosing_function(ident)
    while function is not None:
        body = function.child_by_field_name("body")
        if body is not None and is_shadowed(go_file, ident, body):
            return None
        for field_name in ("receiver", "parameters", "result"):
            part = function.child_by_field_name(field_name)
            if part is None or part.type != "parameter_list":
                continue
            for declaration in part.named_children:
                if any(go_file.text(n) == name for n in declaration.children_by_field_name("name")):
                    return declaration.child_by_field_name("type")
        function = enclosing_function(function)
    return None


# ---------------------------------------------------------------------------------------------
# Loops and timers


def always_leaves_loop(go_file: GoFile, stmts: list[Node], break_leaves: bool = True) -> bool:
    """Does every path through `stmts` (the rest of a loop body) leave the loop for good?

    Leaving is a return, a terminating call (panic, os.Exit, log.Fatal, t.Fatal), a `goto`, a
    labelled `break`/`continue` (taken as aimed outward) or, when `break_leaves`, a plain `break`
    (inside a switch or select arm a plain `break` only ends that statement). Used to tell a
    loop that runs its body once more from one whose rest ends the function or the loop.
    """
    return any(_leaves_loop(go_file, stmt, break_leaves) for stmt in stmts)


def _leaves_loop(go_file: GoFile, stmt: Node, break_leaves: bool) -> bool:
    kind = stmt.type
    if kind in ("return_statement", "goto_statement"):
        return True
    if kind == "break_statement":
        return break_leaves or bool(stmt.named_children)
    if kind == "continue_statement":
        return bool(stmt.named_children)
    if kind == "expression_statement":
        expr = stmt.named_children[0] if stmt.named_children else None
        # `t.Fatalf(...)` and `log.Fatal(...)` end the goroutine or the process as well.
        return (
            expr is not None
            and expr.type == "call_expression"
            and is_terminating_call(go_file, expr)
        )
    if kind == "block":
        return always_leaves_loop(go_file, statements(stmt), break_leaves)
    if kind == "labeled_statement":
        inner = [c for c in stmt.named_children if c.type != "label_name"]
        return always_leaves_loop(go_file, inner, break_leaves)
    if kind == "if_statement":
        consequence = stmt.child_by_field_name("consequence")
        alternative = stmt.child_by_field_name("alternative")
        return (
            alternative is not None
            and always_leaves_loop(go_file, statements(consequence), break_leaves)
            and _leaves_loop(go_file, alternative, break_leaves)
        )
    if kind in _SWITCH_TYPES:
        cases = [c for c in stmt.named_children if c.type in _CASE_TYPES]
        if not cases:
            return kind == "select_statement"  # `select {}` blocks forever
        exhaustive = kind == "select_statement" or any(c.type == "default_case" for c in cases)
        return exhaustive and all(
            always_leaves_loop(go_file, case_statements(c), break_leaves=False) for c in cases
        )
    return False


_GODEBUG_ASYNC_TIMERS = re.compile(rb"^//go:debug\s+asynctimerchan=1\s*$", re.M)


def timers_collected_when_unreferenced(package: Package) -> bool:
    """Does the package build with Go 1.23's timers: unreferenced, unstopped timers and tickers
    are garbage collected?

    True when its go version (the nearest go.mod's `go` line, or `--go-version`) is 1.23 or
    later, unless the old timers were asked back with `godebug asynctimerchan=1` in go.mod or
    `//go:debug asynctimerchan=1` in a main package. An unknown version is taken as old.
    """
    if package.go_version is None or package.go_version < (1, 23):
        return False
    if any(
        b"asynctimerchan" in f.data and _GODEBUG_ASYNC_TIMERS.search(f.data) for f in package.files
    ):
        return False
    gomod = nearest_gomod(package.directory)
    return gomod is None or gomod.godebug.get("asynctimerchan") != "1"


# ---------------------------------------------------------------------------------------------
# Channels: identity across bindings, fields and globals; what a use does; callees

UNBOUNDED = float("inf")

_FIELD_SELECTORS = query("(selector_expression field: (field_identifier) @field) @selector")
_KEYED_FIELDS = query(
    "(keyed_element key: (literal_element (identifier) @key) value: (literal_element (_) @value))"
)
_GO_STATEMENTS = query("(go_statement) @go")
# Byte-level prefilters: a file without these cannot hold what the queries look for.
_MAKE_CHAN_BYTES = re.compile(rb"make\(\s*(?:chan\b|<-\s*chan\b)")
_GO_KEYWORD_BYTES = re.compile(rb"go\b")
_SPACE_CHAN_BYTES = re.compile(rb" chan\b")
_TAB_CHAN_BYTES = re.compile(rb"\tchan\b")

_BINDING_HOLDERS = (
    "short_var_declaration",
    "assignment_statement",
    "range_clause",
    "receive_statement",
)
# What one use of a channel expression does with it (see `channel_use`).
SEND, RECEIVE, RANGE, CLOSE, INSPECT, ARGUMENT, BIND, LABEL, ESCAPE = (
    "send",
    "receive",
    "range",
    "close",
    "inspect",
    "argument",
    "bind",
    "label",
    "escape",
)
# Method calls that end a goroutine or the process (testing.T, log-like loggers).
_TERMINATING_METHODS = frozenset(
    {
        "Fatal",
        "Fatalf",
        "Fatalln",
        "Panic",
        "Panicf",
        "Panicln",
        "FailNow",
        "SkipNow",
        "Skip",
        "Skipf",
        "Goexit",
        "Exit",
    }
)


def channel_makes(go_file: GoFile) -> list[Node]:
    """Every `make(chan T[, n])` call in the file, in source order."""
    cache = go_file.__dict__.setdefault("_semantic_cache", {})
    if "channel_makes" not in cache:
        # Found from the bytes, then checked on the tree: no walk over the whole file.
        found = nodes_at_matches(go_file, _MAKE_CHAN_BYTES, "call_expression", depth=2)
        cache["channel_makes"] = [n for n in found if channel_make(go_file, n) is not None]
    return cache["channel_makes"]


def channel_make(go_file: GoFile, expr: Node | None) -> Node | None:
    """`expr` itself when it is a `make(chan T[, n])` call (through parentheses), else None."""
    while expr is not None and expr.type == "parenthesized_expression":
        expr = expr.named_children[0] if expr.named_children else None
    if expr is None or expr.type != "call_expression":
        return None
    function = expr.child_by_field_name("function")
    arguments = expr.child_by_field_name("arguments")
    if function is None or arguments is None or go_file.text(function) != "make":
        return None
    first = arguments.named_children[0] if arguments.named_children else None
    return expr if first is not None and first.type == "channel_type" else None


def channel_capacity(go_file: GoFile, make: Node) -> float | None:
    """The buffer of a `make(chan T, n)`: 0 without n, n for an integer literal, else None.

    None means "sized at run time" (`len(jobs)`, a constant): the caller cannot compare it with
    a count of sends, and such buffers are usually sized to fit on purpose.
    """
    arguments = make.child_by_field_name("arguments")
    values = [a for a in arguments.named_children if a.type != "comment"] if arguments else []
    if len(values) < 2:
        return 0
    size = values[1]
    if size.type != "int_literal":
        return None
    try:
        return int(go_file.text(size).replace("_", ""), 0)
    except ValueError:
        return None


def channel_element_type(go_file: GoFile, make: Node) -> str:
    """`*Response` for `make(chan *Response)`, for messages that suggest a fix."""
    arguments = make.child_by_field_name("arguments")
    kind = arguments.named_children[0] if arguments is not None else None
    value = kind.child_by_field_name("value") if kind is not None else None
    return go_file.text(value) if value is not None else "T"


def _unparenthesized_use(node: Node) -> Node:
    while node.parent is not None and node.parent.type == "parenthesized_expression":
        node = node.parent
    return node


def channel_use(go_file: GoFile, ref: Node) -> str:
    """What the expression `ref` (a channel's identifier or `x.field` selector) is used for.

    SEND / RECEIVE (`<-ch`, select cases included) / RANGE / CLOSE (`close(ch)`); INSPECT
    (`len`, `cap`, `ch == nil`: harmless); ARGUMENT (passed to some other call); BIND (on the
    left of `=`, `:=`, `var`, or a parameter); LABEL (a composite-literal key spelled like it);
    ESCAPE (returned, assigned to something else, stored, sent as a value, address taken).
    """
    node = _unparenthesized_use(ref)
    parent = node.parent
    if parent is None:
        return ESCAPE
    kind = parent.type
    if kind == "send_statement":
        channel = parent.child_by_field_name("channel")
        return SEND if channel is not None and channel.id == node.id else ESCAPE
    if kind == "unary_expression":
        operator = parent.children[0].type if parent.children else ""
        if operator == "<-":
            return RECEIVE
        return ESCAPE if operator == "&" else INSPECT
    if kind == "range_clause":
        right = parent.child_by_field_name("right")
        return RANGE if right is not None and right.id == node.id else BIND
    if kind == "argument_list":
        call = parent.parent
        callee = call.child_by_field_name("function") if call is not None else None
        name = go_file.text(callee) if callee is not None else ""
        if name == "close":
            return CLOSE
        if name in ("len", "cap", "print", "println"):
            return INSPECT
        return ARGUMENT
    if kind == "binary_expression":
        return INSPECT
    if kind == "expression_list":
        holder = parent.parent
        if holder is None:
            return ESCAPE
        left = holder.child_by_field_name("left")
        if holder.type in _BINDING_HOLDERS and left is not None and left.id == parent.id:
            return BIND
        return ESCAPE
    if kind in ("var_spec", "parameter_declaration", "variadic_parameter_declaration"):
        return BIND if node.type == "identifier" else ESCAPE
    if kind == "literal_element":
        keyed = parent.parent
        key = keyed.child_by_field_name("key") if keyed is not None else None
        if keyed is not None and keyed.type == "keyed_element" and key is not None:
            return LABEL if key.id == parent.id else ESCAPE
        return ESCAPE
    if kind in ("selector_expression", "expression_switch_statement", "expression_case"):
        return INSPECT
    return ESCAPE


def assigned_value(go_file: GoFile, target: Node) -> tuple[bool, Node | None]:
    """For a BIND use, (is a plain assignment or declaration, the value assigned or None).

    `ch := make(...)`, `ch = make(...)`, `var ch = make(...)` give (True, the make call);
    `var ch chan T` gives (True, None); a range variable or a receive target gives (False,
    None): its value is not an expression we can read.
    """
    node = _unparenthesized_use(target)
    parent = node.parent
    if parent is None:
        return False, None
    if parent.type == "var_spec":
        names = parent.children_by_field_name("name")
        values = parent.child_by_field_name("value")
        index = next((i for i, n in enumerate(names) if n.id == node.id), -1)
        if values is None:
            return index >= 0, None
        items = values.named_children
        return index >= 0, items[index] if 0 <= index < len(items) else None
    if parent.type != "expression_list" or parent.parent is None:
        return False, None
    holder = parent.parent
    if holder.type not in ("short_var_declaration", "assignment_statement"):
        return False, None
    operator = holder.child_by_field_name("operator")
    if operator is not None and go_file.text(operator) not in ("=", ":="):
        return False, None
    right = holder.child_by_field_name("right")
    lefts = parent.named_children
    rights = right.named_children if right is not None else []
    if len(lefts) != len(rights):
        return True, None
    index = next((i for i, n in enumerate(lefts) if n.id == node.id), -1)
    return True, rights[index] if index >= 0 else None


def parameters(go_file: GoFile, function: Node) -> list[tuple[str, Node | None, bool]]:
    """(name, type node, variadic) of each parameter in order; `a, b chan T` gives two."""
    result: list[tuple[str, Node | None, bool]] = []
    part = function.child_by_field_name("parameters")
    for declaration in part.named_children if part is not None else []:
        if declaration.type not in ("parameter_declaration", "variadic_parameter_declaration"):
            continue
        variadic = declaration.type == "variadic_parameter_declaration"
        type_node = declaration.child_by_field_name("type")
        names = declaration.children_by_field_name("name")
        if not names:
            result.append(("", type_node, variadic))
        for name in names:
            result.append((go_file.text(name), type_node, variadic))
    return result


def is_receive_only_channel_type(go_file: GoFile, type_node: Node | None) -> bool:
    """`<-chan T`: a channel its holder can only receive from, never close."""
    return (
        type_node is not None
        and type_node.type == "channel_type"
        and go_file.text(type_node).startswith("<-")
    )


def is_bidirectional_channel_type(go_file: GoFile, type_node: Node | None) -> bool:
    """`chan T` (not `<-chan T`, not `chan<- T`)."""
    if type_node is None or type_node.type != "channel_type":
        return False
    text = re.sub(r"\s+", "", go_file.text(type_node))
    return text.startswith("chan") and not text.startswith("chan<-")


@dataclass(frozen=True)
class LocalChannel:
    """A channel held in a local variable: the function declaring it and its `make` bindings."""

    owner: Node
    name: str
    makes: tuple[Node, ...]
    bindings: tuple[Node, ...]


def local_channel(go_file: GoFile, ident: Node) -> LocalChannel | None:
    """The local channel `ident` names, if every assignment to that variable is a `make(chan)`.

    None for a parameter, a package-level variable, or a variable that is ever assigned
    something else (a channel from elsewhere: its producer is not ours to see).
    """
    name = go_file.text(ident)
    function = enclosing_function(ident)
    while function is not None:
        if name in _parameter_names(go_file, function):
            return None
        if name in declared_names(go_file, function):
            break
        function = enclosing_function(function)
    body = function.child_by_field_name("body") if function is not None else None
    if body is None:
        return None
    makes: list[Node] = []
    bindings: list[Node] = []
    for ref in references(go_file, body, name):
        if channel_use(go_file, ref) != BIND:
            continue
        plain, value = assigned_value(go_file, ref)
        if not plain:
            return None
        if value is None and ref.parent is not None and ref.parent.type == "var_spec":
            continue  # `var ch chan T`: declared here, made by a later assignment
        make = channel_make(go_file, value)
        if make is None:
            return None
        makes.append(make)
        bindings.append(ref)
    if not makes:
        return None
    return LocalChannel(function, name, tuple(makes), tuple(bindings))


_STRUCT_KEYWORD = re.compile(rb"struct\s*\{")


def struct_field_names(go_file: GoFile) -> list[Node]:
    """The field names of every struct type in the file, found from the `struct {` bytes."""
    cache = go_file.__dict__.setdefault("_semantic_cache", {})
    if "struct_field_names" not in cache:
        names = []
        for struct in nodes_at_matches(go_file, _STRUCT_KEYWORD, "struct_type", depth=1):
            for field_list in struct.named_children:
                if field_list.type != "field_declaration_list":
                    continue
                for declaration in field_list.named_children:
                    if declaration.type == "field_declaration":
                        names.extend(declaration.children_by_field_name("name"))
        cache["struct_field_names"] = names
    return cache["struct_field_names"]


def _may_declare_channels(data: bytes) -> bool:
    """`jobs chan Job` (a field, parameter or var) or `make(chan ...)` (a var's value).

    Plain substring tests first: a regex alternation scans every byte and costs more than
    the query it saves on the standard library."""
    return (
        (b" chan" in data and _SPACE_CHAN_BYTES.search(data) is not None)
        or (b"\tchan" in data and _TAB_CHAN_BYTES.search(data) is not None)
        or b"make(chan" in data
    )


def file_identifiers(go_file: GoFile) -> dict[str, list[Node]]:
    """Every identifier of the file by name, computed once per file."""
    cache = go_file.__dict__.setdefault("_semantic_cache", {})
    if "identifiers" not in cache:
        table: dict[str, list[Node]] = {}
        for ident in captures(_IDENTIFIERS, go_file.root).get("id", []):
            table.setdefault(go_file.text(ident), []).append(ident)
        cache["identifiers"] = table
    return cache["identifiers"]


def package_mentions_channels(package: Package) -> bool:
    """Does any file of the package spell `chan`? Without it there is no channel to judge."""
    cache = _package_cache(package)
    if "mentions_channels" not in cache:
        cache["mentions_channels"] = any(b"chan" in f.data for f in package.files)
    return cache["mentions_channels"]


def _package_cache(package: Package) -> dict:
    return package.__dict__.setdefault("_semantic_cache", {})


def package_declarations(package: Package) -> dict[str, list[tuple[GoFile, Node]]]:
    """Top-level functions by name (`run`) and methods by `.name` (`.run`), over all files."""
    cache = _package_cache(package)
    if "declarations" not in cache:
        table: dict[str, list[tuple[GoFile, Node]]] = {}
        for go_file in package.files:
            # Top-level children only: cheaper than a query over the whole tree.
            for declaration in go_file.root.named_children:
                name_node = declaration.child_by_field_name("name")
                if name_node is None:
                    continue
                name = go_file.text(name_node)
                if declaration.type == "function_declaration":
                    table.setdefault(name, []).append((go_file, declaration))
                elif declaration.type == "method_declaration":
                    table.setdefault(f".{name}", []).append((go_file, declaration))
        cache["declarations"] = table
    return cache["declarations"]


def callee_declarations(package: Package, go_file: GoFile, call: Node) -> list[tuple[GoFile, Node]]:
    """The declarations in this package a call may run: `f(...)` -> func f; `x.m(...)` -> every
    method m (no types: any receiver). Empty for other packages, function values, closures."""
    callee = call.child_by_field_name("function")
    if callee is None:
        return []
    table = package_declarations(package)
    if callee.type == "identifier":
        name = go_file.text(callee)
        function = enclosing_function(call)
        while function is not None:
            if name in declared_names(go_file, function):
                return []  # a local function value shadows the package function
            function = enclosing_function(function)
        return table.get(name, [])
    if callee.type == "selector_expression":
        operand = callee.child_by_field_name("operand")
        field = callee.child_by_field_name("field")
        if operand is None or field is None or go_file.text(operand) in go_file.imports:
            return []
        return table.get(f".{go_file.text(field)}", [])
    return []


def argument_index(ref: Node) -> tuple[Node, int] | None:
    """(the call, the argument position) for an expression passed directly to a call."""
    node = _unparenthesized_use(ref)
    parent = node.parent
    if parent is None or parent.type != "argument_list" or parent.parent is None:
        return None
    arguments = [a for a in parent.named_children if a.type != "comment"]
    index = next((i for i, a in enumerate(arguments) if a.id == node.id), -1)
    return (parent.parent, index) if index >= 0 else None


def parameter_for_argument(
    go_file: GoFile, function: Node, index: int
) -> tuple[str, Node | None] | None:
    """(name, type) of the parameter that receives argument `index`; None when unknowable
    (variadic, method expression, arity mismatch)."""
    params = parameters(go_file, function)
    if index >= len(params) or params[index][2]:
        return None
    name, type_node, _ = params[index]
    return name, type_node


def may_close_through_call(package: Package, go_file: GoFile, ref: Node, depth: int = 0) -> bool:
    """Could the call that `ref` is passed to close that channel (or hand it further on)?

    True unless the callee is a function of this package whose parameter is receive-only, or
    that neither closes the parameter nor lets it escape (followed through a few calls).
    """
    located = argument_index(ref)
    if located is None or depth > 3:
        return True
    call, index = located
    declarations = callee_declarations(package, go_file, call)
    if not declarations:
        return True
    for callee_file, function in declarations:
        parameter = parameter_for_argument(callee_file, function, index)
        if parameter is None:
            return True
        name, type_node = parameter
        if name in ("", "_") or is_receive_only_channel_type(callee_file, type_node):
            continue
        body = function.child_by_field_name("body")
        refs = [(callee_file, r) for r in references(callee_file, body, name)] if body else []
        if channel_may_close(package, refs, depth + 1):
            return True
    return False


def channel_may_close(
    package: Package, refs: Iterable[tuple[GoFile, Node]], depth: int = 0
) -> bool:
    """Among these uses of one channel, is there a close, or a use after which it may be closed
    out of our sight (escaping, rebound to something that is not `make(chan)`)?"""
    for go_file, ref in refs:
        use = channel_use(go_file, ref)
        if use in (CLOSE, ESCAPE):
            return True
        if use == BIND:
            plain, value = assigned_value(go_file, ref)
            declared_only = (
                value is None
                and ref.parent is not None
                and ref.parent.type in ("var_spec", "parameter_declaration")
            )
            if not declared_only and (not plain or channel_make(go_file, value) is None):
                return True
        if use == ARGUMENT and may_close_through_call(package, go_file, ref, depth):
            return True
    return False


@dataclass(frozen=True)
class PackageChannel:
    """A channel a package-wide name denotes: an unexported struct field or package variable.

    `uses` are every expression in the package that names it (`x.jobs` selectors, or the
    variable's identifiers), across files.
    """

    name: str
    kind: str  # "field" or "global"
    uses: tuple[tuple[GoFile, Node], ...]


def package_channel_field_names(package: Package) -> frozenset[str]:
    """Unexported struct fields declared `chan T` in this package, and under no other type in
    any struct of it (without types, `x.jobs` must mean the same field everywhere)."""
    cache = _package_cache(package)
    if "channel_field_names" in cache:
        return cache["channel_field_names"]
    channel_names: set[str] = set()
    other_names: set[str] = set()
    for go_file in package.files:
        if not _may_declare_channels(go_file.data):
            continue  # no channel field declared here; other files are checked below
        for name_node in struct_field_names(go_file):
            declaration = name_node.parent
            type_node = declaration.child_by_field_name("type") if declaration else None
            name = go_file.text(name_node)
            if is_bidirectional_channel_type(go_file, type_node) and not name[:1].isupper():
                channel_names.add(name)
            else:
                other_names.add(name)
    candidates = channel_names - other_names
    for go_file in package.files if candidates else []:
        if _may_declare_channels(go_file.data) or not any(
            n.encode() in go_file.data for n in candidates
        ):
            continue  # already scanned, or cannot declare a field of a candidate's name
        for name_node in struct_field_names(go_file):
            candidates.discard(go_file.text(name_node))
    cache["channel_field_names"] = frozenset(candidates)
    return cache["channel_field_names"]


def package_channel_field(package: Package, name: str) -> PackageChannel | None:
    """The channel field `name` (see `package_channel_field_names`) with every `x.name` of
    the package, if it is only ever set to a `make(chan ...)` made here (by assignment or
    in a composite literal); None otherwise. Computed on demand, once per name."""
    if name not in package_channel_field_names(package):
        return None
    cache = _package_cache(package).setdefault("channel_fields", {})
    if name in cache:
        return cache[name]
    uses: list[tuple[GoFile, Node]] = []
    made = rejected = False
    spelled = name.encode()
    for go_file in package.files:
        if spelled not in go_file.data:
            continue
        for selector in _file_selectors(go_file).get(name, ()):
            operand = selector.child_by_field_name("operand")
            if operand is None or go_file.text(operand) in go_file.imports:
                continue
            uses.append((go_file, selector))
            if channel_use(go_file, selector) == BIND:
                plain, value = assigned_value(go_file, selector)
                if plain and channel_make(go_file, value) is not None:
                    made = True
                elif not (plain and value is not None and go_file.text(value) == "nil"):
                    rejected = True
        found = captures(_KEYED_FIELDS, go_file.root)
        for key, value in zip(found.get("key", []), found.get("value", []), strict=False):
            if go_file.text(key) != name:
                continue
            if channel_make(go_file, value) is not None:
                made = True
            elif go_file.text(value) != "nil":
                rejected = True
    result = PackageChannel(name, "field", tuple(uses)) if made and not rejected else None
    cache[name] = result
    return result


def _file_selectors(go_file: GoFile) -> dict[str, list[Node]]:
    """Every `x.name` selector of the file by field name, computed once per file."""
    cache = go_file.__dict__.setdefault("_semantic_cache", {})
    if "selectors" not in cache:
        table: dict[str, list[Node]] = {}
        for selector in captures(_FIELD_SELECTORS, go_file.root).get("selector", []):
            field = selector.child_by_field_name("field")
            table.setdefault(go_file.text(field), []).append(selector)
        cache["selectors"] = table
    return cache["selectors"]


def _top_level_var_specs(go_file: GoFile) -> list[Node]:
    """`var` specs at package level: only the root's children need looking at."""
    specs = []
    for declaration in go_file.root.children:
        if declaration.type == "var_declaration":
            for child in declaration.named_children:
                if child.type == "var_spec":
                    specs.append(child)
                elif child.type == "var_spec_list":
                    specs.extend(c for c in child.named_children if c.type == "var_spec")
    return specs


def package_channel_global_names(package: Package) -> frozenset[str]:
    """Unexported package-level variables declared `chan T` or `= make(chan ...)`."""
    cache = _package_cache(package)
    if "channel_global_names" in cache:
        return cache["channel_global_names"]
    names: set[str] = set()
    for go_file in package.files:
        if not _may_declare_channels(go_file.data):
            continue
        for spec in _top_level_var_specs(go_file):
            type_node = spec.child_by_field_name("type")
            values = spec.child_by_field_name("value")
            items = values.named_children if values is not None else []
            for index, name_node in enumerate(spec.children_by_field_name("name")):
                name = go_file.text(name_node)
                if name[:1].isupper() or name == "_":
                    continue
                value = items[index] if index < len(items) else None
                if channel_make(go_file, value) is not None or (
                    value is None and is_bidirectional_channel_type(go_file, type_node)
                ):
                    names.add(name)
    cache["channel_global_names"] = frozenset(names)
    return cache["channel_global_names"]


def package_channel_global(package: Package, name: str) -> PackageChannel | None:
    """The package-variable channel `name` with every use of it in the package (identifiers
    that a local declaration shadows are left out), computed on demand."""
    if name not in package_channel_global_names(package):
        return None
    cache = _package_cache(package).setdefault("channel_globals", {})
    if name not in cache:
        uses = [
            (go_file, ident)
            for go_file in package.files
            if name.encode() in go_file.data
            for ident in file_identifiers(go_file).get(name, ())
            if not _declared_locally(go_file, ident, name)
        ]
        cache[name] = PackageChannel(name, "global", tuple(uses))
    return cache[name]


def package_channel_of(package: Package, go_file: GoFile, expr: Node) -> PackageChannel | None:
    """The field or package-variable channel `expr` (`s.jobs`, `jobs`) names, if any."""
    if expr.type == "selector_expression":
        operand = expr.child_by_field_name("operand")
        field = expr.child_by_field_name("field")
        if operand is None or field is None or go_file.text(operand) in go_file.imports:
            return None
        return package_channel_field(package, go_file.text(field))
    if expr.type == "identifier":
        name = go_file.text(expr)
        if _declared_locally(go_file, expr, name):
            return None
        return package_channel_global(package, name)
    return None


def is_terminating_call(go_file: GoFile, call: Node) -> bool:
    """A call after which this goroutine does not go on: panic, os.Exit, log.Fatal, and the
    methods that end a test or a process (`t.Fatal`, `logger.Fatalf`, `t.SkipNow`)."""
    if is_no_return_call(go_file, call):
        return True
    callee = call.child_by_field_name("function")
    if callee is None or callee.type != "selector_expression":
        return False
    field = callee.child_by_field_name("field")
    return field is not None and go_file.text(field) in _TERMINATING_METHODS


def goroutine_of(node: Node) -> Node | None:
    """The function whose goroutine runs `node`: its enclosing function, looking through
    deferred closures (they run on the goroutine of the function that defers them)."""
    function = enclosing_function(node)
    while function is not None and _is_deferred_call(function):
        function = enclosing_function(function)
    return function


def select_of(op: Node) -> Node | None:
    """The select statement whose case `op` (a send statement or a `<-ch` receive) is."""
    current = op
    while current.parent is not None:
        parent = current.parent
        if parent.type == "communication_case":
            return parent.parent
        if parent.type not in ("receive_statement", "expression_list", "parenthesized_expression"):
            return None
        current = parent
    return None


def communication_channel(go_file: GoFile, case: Node) -> str | None:
    """The channel expression text a select case sends on or receives from."""
    comm = case.child_by_field_name("communication")
    if comm is None:
        return None
    if comm.type == "send_statement":
        channel = comm.child_by_field_name("channel")
        return go_file.text(channel) if channel is not None else None
    expr = comm.child_by_field_name("right") if comm.type == "receive_statement" else comm
    if expr is not None and expr.type == "unary_expression":
        operand = expr.child_by_field_name("operand")
        return go_file.text(operand) if operand is not None else None
    return None


def is_committed_channel_op(go_file: GoFile, op: Node, channel: str) -> bool:
    """Does the send/receive `op` on `channel` wait for a partner with no way around it?

    True outside a select, or in a select (without default) whose every case is on the same
    channel; a select with a `ctx.Done()`, timeout or default case can leave instead.
    """
    select = select_of(op)
    if select is None:
        return True
    for case in select.named_children:
        if case.type == "default_case":
            return False
        if case.type == "communication_case" and communication_channel(go_file, case) != channel:
            return False
    return True


def max_on_a_path(go_file: GoFile, function: Node, ops: list[Node]) -> float:
    """How many of `ops` one run of `function` can execute at most (UNBOUNDED: a loop
    repeats them).

    A structured walk: a sequence adds up, if/switch/select take their largest branch, a
    return or a terminating call ends the path (what ran before it still counts). A loop
    counts as unbounded only when an op lies on a path that goes round again; a loop whose
    ops are each followed by `return` or `break` runs them once.
    """
    if not ops:
        return 0
    return _OpCount(go_file, ops).function(function)


@dataclass(frozen=True)
class _Paths:
    """Most ops on paths that reach the end, leave the function, break, or continue
    (-inf when no path does)."""

    end: float
    left: float = -UNBOUNDED
    broke: float = -UNBOUNDED
    cont: float = -UNBOUNDED

    def after(self, done: float) -> _Paths:
        def plus(value: float) -> float:
            return value if value == -UNBOUNDED else value + done

        return _Paths(plus(self.end), plus(self.left), plus(self.broke), plus(self.cont))


_NO_PATH = _Paths(-UNBOUNDED)


class _OpCount:
    def __init__(self, go_file: GoFile, ops: list[Node]) -> None:
        self.go_file = go_file
        self.ranges = [(op.start_byte, op.end_byte) for op in ops]
        self.body: Node | None = None
        self.once = 0.0  # ops under a run-once flag (`if first { ...; first = false }`)

    def count(self, node: Node | None) -> float:
        if node is None:
            return 0
        return sum(1 for s, e in self.ranges if node.start_byte <= s and e <= node.end_byte)

    def function(self, function: Node) -> float:
        self.body = function.child_by_field_name("body")
        paths = self.sequence(statements(self.body))
        return max(paths.end, paths.left, 0) + self.once

    def sequence(self, stmts: list[Node]) -> _Paths:
        done = 0.0
        left = broke = cont = -UNBOUNDED
        for stmt in stmts:
            paths = self.statement(stmt).after(done)
            left = max(left, paths.left)
            broke = max(broke, paths.broke)
            cont = max(cont, paths.cont)
            if paths.end == -UNBOUNDED:
                return _Paths(-UNBOUNDED, left, broke, cont)
            done = paths.end
        return _Paths(done, left, broke, cont)

    @staticmethod
    def merge(results: list[_Paths]) -> _Paths:
        return _Paths(
            max((r.end for r in results), default=-UNBOUNDED),
            max((r.left for r in results), default=-UNBOUNDED),
            max((r.broke for r in results), default=-UNBOUNDED),
            max((r.cont for r in results), default=-UNBOUNDED),
        )

    def statement(self, stmt: Node) -> _Paths:
        kind = stmt.type
        if kind == "return_statement":
            return _Paths(-UNBOUNDED, left=self.count(stmt))
        if kind == "break_statement":
            return _Paths(-UNBOUNDED, broke=0)
        if kind == "continue_statement":
            return _Paths(-UNBOUNDED, cont=0)
        if kind == "goto_statement":
            return _NO_PATH
        if kind == "block":
            return self.sequence(statements(stmt))
        if kind == "labeled_statement":
            return self.sequence([c for c in stmt.named_children if c.type != "label_name"])
        if kind == "if_statement":
            head = self.count(stmt.child_by_field_name("initializer")) + self.count(
                stmt.child_by_field_name("condition")
            )
            alternative = stmt.child_by_field_name("alternative")
            if self.body is not None and _runs_once(self.go_file, self.body, stmt):
                inner = self.sequence(statements(stmt.child_by_field_name("consequence")))
                self.once += max(inner.end, 0)
                return _Paths(head)
            results = [self.sequence(statements(stmt.child_by_field_name("consequence")))]
            if alternative is None:
                results.append(_Paths(0))
            elif alternative.type == "if_statement":
                results.append(self.statement(alternative))
            else:
                results.append(self.sequence(statements(alternative)))
            return self.merge(results).after(head)
        if kind in _SWITCH_TYPES:
            return self.switch_statement(stmt)
        if kind == "for_statement":
            return self.for_statement(stmt)
        if kind == "expression_statement":
            expr = stmt.named_children[0] if stmt.named_children else None
            if (
                expr is not None
                and expr.type == "call_expression"
                and is_terminating_call(self.go_file, expr)
            ):
                return _Paths(-UNBOUNDED, left=self.count(stmt))
        return _Paths(self.count(stmt))

    def switch_statement(self, stmt: Node) -> _Paths:
        cases = [c for c in stmt.named_children if c.type in _CASE_TYPES]
        head = sum(self.count(c) for c in stmt.named_children if c.type not in _CASE_TYPES)
        results = []
        for case in cases:
            extra = self.count(case.child_by_field_name("communication"))
            paths = self.sequence(case_statements(case)).after(extra)
            # A break inside a case ends the switch or select, and the path goes on after it.
            results.append(_Paths(max(paths.end, paths.broke), paths.left, cont=paths.cont))
        if stmt.type != "select_statement" and not any(c.type == "default_case" for c in cases):
            results.append(_Paths(0))
        if not results:
            return _NO_PATH  # select {} blocks forever
        return self.merge(results).after(head)

    def for_statement(self, stmt: Node) -> _Paths:
        body = stmt.child_by_field_name("body")
        header_ops = self.count(stmt) - self.count(body)
        paths = self.sequence(statements(body))
        if header_ops or max(paths.end, paths.cont) > 0:
            return _Paths(UNBOUNDED, UNBOUNDED)
        header = [c for c in stmt.named_children if c.type != "comment" and c.id != body.id]
        natural = 0 if header else -UNBOUNDED
        return _Paths(max(natural, paths.broke), paths.left)


def _runs_once(go_file: GoFile, body: Node, stmt: Node) -> bool:
    """`if first { ...; first = false }` (or `if !sent { ...; sent = true }`) with no else,
    no jump out of the block, and a flag declared outside every loop around it and assigned
    nowhere else: the block runs at most once per run of the function."""
    condition = stmt.child_by_field_name("condition")
    consequence = stmt.child_by_field_name("consequence")
    if condition is None or consequence is None or stmt.child_by_field_name("alternative"):
        return False
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
        if use == ESCAPE:
            return False
        if use == BIND:
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


# ---------------------------------------------------------------------------------------------
# Balance: does every path out of F match what its goroutines wait for?


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
    how: str
    balance: Balance


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
        go_file: GoFile,
        launches: list[tuple[Node, float]],
        events: list[tuple[Node, float]],
        dead_cases: frozenset[int] = frozenset(),
    ) -> None:
        self.go_file = go_file
        self.dead_cases = dead_cases
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
            self.exits.append((stmt, "this return", self.add(states, matched=self.weight(stmt))))
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
        if (
            loop is not None
            and loop.matching
            and condition is not None
            and is_counter_check(self.go_file, condition, loop.statement)
        ):
            # `if remaining == 0 { return }` in a receive loop: it has counted them all.
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
        trips = loop_trip_count(self.go_file, stmt)
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
        how = "this continue" if is_continue else "this break"
        self.exits.append((stmt, how, states))
        return []


_UNROLL_LIMIT = 16


def loop_trip_count(go_file: GoFile, loop: Node) -> int | None:
    """How many times a loop runs when its header says so with literals: `for range 3`,
    `for i := 0; i < 2; i++`, `for i := 1; i <= 4; i++`; None otherwise."""
    for child in loop.named_children:
        if child.type == "range_clause":
            right = child.child_by_field_name("right")
            if right is not None and right.type == "int_literal":
                return _int_literal(go_file, right)
            return None
        if child.type == "for_clause":
            return _clause_trip_count(go_file, child)
    return None


def _int_literal(go_file: GoFile, node: Node | None) -> int | None:
    """An integer literal's value, also through a conversion (`int32(0)`)."""
    if node is not None and node.type == "call_expression":
        arguments = node.child_by_field_name("arguments")
        values = arguments.named_children if arguments is not None else []
        node = values[0] if len(values) == 1 else None
    if node is None or node.type != "int_literal":
        return None
    try:
        return int(go_file.text(node).replace("_", ""), 0)
    except ValueError:
        return None


def _clause_trip_count(go_file: GoFile, clause: Node) -> int | None:
    init = clause.child_by_field_name("initializer")
    condition = clause.child_by_field_name("condition")
    update = clause.child_by_field_name("update")
    if init is None or condition is None or update is None:
        return None
    left = init.child_by_field_name("left")
    right = init.child_by_field_name("right")
    if init.type != "short_var_declaration" or left is None or right is None:
        return None
    if len(left.named_children) != 1 or len(right.named_children) != 1:
        return None
    name = go_file.text(left.named_children[0])
    start = _int_literal(go_file, right.named_children[0])
    text = re.sub(r"\s+", "", go_file.text(condition))
    match = re.fullmatch(rf"{re.escape(name)}(<|<=)(\w+)", text)
    if start is None or match is None or re.sub(r"\s+", "", go_file.text(update)) != f"{name}++":
        return None
    try:
        bound = int(match.group(2).replace("_", ""), 0)
    except ValueError:
        return None
    return max(0, bound - start + (1 if match.group(1) == "<=" else 0))


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
    go_file: GoFile,
    binding: Node,
    launches: list[tuple[Node, float]],
    events: list[tuple[Node, float]],
    slack: float,
    dead_cases: frozenset[int] = frozenset(),
) -> list[UnbalancedExit]:
    """Ways out of the scope of a channel bound at `binding` on which its goroutines are left
    waiting: `owed - slack > matched`.

    `launches` pairs each `go` statement with what that goroutine owes (sends it makes, or
    receives it waits for); `events` are the function's own matching operations with their
    weight (1 for a receive or send, UNBOUNDED for a close or a `range`); `slack` is the
    channel's buffer. Exits are returns, the end of the scope (function, loop iteration or
    block), and `break`/`continue` that leave it. Select cases whose ids are in `dead_cases`
    can never be chosen (a channel nobody serves) and are not walked.
    """
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
    walk = _BalanceWalk(go_file, launches, events, dead_cases)
    end = walk.sequence(rest, [Balance(0, 0)])
    if end:
        walk.exits.append((*_scope_end(container), end))
    by_node: dict[int, UnbalancedExit] = {}
    for node, how, states in walk.exits:
        short = [s for s in states if s.owed - slack > s.matched]
        known = by_node.get(node.id)
        if known is not None:
            short.append(known.balance)
        if short:
            worst = max(short, key=lambda s: (s.owed - s.matched, s.witness is None))
            by_node[node.id] = UnbalancedExit(node, how, worst)
    return sorted(by_node.values(), key=lambda e: e.node.start_byte)


def _scope_end(container: Node) -> tuple[Node, str]:
    owner = container.parent
    if container.type == "block" and owner is not None:
        if owner.type in FUNCTION_TYPES:
            return _closing_brace(container), "the end of the function"
        if owner.type == "for_statement":
            return _closing_brace(container), "the end of the loop iteration"
        return _closing_brace(container), "the end of the block"
    return container, "the end of the case"


def go_statements(go_file: GoFile, scope: Node | None = None) -> list[Node]:
    """`go` statements below `scope` (the whole file by default), in source order."""
    if scope is not None:
        return captures(_GO_STATEMENTS, scope).get("go", [])
    cache = go_file.__dict__.setdefault("_semantic_cache", {})
    if "go_statements" not in cache:
        cache["go_statements"] = nodes_at_matches(go_file, _GO_KEYWORD_BYTES, "go_statement")
    return cache["go_statements"]


# ---------------------------------------------------------------------------------------------
# Goroutines that never end

_RECEIVE_EXPRESSIONS = query('(unary_expression operator: "<-") @receive')
_LOOP_CALLS = query("(call_expression) @call")
# Name parts of a channel that signals "stop now": done, quit, stopCh, closing, shutdownC...
_STOP_WORDS = re.compile(
    r"^(done|quit|stop|stopp\w*|exit\w*|clos\w*|shutdown\w*|cancel\w*|kill\w*|die|dying|dead"
    r"|term\w*|finish\w*|abort\w*|halt\w*|end|teardown|leave|bye)$"
)


def runs_forever(go_file: GoFile, loop: Node) -> bool:
    """`for { ... }`, or a range over a ticker's or timer's channel (nobody closes those)."""
    body = loop.child_by_field_name("body")
    header = [
        c for c in loop.named_children if c.type != "comment" and (body is None or c.id != body.id)
    ]
    if not header:
        return True
    right = range_expression(loop)
    if right is None:
        return False
    if right.type == "selector_expression":
        field = right.child_by_field_name("field")
        return field is not None and go_file.text(field) == "C"
    return right.type == "call_expression" and any(
        call.id == right.id for _, call in calls_to(go_file, ("time.Tick",))
    )


def is_stop_signal(go_file: GoFile, receive: Node) -> bool:
    """A receive that tells a goroutine to stop: `<-ctx.Done()`, `<-s.quit`, `<-stopCh`, or a
    comma-ok receive (`v, ok := <-ch`) that notices a closed channel."""
    operand = receive.child_by_field_name("operand")
    while operand is not None and operand.type == "parenthesized_expression":
        operand = operand.named_children[0] if operand.named_children else None
    if operand is None:
        return False
    holder = receive.parent
    if holder is not None and holder.type == "expression_list":
        holder = holder.parent
    if holder is not None and holder.type in ("receive_statement", "short_var_declaration"):
        left = holder.child_by_field_name("left")
        if left is not None and len(left.named_children) == 2:
            return True
    if operand.type == "call_expression":
        callee = operand.child_by_field_name("function")
        field = callee.child_by_field_name("field") if callee is not None else None
        return field is not None and go_file.text(field) in ("Done", "Dying", "Closed", "Stop")
    last = operand
    if operand.type == "selector_expression":
        last = operand.child_by_field_name("field")
    if last is None or last.type not in ("identifier", "field_identifier"):
        return False
    parts = re.findall(r"[a-z]+|[A-Z][a-z]*", go_file.text(last))
    return any(_STOP_WORDS.match(part.lower()) for part in parts)


def loop_has_way_out(go_file: GoFile, function: Node, loop: Node) -> Node | None:
    """The first thing that can end `loop` or its goroutine: a break or goto leaving it, a
    return, a terminating call (panic, os.Exit, log.Fatal, runtime.Goexit), or a stop-signal
    receive (see `is_stop_signal`). None when the loop has no way out at all."""
    if loop_has_break(go_file, loop):
        return loop
    for ret in own_returns(function):
        if is_inside(ret, loop):
            return ret
    for call in captures(_LOOP_CALLS, loop).get("call", []):
        owner = enclosing_function(call)
        if owner is not None and owner.id == function.id and is_terminating_call(go_file, call):
            return call
    for receive in captures(_RECEIVE_EXPRESSIONS, loop).get("receive", []):
        owner = enclosing_function(receive)
        if owner is not None and owner.id == function.id and is_stop_signal(go_file, receive):
            return receive
    return None


def endless_loop_without_exit(go_file: GoFile, function: Node) -> Node | None:
    """The loop, among the top-level statements of `function`, that runs forever and has no
    way out (see `runs_forever`, `loop_has_way_out`); None if there is none."""
    for stmt in statements(function.child_by_field_name("body")):
        loop = stmt
        if loop.type == "labeled_statement":
            loop = next((c for c in loop.named_children if c.type == "for_statement"), loop)
        if loop.type != "for_statement" or not runs_forever(go_file, loop):
            continue
        if loop_has_way_out(go_file, function, loop) is None:
            return loop
        return None  # the code after an endless loop runs only through its way out
    return None


# ---------------------------------------------------------------------------------------------
# Declared types (no type checker: what a declaration spells out)

_DECLARATIONS = query(
    """
    (var_spec) @decl
    (short_var_declaration) @decl
    (field_declaration) @decl
    """
)


def type_name(go_file: GoFile, type_node: Node | None) -> str | None:
    """`*http.Client` -> `net/http.Client` (import path resolved), `Config` -> `Config`."""
    while type_node is not None and type_node.type in ("pointer_type", "parenthesized_type"):
        type_node = type_node.named_children[0] if type_node.named_children else None
    if type_node is None:
        return None
    if type_node.type == "qualified_type":
        package = type_node.child_by_field_name("package")
        name = type_node.child_by_field_name("name")
        import_path = go_file.imports.get(go_file.text(package)) if package else None
        return f"{import_path}.{go_file.text(name)}" if import_path and name else None
    if type_node.type == "type_identifier":
        return go_file.text(type_node)
    return None


def value_type_name(go_file: GoFile, package: Package, expr: Node, _depth: int = 0) -> str | None:
    """The type an expression's declaration spells out, resolved like `type_name`.

    Knows composite literals (`&net.Dialer{}`), `new(T)`, parameters, locals declared with a
    type or initialised with one of those, package-level variables, and struct fields
    (`c.client` when a struct of the package declares `client *http.Client`). None otherwise.
    """
    if _depth > 8:  # `a := b` chains (or cycles) are not followed far
        return None
    while expr.type == "parenthesized_expression" and expr.named_children:
        expr = expr.named_children[0]
    if expr.type == "unary_expression" and go_file.text(expr).startswith("&"):
        operand = expr.child_by_field_name("operand")
        if operand is None:
            return None
        return value_type_name(go_file, package, operand, _depth + 1)
    if expr.type == "composite_literal":
        return type_name(go_file, expr.child_by_field_name("type"))
    if expr.type == "call_expression":
        function = expr.child_by_field_name("function")
        arguments = expr.child_by_field_name("arguments")
        if function is None or go_file.text(function) != "new" or arguments is None:
            return None
        return type_name(go_file, arguments.named_children[0] if arguments.named_children else None)
    if expr.type == "identifier":
        parameter = parameter_type(go_file, expr)
        if parameter is not None:
            return type_name(go_file, parameter)
        scopes = []
        function = enclosing_function(expr)
        while function is not None:
            scopes.append((go_file, function))
            function = enclosing_function(function)
        name = go_file.text(expr)
        scopes.extend((f, f.root) for f in package.files if name.encode() in f.data)
        for owner, scope in scopes:
            found = _declared_type_in(owner, package, scope, name, False, _depth)
            if found is not None:
                return found
        return None
    if expr.type == "selector_expression":
        field = expr.child_by_field_name("field")
        if field is None:
            return None
        name = go_file.text(field)
        for owner in package.files:
            if name.encode() in owner.data:
                found = _declared_type_in(owner, package, owner.root, name, True, _depth)
                if found is not None:
                    return found
    return None


def _declared_type_in(
    go_file: GoFile, package: Package, scope: Node, name: str, fields: bool, depth: int
) -> str | None:
    package_level = scope.type == "source_file"
    for decl, index, count in _declarations(go_file).get((name, fields), ()):
        if not is_inside(decl, scope):
            continue
        if package_level and not fields and enclosing_function(decl) is not None:
            continue  # another function's local, not a package-level variable
        declared = type_name(go_file, decl.child_by_field_name("type"))
        if declared is None:
            if decl.type == "short_var_declaration":
                right = decl.child_by_field_name("right")
                values = right.named_children if right is not None else []
            else:
                value = decl.child_by_field_name("value")
                values = value.named_children if value is not None else []
            if index < len(values) and len(values) == count:
                declared = value_type_name(go_file, package, values[index], depth + 1)
        if declared is not None:
            return declared
    return None


def _declarations(go_file: GoFile) -> dict[tuple[str, bool], list[tuple[Node, int, int]]]:
    """(name, is a struct field) -> [(declaration, position of the name, names declared)],
    computed once per file: type lookups ask for many names."""
    cache = go_file.__dict__.setdefault("_semantic_cache", {})
    if "declarations" in cache:
        return cache["declarations"]
    table: dict[tuple[str, bool], list[tuple[Node, int, int]]] = {}
    for decl in captures(_DECLARATIONS, go_file.root).get("decl", []):
        if decl.type == "short_var_declaration":
            left = decl.child_by_field_name("left")
            names = left.named_children if left is not None else []
        else:
            names = decl.children_by_field_name("name")
        fields = decl.type == "field_declaration"
        for index, ident in enumerate(names):
            table.setdefault((go_file.text(ident), fields), []).append((decl, index, len(names)))
    cache["declarations"] = table
    return table


_BLOCK_STATEMENT_PARENTS = ("block", "statement_list", *_CASE_TYPES)


def is_block_statement(statement: Node | None) -> bool:
    """A statement of a block or case, not the header of an if/for/switch: the statements
    after it in its block are the paths `exits_without_release` can follow."""
    return (
        statement is not None
        and statement.parent is not None
        and statement.parent.type in _BLOCK_STATEMENT_PARENTS
    )


# ---------------------------------------------------------------------------------------------
# Package-level state: globals, the code that touches them, and what runs only at start-up

_ONCE_WRAPPERS = frozenset({"sync.OnceFunc", "sync.OnceValue", "sync.OnceValues"})
# `Register`, `MustRegister`, `registerCodec`, `Publish`: by Go convention called from init
# functions (database/sql.Register, image.RegisterFormat, gob.Register, expvar.Publish,
# prometheus.MustRegister).
_REGISTER_RE = re.compile(r"^(Must)?([Rr]egister|[Pp]ublish)")


@dataclass(frozen=True)
class PackageVar:
    """One name of a package-level `var` spec in a non-test file."""

    go_file: GoFile
    name: str
    node: Node  # the name identifier
    type: Node | None
    value: Node | None


def package_vars(package: Package) -> list[PackageVar]:
    """Package-level variables of the package's non-test files, in source order."""
    found = []
    for go_file in package.files:
        if go_file.is_test:
            continue
        for spec in _top_level_specs(go_file, "var_declaration", "var_spec"):
            names = spec.children_by_field_name("name")
            values_node = spec.child_by_field_name("value")
            values = values_node.named_children if values_node is not None else []
            type_node = spec.child_by_field_name("type")
            for index, name_node in enumerate(names):
                value = values[index] if len(values) == len(names) else None
                found.append(
                    PackageVar(go_file, go_file.text(name_node), name_node, type_node, value)
                )
    found.sort(key=lambda v: (v.go_file.display_path, v.node.start_byte))
    return found


def _top_level_specs(go_file: GoFile, declaration: str, *spec_types: str) -> Iterator[Node]:
    """Specs of the file's top-level declarations, grouped or not (no walk below top level)."""
    for top in go_file.root.named_children:
        if top.type != declaration:
            continue
        for child in top.named_children:
            if child.type in spec_types:
                yield child
            elif child.type.endswith("_spec_list"):
                yield from (c for c in child.named_children if c.type in spec_types)


def package_types(package: Package) -> dict[str, tuple[GoFile, Node]]:
    """Declared types of the package by name: the file and the type expression it names."""
    cache = _package_cache(package)
    if "types" not in cache:
        table: dict[str, tuple[GoFile, Node]] = {}
        for go_file in package.files:
            for spec in _top_level_specs(go_file, "type_declaration", "type_spec", "type_alias"):
                name, type_node = spec.child_by_field_name("name"), spec.child_by_field_name("type")
                if name is not None and type_node is not None:
                    table.setdefault(go_file.text(name), (go_file, type_node))
        cache["types"] = table
    return cache["types"]


def underlying_type(package: Package, go_file: GoFile, type_node: Node | None) -> Node | None:
    """Follow package-declared type names (`type Cache map[K]V`) to the type literal."""
    seen = 0
    while type_node is not None and type_node.type == "type_identifier" and seen < 8:
        entry = package_types(package).get(go_file.text(type_node))
        if entry is None:
            return type_node
        go_file, type_node = entry
        seen += 1
    return type_node


def package_constants(package: Package) -> set[str]:
    cache = _package_cache(package)
    if "constants" not in cache:
        cache["constants"] = {
            go_file.text(n)
            for go_file in package.files
            for spec in _top_level_specs(go_file, "const_declaration", "const_spec")
            for n in spec.children_by_field_name("name")
        }
    return cache["constants"]


def identifiers_named(go_file: GoFile, name: str) -> list[Node]:
    """Every identifier spelled `name` in the file, found from the bytes (no tree walk)."""
    cache = go_file.__dict__.setdefault("_semantic_cache", {}).setdefault("identifiers", {})
    if name not in cache:
        found = []
        root = go_file.root
        pattern = re.compile(re.escape(name.encode()) + rb"(?!\w)")
        for match in pattern.finditer(go_file.data):
            node = root.descendant_for_byte_range(match.start(), match.end())
            if node is not None and node.type == "identifier" and node.start_byte == match.start():
                found.append(node)
        cache[name] = found
    return cache[name]


def global_references(package: Package, name: str) -> list[tuple[GoFile, Node]]:
    """Uses of the package-level `name` in every file of the package.

    Declarations (`var m`, `func f`), struct literal keys (`{m: 1}`) and identifiers a local
    declaration shadows are left out.
    """
    found = []
    encoded = name.encode()
    for go_file in package.files:
        if encoded not in go_file.data:
            continue  # cheaper than capturing the file's identifiers
        for ident in identifiers_named(go_file, name):
            parent = ident.parent
            if parent is None:
                continue
            if parent.type in ("var_spec", "const_spec", "function_declaration") and any(
                n.id == ident.id for n in parent.children_by_field_name("name")
            ):
                continue
            if _is_struct_literal_key(parent):
                continue
            if not is_shadowed(go_file, ident, go_file.root):
                found.append((go_file, ident))
    return found


class StartupAnalysis:
    """Which code runs only while the package initialises, or only once.

    Start-up code: `init` functions, package-level initialisers (`var m = build()`), closures
    called in place from start-up code, bodies given to `sync.Once.Do` / `sync.OnceFunc`
    from anywhere (they run once), and functions whose every caller in the package's
    non-test files is start-up code. An exported function's callers may live in other
    packages, so it is start-up code only if named like a registration function
    (`Register`, `Publish`): by Go convention those are called from init functions,
    and no in-package caller may contradict it.
    """

    def __init__(self, package: Package) -> None:
        self.package = package
        self._memo: dict[int, bool] = {}

    def runs_at_startup(self, go_file: GoFile, node: Node) -> bool:
        function = enclosing_function(node)
        while function is not None and function.type == "func_literal":
            if _is_once_body(go_file, function):
                return True
            if not _is_called_in_place(function):
                return False
            function = enclosing_function(function)
        if function is None:
            return True  # a package-level initialiser
        return self._function_at_startup(go_file, function)

    def _function_at_startup(self, go_file: GoFile, function: Node) -> bool:
        if function.type != "function_declaration":
            return False  # methods are called through values we cannot follow
        name = function_name(go_file, function)
        if name == "init":
            return True
        known = self._memo.get(function.id)
        if known is not None:
            return known
        self._memo[function.id] = False  # recursion is not start-up evidence
        callers = [
            (caller_file, ref)
            for caller_file, ref in global_references(self.package, name)
            if not caller_file.is_test
        ]
        registration = bool(_REGISTER_RE.match(name))
        if name[:1].isupper() and not registration:
            result = False
        elif not callers:
            result = registration
        else:
            result = all(
                _is_called(ref) and self.runs_at_startup(caller_file, ref)
                for caller_file, ref in callers
            )
        self._memo[function.id] = result
        return result


def _is_struct_literal_key(element: Node) -> bool:
    holder = element.parent
    if element.type != "literal_element" or holder is None or holder.type != "keyed_element":
        return False
    key = holder.child_by_field_name("key")
    return key is not None and key.id == element.id


def _is_called(ref: Node) -> bool:
    parent = ref.parent
    return (
        parent is not None
        and parent.type == "call_expression"
        and parent.child_by_field_name("function") == ref
    )


def _is_called_in_place(literal: Node) -> bool:
    """`func() { ... }()`: runs when (and as often as) the code around it runs."""
    parent = literal.parent
    return (
        parent is not None
        and parent.type == "call_expression"
        and parent.child_by_field_name("function") == literal
        and (parent.parent is None or parent.parent.type != "go_statement")
    )


def _is_once_body(go_file: GoFile, literal: Node) -> bool:
    """`once.Do(func() { ... })`, `sync.OnceFunc(func() { ... })`: runs once per process."""
    parent = literal.parent
    if parent is None or parent.type != "argument_list" or len(parent.named_children) != 1:
        return False
    call = parent.parent
    callee = call.child_by_field_name("function") if call is not None else None
    if callee is None:
        return False
    if callee.type == "selector_expression":
        field = callee.child_by_field_name("field")
        return field is not None and go_file.text(field) == "Do"
    return qualified_call_name(go_file, call) in _ONCE_WRAPPERS


# What one use of a package-level variable does with it (see `global_use`).
GLOBAL_DELETE = "delete"  # delete(m, k), clear(m), maps.DeleteFunc(m, f)
GLOBAL_ASSIGN = "assign"  # m = ..., s = s[:0] (the whole variable is replaced)
GLOBAL_ADDRESS = "address"  # &m
GLOBAL_HANDED = "handed"  # passed to a function of this package or a method, returned,
#                           assigned to another variable, stored in a literal, sent
GLOBAL_BOUND = "bound"  # len(m) compared with a limit
GLOBAL_METHOD = "method"  # m.Name(...): a method call (sync.Map.Delete, ...)
GLOBAL_READ = "read"  # anything else: indexing, ranging, len, other packages' functions
_BOUND_OPERATORS = frozenset({"<", "<=", ">", ">="})
_READ_ONLY_BUILTINS = frozenset({"len", "cap", "print", "println", "min", "max"})


def global_use(go_file: GoFile, expr: Node) -> tuple[str, str]:
    """(kind, detail) for one use of a package-level variable (an identifier or `g.field`).

    `detail` is the method name for GLOBAL_METHOD. Calls into other packages (`fmt.Println(m)`,
    `json.Marshal(m)`) are reads: they cannot delete from the variable's own map, except
    `maps.DeleteFunc`. A call of a function of this package or a method may, so it is
    GLOBAL_HANDED and the rules stay silent.
    """
    node = expr
    while node.parent is not None and node.parent.type == "parenthesized_expression":
        node = node.parent
    parent = node.parent
    if parent is None:
        return GLOBAL_READ, ""
    kind = parent.type
    if kind == "argument_list" and parent.parent is not None:
        return _argument_use(go_file, parent.parent, node)
    if kind == "unary_expression" and go_file.text(parent).startswith("&"):
        return GLOBAL_ADDRESS, ""
    if kind == "selector_expression" and parent.child_by_field_name("operand") == node:
        field = parent.child_by_field_name("field")
        holder = parent.parent
        if (
            holder is not None
            and holder.type == "call_expression"
            and holder.child_by_field_name("function") == parent
        ):
            return GLOBAL_METHOD, go_file.text(field) if field is not None else ""
        return GLOBAL_READ, ""
    if kind == "expression_list" and parent.parent is not None:
        holder = parent.parent
        left = holder.child_by_field_name("left")
        if holder.type == "assignment_statement" and left is not None and left.id == parent.id:
            return GLOBAL_ASSIGN, ""
        if holder.type in (
            "assignment_statement",
            "short_var_declaration",
            "var_spec",
            "return_statement",
        ):
            return GLOBAL_HANDED, ""
        return GLOBAL_READ, ""
    if kind in ("return_statement", "literal_element", "keyed_element"):
        return GLOBAL_HANDED, ""
    if kind == "send_statement" and parent.child_by_field_name("value") == node:
        return GLOBAL_HANDED, ""
    return GLOBAL_READ, ""


def _argument_use(go_file: GoFile, call: Node, node: Node) -> tuple[str, str]:
    callee = call.child_by_field_name("function")
    arguments = call.child_by_field_name("arguments")
    first = bool(arguments is not None and arguments.named_children) and (
        arguments.named_children[0].id == node.id
    )
    if callee is not None and callee.type == "identifier":
        name = go_file.text(callee)
        if name in ("delete", "clear") and first:
            return GLOBAL_DELETE, ""
        if name == "len" and _is_limit_check(go_file, call):
            return GLOBAL_BOUND, ""
        if name in _READ_ONLY_BUILTINS or name in ("append", "copy"):
            return GLOBAL_READ, ""
        return GLOBAL_HANDED, ""
    qualified = qualified_call_name(go_file, call)
    if qualified == "maps.DeleteFunc" and first:
        return GLOBAL_DELETE, ""
    if qualified is not None:
        return GLOBAL_READ, ""
    return GLOBAL_HANDED, ""


def _is_limit_check(go_file: GoFile, len_call: Node) -> bool:
    """`len(m) >= maxEntries`: an ordered comparison with something other than 0."""
    comparison = len_call.parent
    while comparison is not None and comparison.type == "parenthesized_expression":
        comparison = comparison.parent
    if comparison is None or comparison.type != "binary_expression":
        return False
    operator = comparison.child_by_field_name("operator")
    if operator is None or go_file.text(operator) not in _BOUND_OPERATORS:
        return False
    other = [
        c
        for c in (comparison.child_by_field_name("left"), comparison.child_by_field_name("right"))
        if c is not None and not is_inside(len_call, c)
    ]
    return not (other and go_file.text(other[0]) in ("0", "1"))


def function_label(go_file: GoFile, node: Node) -> str:
    """Where `node` runs, for messages: `handle`, `method ServeHTTP`, `a function literal`."""
    top = top_level_function(node)
    name_node = top.child_by_field_name("name") if top is not None else None
    if top is None or name_node is None:
        return "a function literal"
    if top.type == "method_declaration":
        return f"method {go_file.text(name_node)}"
    return go_file.text(name_node)


def identifiers(node: Node) -> list[Node]:
    """Every identifier below `node` (names, not field names), in source order."""
    return captures(_IDENTIFIERS, node).get("id", [])


_LOCK_CALLS = query(
    """
    (call_expression
       function: (selector_expression field: (field_identifier) @method (#eq? @method "Lock"))
    ) @lock
    """
)
# Parameters that mark a function as per-request / per-event code.
_PER_EVENT_PARAMETERS = frozenset(
    {
        ("net/http", "Request"),
        ("net/http", "ResponseWriter"),
        ("context", "Context"),
        ("net", "Conn"),
    }
)


def runs_in_long_lived_code(go_file: GoFile, node: Node) -> str:
    """Why `node` looks like code a long-running, concurrent program runs over and over.

    Returns a reason ("under a lock", "in a goroutine", "in an event loop", "per request")
    or "" when there is none. Used to tell a server's shared state apart from the tables of a
    single-goroutine batch program (a compiler pass, a code generator, a CLI), whose globals
    die with the process: shared state written by concurrent code must hold a mutex (or it is
    already a data race), and request handlers, goroutines and event loops run repeatedly.
    """
    function = enclosing_function(node)
    while function is not None:
        if function.type == "func_literal" and is_go_statement_closure(function):
            return "in a goroutine"
        name = function_name(go_file, function)
        if name.endswith(("Locked", "locked")):
            return "under a lock"
        body = function.child_by_field_name("body")
        if body is not None and any(
            lock.start_byte < node.start_byte
            for lock in captures(_LOCK_CALLS, body).get("lock", [])
            if enclosing_function(lock) is not None and enclosing_function(lock).id == function.id
        ):
            return "under a lock"
        if _has_per_event_parameter(go_file, function):
            return "per request"
        loop = inside_loop(node, stop_at=function)
        while loop is not None:
            if not loop_has_exit_condition(loop) and _waits_for_events(go_file, loop):
                return "in an event loop"
            loop = inside_loop(loop, stop_at=function)
        function = enclosing_function(function)
    return ""


_EVENT_WAITS = query(
    """
    (select_statement) @wait
    (unary_expression operator: "<-") @wait
    (call_expression
       function: (selector_expression field: (field_identifier) @method (#eq? @method "Accept"))
    ) @wait
    """
)


def _waits_for_events(go_file: GoFile, loop: Node) -> bool:
    """The loop blocks for the next event: a select, a channel receive, a listener's Accept."""
    body = loop.child_by_field_name("body")
    return body is not None and bool(captures(_EVENT_WAITS, body).get("wait"))


def loop_has_exit_condition(loop: Node) -> bool:
    """A `for` with a condition, clause or range header (it can end without a break)."""
    body = loop.child_by_field_name("body")
    return any(c.type != "comment" and c != body for c in loop.named_children)


def _has_per_event_parameter(
    go_file: GoFile, function: Node, kinds: frozenset[tuple[str, str]] = _PER_EVENT_PARAMETERS
) -> bool:
    parameters_node = function.child_by_field_name("parameters")
    if parameters_node is None:
        return False
    for declaration in parameters_node.named_children:
        type_node = declaration.child_by_field_name("type")
        if type_node is not None and type_node.type == "pointer_type" and type_node.named_children:
            type_node = type_node.named_children[0]
        if type_node is None or type_node.type != "qualified_type":
            continue
        package = type_node.child_by_field_name("package")
        type_name = type_node.child_by_field_name("name")
        if package is None or type_name is None:
            continue
        key = (go_file.imports.get(go_file.text(package), ""), go_file.text(type_name))
        if key in kinds:
            return True
    return False


def used_by_earlier_deferred_closure(
    go_file: GoFile, function: Node, name: str, binding: Node
) -> bool:
    """Does a `defer func() { ... name ... }()` registered before `binding` use `name`?

    The closure reads the variable when the function returns, so it sees the value bound
    later: `var t *time.Timer; defer func() { if t != nil { t.Stop() } }(); ...; t = ...`.
    The rule cannot tell what it does with it, so the value is not the rule's to judge.
    """
    body = function.child_by_field_name("body")
    if body is None:
        return False
    for ref in references(go_file, body, name):
        if ref.start_byte >= binding.start_byte:
            continue
        closure = enclosing_function(ref)
        if (
            closure is not None
            and closure.type == "func_literal"
            and _is_deferred_call(closure)
            and enclosing_function(closure) == function
        ):
            return True
    return False


SMALL_LOOP = 16


def constant_iterations(go_file: GoFile, loop: Node) -> int | None:
    """How many times a loop runs when its header says so with literals, else None:
    `for i := 0; i < 3; i++`, `for range 4`, `for _, p := range []string{"a", "b"}`.

    A per-iteration leak in a loop of a handful of iterations is bounded, not a leak.
    """
    for child in loop.named_children:
        if child.type == "range_clause":
            right = child.child_by_field_name("right")
            if right is None:
                return None
            if right.type == "int_literal":
                return _int_value(go_file, right)
            if right.type == "composite_literal":
                body = right.child_by_field_name("body")
                type_node = right.child_by_field_name("type")
                if (
                    body is not None
                    and type_node is not None
                    and type_node.type
                    in (
                        "slice_type",
                        "array_type",
                        "implicit_length_array_type",
                    )
                ):
                    return sum(1 for c in body.named_children if c.type != "comment")
            return None
        if child.type == "for_clause":
            return _counted_loop(go_file, child)
    return None


def _counted_loop(go_file: GoFile, clause: Node) -> int | None:
    initializer = clause.child_by_field_name("initializer")
    condition = clause.child_by_field_name("condition")
    update = clause.child_by_field_name("update")
    if initializer is None or condition is None or update is None:
        return None
    init = re.fullmatch(r"(\w+):=(\d+)", re.sub(r"\s+", "", go_file.text(initializer)))
    cond = re.fullmatch(r"(\w+)(<=?)(\d+)", re.sub(r"\s+", "", go_file.text(condition)))
    step = re.sub(r"\s+", "", go_file.text(update))
    if not init or not cond or init.group(1) != cond.group(1) or step != f"{init.group(1)}++":
        return None
    count = int(cond.group(3)) - int(init.group(2)) + (1 if cond.group(2) == "<=" else 0)
    return max(count, 0)


def constant_duration(go_file: GoFile, call: Node) -> int | None:
    """The first argument of a `time` call when it is a bare integer literal, in nanoseconds:
    `NewTimer(0)`, `NewTicker(-1)`, `After(1)`. None for anything else (`5 * time.Second`)."""
    arguments = call.child_by_field_name("arguments")
    values = [a for a in arguments.named_children if a.type != "comment"] if arguments else []
    if not values:
        return None
    value = unparenthesized_inner(values[0])
    sign = 1
    if value.type == "unary_expression" and go_file.text(value).startswith("-"):
        operand = value.child_by_field_name("operand")
        value, sign = (operand, -1) if operand is not None else (value, 1)
    if value.type != "int_literal":
        return None
    number = _int_value(go_file, value)
    return None if number is None else sign * number


def int_literal_value(go_file: GoFile, literal: Node) -> int | None:
    """The value of an `int_literal` node (`1_000`, `0x10`), or None if it cannot be read."""
    return _int_value(go_file, literal)


def unparenthesized_inner(node: Node) -> Node:
    """The expression inside any number of `(...)`."""
    while node.type == "parenthesized_expression" and node.named_children:
        node = node.named_children[0]
    return node


def _int_value(go_file: GoFile, literal: Node) -> int | None:
    try:
        return int(go_file.text(literal).replace("_", ""), 0)
    except ValueError:
        return None


def nodes_at_matches(
    go_file: GoFile, pattern: re.Pattern[bytes], node_type: str, group: int = 0, depth: int = 2
) -> list[Node]:
    """Nodes of `node_type` found from a byte regex instead of a walk over the whole tree.

    For each match, the smallest named node at the match (or its `group`) and up to `depth`
    of its parents are tried: `\\bdefer\\b` finds each defer_statement from its keyword at
    the cost of a descent, not a traversal. Matches inside comments and strings find
    nothing. For rules whose candidates are rare words in a large file.
    """
    found: list[Node] = []
    seen: set[int] = set()
    root = go_file.root
    for match in pattern.finditer(go_file.data):
        node: Node | None = root.descendant_for_byte_range(match.start(group), match.end(group))
        for _ in range(depth + 1):
            if node is None or node.type == node_type:
                break
            node = node.parent
        if node is not None and node.type == node_type and node.id not in seen:
            seen.add(node.id)
            found.append(node)
    return found


def unparenthesized(node: Node) -> Node:
    """The outermost `(...)` around an expression, so its parent is what uses the value."""
    while node.parent is not None and node.parent.type == "parenthesized_expression":
        node = node.parent
    return node


# ---------------------------------------------------------------------------------------------
# Commands and servers: whose package-level state lives long enough to leak

# Parameters only code that serves clients takes (a context.Context is everywhere).
_REQUEST_PARAMETERS = frozenset(
    {("net/http", "Request"), ("net/http", "ResponseWriter"), ("net", "Conn")}
)
_ACCEPT_CALLS = query(
    """
    (call_expression
       function: (selector_expression field: (field_identifier) @method (#eq? @method "Accept"))
    ) @accept
    """
)


def package_import_path(package: Package) -> str | None:
    """The package's import path: the nearest go.mod's module path plus its directory, or the
    path below `vendor/` for a vendored copy (`golang.org/x/net/http2`)."""
    gomod = nearest_gomod(package.directory)
    if gomod is None or gomod.module_path is None:
        return None
    try:
        parts = package.directory.resolve().relative_to(gomod.directory).parts
    except ValueError:
        return None
    if "vendor" in parts:
        below = len(parts) - parts[::-1].index("vendor")
        return "/".join(parts[below:]) or None
    return "/".join((gomod.module_path, *parts))


def is_command_package(package: Package) -> bool:
    """A command's code: `package main`, or a package under a `cmd` element of its import path
    (`cmd/compile/internal/ir`, `example.com/x/cmd/tool/internal/flags`), Go's layout for the
    binaries a module builds and their private libraries.

    Most commands are batch tools (compilers, linkers, code generators, the go command): they
    run, fill their tables and exit, so package-level state ends with the run. The servers
    among them show themselves by handling requests (`serves_requests`).
    """
    if package.name == "main":
        return True
    path = package_import_path(package)
    return path is not None and "cmd" in path.split("/")


def serves_requests(go_file: GoFile, node: Node) -> str:
    """Why `node` runs once per request or connection a server receives, or "".

    "per request" inside a function (or a closure within one) taking an `*http.Request`, an
    `http.ResponseWriter` or a `net.Conn`; "per connection" in a loop that calls a listener's
    `Accept`. Stricter than `runs_in_long_lived_code`: a lock, a goroutine, a channel loop or
    a `context.Context` is also how batch tools work (a compiler's parallel back end, the go
    command's build actions), while these occur only in code that serves clients.
    """
    inner = node
    function = enclosing_function(node)
    while function is not None:
        if _has_per_event_parameter(go_file, function, _REQUEST_PARAMETERS):
            return "per request"
        loop = inside_loop(inner, stop_at=function)
        while loop is not None:
            body = loop.child_by_field_name("body")
            if body is not None and captures(_ACCEPT_CALLS, body).get("accept"):
                return "per connection"
            loop = inside_loop(loop, stop_at=function)
        inner, function = function, enclosing_function(function)
    return ""


# ---------------------------------------------------------------------------------------------
# Code that runs once per process


def runs_once_per_process(
    package: Package, go_file: GoFile, function: Node, _depth: int = 0
) -> bool:
    """Does `function` run at most once per process: `init`, the program's `main` (in package
    main, or the runtime's `main`, which nothing in its package calls), or an unexported
    function whose every caller in the package (tests included) is such a function, calling
    it outside any loop? A daemon started from there lives as long as the process by design.

    Calls from function literals (callbacks, goroutines) and methods are not followed: how
    often those run is unknown.
    """
    if function.type != "function_declaration" or _depth > 4:
        return False
    name = function_name(go_file, function)
    if name == "init":
        return True
    callers = global_references(package, name)
    if name == "main":
        return package.name == "main" or not callers
    if name[:1].isupper() or not callers:
        return False  # other packages may call it; or it is called from assembly
    for caller_file, ref in callers:
        caller = enclosing_function(ref)
        if (
            not _is_called(ref)
            or caller is None
            or caller.id == function.id
            or inside_loop(ref, stop_at=caller) is not None
            or not runs_once_per_process(package, caller_file, caller, _depth + 1)
        ):
            return False
    return True
