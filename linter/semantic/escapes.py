"""References to a value, and the uses that hand it to someone else."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from tree_sitter import Node

from linter.semantic.core import _IDENTIFIERS, _METHOD_CALLS, enclosing_function
from linter.source import GoFile, captures


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
