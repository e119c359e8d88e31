"""Loops that always end an iteration, and Go-version rules for timers."""

from __future__ import annotations

import re

from tree_sitter import Node

from linter.gomod import nearest_gomod
from linter.semantic.channels import is_terminating_call
from linter.semantic.core import (
    _CASE_TYPES,
    _SWITCH_TYPES,
    case_statements,
    int_literal_value,
    statements,
)
from linter.source import GoFile, Package


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
                return int_literal_value(go_file, right)
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


def has_few_iterations(go_file: GoFile, loop: Node) -> bool:
    """Does the loop's header say it runs at most `SMALL_LOOP` times (see
    `constant_iterations`)? A per-iteration leak there is bounded, not a leak."""
    count = constant_iterations(go_file, loop)
    return count is not None and count <= SMALL_LOOP
