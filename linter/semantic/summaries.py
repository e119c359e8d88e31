"""What a function does with what it returns, as its callers need to know it."""

from __future__ import annotations

from collections.abc import Iterable

from tree_sitter import Node

from linter.semantic.core import enclosing_function
from linter.semantic.escapes import _is_deferred_call, method_calls_on
from linter.semantic.paths import own_returns
from linter.source import GoFile


def closes_what_it_returns(
    go_file: GoFile, function: Node, methods: Iterable[str] = ("Close",), field: str = ""
) -> bool:
    """Does `function` arrange the release of every value it returns, before or as it
    returns, so its callers get something already released?

        func writeScratch(dir string, b []byte) (*os.File, error) {
                f, err := os.CreateTemp(dir, "x")
                if err != nil { return nil, err }
                defer f.Close()        // or t.Cleanup(func() { f.Close() }) in a test helper
                ...
                return f, nil          // good for f.Name() only
        }

    The release is one of `methods` on the returned variable (on its `field`, for
    `defer resp.Body.Close()`), deferred in `function` itself or registered with a
    `Cleanup` callback. Every return must give back such a variable or nil; errs toward False
    (a return of anything else, a release on some paths only).
    """
    body = function.child_by_field_name("body")
    returned = set()
    for ret in own_returns(function):
        first = _first_result(ret)
        if first is None or first.type not in ("identifier", "nil"):
            return False
        if first.type == "identifier":
            returned.add(go_file.text(first))
    if body is None or not returned:
        return False
    for name in returned:
        target = f"{name}.{field}" if field else name
        releases = method_calls_on(go_file, body, target, methods)
        if not any(_runs_at_return(release, function) for release in releases):
            return False
    return True


def _first_result(ret: Node) -> Node | None:
    values = ret.named_children[0] if ret.named_children else None
    if values is not None and values.type == "expression_list":
        return values.named_children[0] if values.named_children else None
    return values


def _runs_at_return(call: Node, function: Node) -> bool:
    """`defer f.Close()`, `defer func() { f.Close() }()`, `t.Cleanup(func() { f.Close() })`:
    the release runs when `function` (or the test it helps) ends, on every path."""
    statement = call.parent
    owner = enclosing_function(call)
    if owner is not None and owner.id == function.id:
        return statement is not None and statement.type == "defer_statement"
    if owner is None or owner.type != "func_literal" or enclosing_function(owner) != function:
        return False
    if _is_deferred_call(owner):
        return True
    arguments = owner.parent
    callee = arguments.parent.child_by_field_name("function") if arguments.parent else None
    return (
        arguments.type == "argument_list"
        and callee is not None
        and callee.type == "selector_expression"
        and callee.child_by_field_name("field").text == b"Cleanup"
    )
