"""Shapes of the code a path runs through, read from the tree: which branch of an error
check cannot hold the value, which loops never end, a function's own returns.

The search for exits reached without a release (`semantic.unreleased`) asks these of the
statements the control-flow graph hands it; rules ask them directly.
"""

from __future__ import annotations

import re
from enum import Enum

from tree_sitter import Node

from linter.semantic.core import (
    _SWITCH_TYPES,
    FUNCTION_TYPES,
    calls_to,
    enclosing_function,
    statements,
)
from linter.source import GoFile, captures, query


class Unusable(Enum):
    """Which branch of an `if` runs only when the value is unusable (see `error_guard`)."""

    THEN = "then"  # if err != nil { ... }
    ELSE = "else"  # if err == nil { ... } else { ... }
    NEITHER = "neither"  # the condition says nothing about it

    @property
    def negated(self) -> Unusable:
        """The answer for `!condition`."""
        swapped = {Unusable.THEN: Unusable.ELSE, Unusable.ELSE: Unusable.THEN}
        return swapped.get(self, Unusable.NEITHER)


def error_guard(go_file: GoFile, condition: Node, error_name: str) -> Unusable:
    """Which branch of `if condition` runs only when the value bound with `error_name` is
    unusable: THEN for `err != nil`, `os.IsNotExist(err)`, `errors.Is(err, X)` or a `&&`
    holding one of them; ELSE for `err == nil` and `assert.NoError(t, err)`; NEITHER when
    the condition says nothing."""
    while condition.type == "parenthesized_expression" and condition.named_children:
        condition = condition.named_children[0]
    operator = condition.child_by_field_name("operator")
    operand = condition.child_by_field_name("operand")
    if condition.type == "unary_expression" and operator is not None and operand is not None:
        if operator.type != "!":
            return Unusable.NEITHER
        # `!errors.Is(err, X)`: the negation swaps which branch runs with the error set.
        return error_guard(go_file, operand, error_name).negated
    text = re.sub(r"\s+", "", go_file.text(condition))
    if text in (f"{error_name}!=nil", f"nil!={error_name}"):
        return Unusable.THEN
    if text in (f"{error_name}==nil", f"nil=={error_name}"):
        return Unusable.ELSE
    if condition.type == "binary_expression":
        operator = condition.child_by_field_name("operator")
        if operator is not None and operator.type == "&&":
            sides = (condition.child_by_field_name("left"), condition.child_by_field_name("right"))
            if any(
                s is not None and error_guard(go_file, s, error_name) is Unusable.THEN
                for s in sides
            ):
                return Unusable.THEN
        return Unusable.NEITHER
    if condition.type == "call_expression":
        arguments = condition.child_by_field_name("arguments")
        if arguments is not None and any(
            a.type == "identifier" and go_file.text(a) == error_name
            for a in arguments.named_children
        ):
            # os.IsNotExist(err), errors.Is(err, fs.ErrNotExist): false for nil; a testify
            # assertion that err is nil is true for nil instead.
            callee = condition.child_by_field_name("function")
            if callee is not None and _called_name(go_file, callee) in _NIL_ASSERTIONS:
                return Unusable.ELSE
            return Unusable.THEN
    return Unusable.NEITHER


# testify's assertions that an error is nil, which return true when it is
# (`if assert.NoError(t, err) { defer resp.Body.Close() }`), in assert and in suites
# (`s.NoError(err)`, `s.Require().NoError(err)` returns nothing and is no condition).
_NIL_ASSERTIONS = frozenset({"NoError", "NoErrorf", "Nil", "Nilf"})


def _called_name(go_file: GoFile, callee: Node) -> str:
    if callee.type == "selector_expression":
        field = callee.child_by_field_name("field")
        return go_file.text(field) if field is not None else ""
    return go_file.text(callee)


def assigns_name(go_file: GoFile, stmt: Node, name: str | None) -> bool:
    """Does `stmt` (a `:=` or `=`) assign `name` at its top level?"""
    if name is None or stmt.type not in ("short_var_declaration", "assignment_statement"):
        return False
    left = stmt.child_by_field_name("left")
    return left is not None and any(
        c.type == "identifier" and go_file.text(c) == name for c in left.named_children
    )


def is_endless_loop(go_file: GoFile, loop: Node) -> bool:
    """A loop that only a `break` (or `goto`) could end, and that has none: `for { ... }`, or
    a range over a ticker's or timer's channel (`for range t.C`, `for range time.Tick(d)`),
    which nobody closes. A `for cond`, three-clause loop or range over anything else ends.
    """
    body = loop.child_by_field_name("body")
    header = [c for c in loop.named_children if c.type != "comment" and c != body]
    if header and not ranges_over_ticker(go_file, loop):
        return False
    return not loop_has_break(go_file, loop)


def ranges_over_ticker(go_file: GoFile, loop: Node) -> bool:
    """`for range t.C` or `for now := range time.Tick(d)`: a range over a ticker's or timer's
    channel, which nobody closes, so the loop never ends by itself. Any `.C` field counts."""
    right = range_expression(loop)
    if right is None:
        return False
    if right.type == "selector_expression":
        field = right.child_by_field_name("field")
        return field is not None and go_file.text(field) == "C"
    return right.type == "call_expression" and any(
        call.id == right.id for _, call in calls_to(go_file, ("time.Tick",))
    )


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


def loop_label(go_file: GoFile, loop: Node) -> str | None:
    """The label of `L: for ...`, or None."""
    if loop.parent is None or loop.parent.type != "labeled_statement":
        return None
    label = loop.parent.child_by_field_name("label")
    return go_file.text(label) if label is not None else None


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


def never_returns(go_file: GoFile, function: Node) -> bool:
    """A function that ends in a loop it never leaves and has no return: a daemon loop
    (`for { ... }` or `for range time.Tick(d)` without a break, see `is_endless_loop`)."""
    if own_returns(function):
        return False
    body_statements = statements(function.child_by_field_name("body"))
    if not body_statements or body_statements[-1].type != "for_statement":
        return False
    return is_endless_loop(go_file, body_statements[-1])


def range_expression(loop: Node) -> Node | None:
    """The `x` of `for ... range x`, or None for other loops."""
    for child in loop.named_children:
        if child.type == "range_clause":
            return child.child_by_field_name("right")
    return None
