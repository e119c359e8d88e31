"""Names, calls and structure: what every rule needs to find its way around a tree."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from tree_sitter import Node

from linter.semantic.facts import file_fact, package_fact
from linter.source import GoFile, Package, captures, query

FUNCTION_TYPES = ("function_declaration", "method_declaration", "func_literal")

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
    # Ginkgo's Fail, Skip and AbortSuite panic to end the running spec (bsm/ginkgo is a fork).
    | {
        f"{path}.{name}"
        for path in (
            "github.com/onsi/ginkgo",
            "github.com/onsi/ginkgo/v2",
            "github.com/bsm/ginkgo",
            "github.com/bsm/ginkgo/v2",
        )
        for name in ("Fail", "Skip", "AbortSuite")
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


def method_calls_at(
    go_file: GoFile, pattern: re.Pattern[bytes]
) -> Iterator[tuple[Node, Node, str]]:
    """(call, receiver, method) of the calls `x.M(...)` on a value (not an imported package:
    `http.Get(...)` is left out) that a byte `pattern` finds, its group 1 on the method
    name; a method value called elsewhere (`f(x.Query)(...)`) is not a call of it."""
    for call in nodes_at_matches(go_file, pattern, "call_expression", 1):
        selector = call.child_by_field_name("function")
        receiver = selector.child_by_field_name("operand") if selector else None
        if receiver is None or selector.type != "selector_expression":
            continue
        if go_file.text(receiver) not in go_file.imports:
            yield call, receiver, go_file.text(selector.child_by_field_name("field"))


def calls_to_own(go_file: GoFile, names: Iterable[str]) -> Iterator[tuple[str, Node]]:
    """Calls `name(...)` of the package's own functions among `names`, in source order:
    found from the bytes, like `calls_to`, and kept only where the callee is that plain
    identifier (not `x.name(...)`)."""
    wanted = set(names)
    if not wanted:
        return iter(())
    pattern = re.compile(
        rb"(" + b"|".join(re.escape(n.encode()) for n in sorted(wanted)) + rb")\s*\("
    )
    found = []
    for call in nodes_at_matches(go_file, pattern, "call_expression", 1, 1):
        callee = call.child_by_field_name("function")
        if callee is not None and callee.type == "identifier" and go_file.text(callee) in wanted:
            found.append((go_file.text(callee), call))
    return iter(found)


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
    """`panic(...)`, or a call of NO_RETURN_CALLS through its import name or a dot import
    (`Fail(...)` with `. "github.com/onsi/ginkgo/v2"`, among any other dot imports)."""
    function = call.child_by_field_name("function")
    if function is not None and function.type == "identifier":
        name = go_file.text(function)
        return name == "panic" or any(
            f"{path}.{name}" in NO_RETURN_CALLS for path in go_file.dot_imports
        )
    return qualified_call_name(go_file, call) in NO_RETURN_CALLS


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
        container, siblings = statement_container(node)
        if container is None:
            return
        if siblings is not None:
            yield container, [s for s in siblings if s.start_byte > node.start_byte]
        node = container


def statement_container(node: Node) -> tuple[Node | None, list[Node] | None]:
    """The block or case clause a statement stands in, with all its statements; the
    statements are None when the parent holds no statement list (an `if` header, say)."""
    container = node.parent
    while container is not None and container.type == "statement_list":
        container = container.parent
    if container is None:
        return None, None
    if container.type == "block":
        return container, statements(container)
    if container.type in _CASE_TYPES:
        return container, case_statements(container)
    return container, None


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


def is_deferred(call: Node) -> bool:
    """`defer cancel()`: is `call` the call a defer statement runs (not one inside it, as in
    `defer wg.Wait(f())`)?"""
    return call.parent is not None and call.parent.type == "defer_statement"


def functions(go_file: GoFile) -> list[Node]:
    return captures(_FUNCTIONS, go_file.root).get("fn", [])


def unparenthesized_inner(node: Node) -> Node:
    """The expression inside any number of `(...)`."""
    while node.type == "parenthesized_expression" and node.named_children:
        node = node.named_children[0]
    return node


def nodes_at_matches(
    go_file: GoFile, pattern: re.Pattern[bytes], node_type: str, group: int = 0, depth: int = 2
) -> list[Node]:
    """Nodes of `node_type` found from a byte regex instead of a walk over the whole tree.

    For each match, the smallest named node at the match (or its `group`) and up to `depth`
    of its parents are tried: `defer\\b` finds each defer_statement from its keyword at the
    cost of a descent, not a traversal. Matches inside comments, strings or longer names find
    nothing. Give patterns a literal prefix (no leading `\\b` or look-behind): Python's regex
    then jumps between occurrences instead of testing every byte, 15-20x faster.
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


def int_literal_value(go_file: GoFile, literal: Node) -> int | None:
    """The value of an `int_literal` node (`1_000`, `0x10`), or None if it cannot be read."""
    try:
        return int(go_file.text(literal).replace("_", ""), 0)
    except ValueError:
        return None


def specs_of(declaration: Node, *spec_types: str) -> Iterator[Node]:
    """The specs of one declaration, grouped or not: `var x = 1` and `var ( x = 1; y = 2 )`
    alike (`specs_of(decl, "var_spec")`)."""
    for child in declaration.named_children:
        if child.type in spec_types:
            yield child
        elif child.type.endswith("_spec_list"):
            yield from (c for c in child.named_children if c.type in spec_types)


_FIELD_SELECTORS = query("(selector_expression field: (field_identifier) @field) @selector")


@file_fact
def file_selectors(go_file: GoFile) -> dict[str, list[Node]]:
    """Every `x.name` selector of the file by field name, computed once per file."""
    table: dict[str, list[Node]] = {}
    for selector in captures(_FIELD_SELECTORS, go_file.root).get("selector", []):
        field = selector.child_by_field_name("field")
        table.setdefault(go_file.text(field), []).append(selector)
    return table


@package_fact
def selectors_named(package: Package, name: str) -> list[tuple[GoFile, Node]]:
    """Every `x.name` of the package that may be a field or method (`fmt.Println`, whose
    operand names an import, is not), across files."""
    found = []
    for go_file in package.files:
        if name.encode() not in go_file.data:
            continue
        for selector in file_selectors(go_file).get(name, ()):
            operand = selector.child_by_field_name("operand")
            if operand is not None and go_file.text(operand) not in go_file.imports:
                found.append((go_file, selector))
    return found
