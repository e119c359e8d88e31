"""What an `if` condition says about a value: the nil checks that make a release optional."""

from __future__ import annotations

import re

from tree_sitter import Node

from linter.semantic.core import FUNCTION_TYPES, is_inside, unparenthesized_inner
from linter.source import GoFile


def is_non_nil_guard(go_file: GoFile, condition: Node, handle: str) -> bool:
    """Does `if condition` hold only when `handle` (`resp.Body`, `f`) is there to release?

    True for `resp != nil`, `resp.Body != nil`, `nil != f`, or a `&&` made only of such checks
    on `handle` and the values it is reached through (`resp != nil && resp.Body != nil`).
    When such a condition is false, there is nothing to release. Anything else in the
    condition (`resp != nil && ok`) lets a live value reach the other branch, so it is not a
    guard: unsure means no guard, so the release is still asked for.
    """
    condition = unparenthesized_inner(condition)
    if condition.type != "binary_expression":
        return False
    operator = condition.child_by_field_name("operator")
    left = condition.child_by_field_name("left")
    right = condition.child_by_field_name("right")
    if operator is None or left is None or right is None:
        return False
    if operator.type == "&&":
        return is_non_nil_guard(go_file, left, handle) and is_non_nil_guard(go_file, right, handle)
    if operator.type != "!=":
        return False
    sides = {_compact(go_file, left), _compact(go_file, right)}
    if "nil" not in sides:
        return False
    checked = (sides - {"nil"} or {""}).pop()
    return checked == handle or handle.startswith(f"{checked}.")


def nil_guards_around(go_file: GoFile, releases: list[Node], handle: str) -> list[Node]:
    """`if resp != nil && resp.Body != nil { defer resp.Body.Close() }`: the conditions of the
    nearest `if` around each release that guard `handle` (see `is_non_nil_guard`), with the
    release in their consequence. When the check fails there is nothing to release, so the
    condition stands for the release on both branches."""
    guards = []
    for release in releases:
        node = release.parent
        while node is not None and node.type not in ("if_statement", *FUNCTION_TYPES):
            node = node.parent
        if node is None or node.type != "if_statement":
            continue
        condition = node.child_by_field_name("condition")
        consequence = node.child_by_field_name("consequence")
        if (
            condition is not None
            and consequence is not None
            and is_inside(release, consequence)
            and is_non_nil_guard(go_file, condition, handle)
        ):
            guards.append(condition)
    return guards


def _compact(go_file: GoFile, node: Node) -> str:
    return re.sub(r"\s+", "", go_file.text(unparenthesized_inner(node)))


def is_nil_check(go_file: GoFile, condition: Node, name: str) -> bool:
    """Is `condition` exactly `name == nil` (or `nil == name`)? There is nothing to release
    on the branch it opens, nor anywhere that branch leads."""
    return go_file.text(condition).replace(" ", "") in (f"{name}==nil", f"nil=={name}")
