"""References to a value by name, and method calls on it."""

from __future__ import annotations

from collections.abc import Iterable

from tree_sitter import Node

from linter.semantic.core import _IDENTIFIERS, _METHOD_CALLS
from linter.source import GoFile, captures


def references(go_file: GoFile, scope: Node, name: str) -> list[Node]:
    """Identifiers spelled `name` below `scope` (no scoping: callers keep scopes small)."""
    encoded = name.encode()
    return [ident for ident in captures(_IDENTIFIERS, scope).get("id", []) if ident.text == encoded]


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
