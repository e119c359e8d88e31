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
    statements,
    statements_after,
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


def rest_leaves_loop(go_file: GoFile, node: Node, body: Node) -> bool:
    """After `node`, inside the loop whose body is `body`, does every path leave the loop for
    good, at whichever level (see `always_leaves_loop`)?

        for {
                select {
                case <-stop:
                        select { case <-drained: case <-time.After(d): }  // node
                        return                                          // leaves, always
                ...

    A plain `break` counts only where no switch or select stands between it and the loop.
    """
    for container, rest in statements_after(node, body):
        inner = container
        while inner.id != body.id and inner.type not in (*_CASE_TYPES, *_SWITCH_TYPES):
            inner = inner.parent
        if always_leaves_loop(go_file, rest, break_leaves=inner.id == body.id):
            return True
    return False


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


def loop_conditioned_on(call: Node) -> Node | None:
    """The `for` loop whose condition is `call`, or None:

        for rows.Next() { ... }
        for i := 0; rows.Next(); i++ { ... }

    Such a loop ends normally only once the call returns false.
    """
    parent = call.parent
    if parent is not None and parent.type == "for_clause":
        condition = parent.child_by_field_name("condition")
        return parent.parent if condition is not None and condition.id == call.id else None
    if parent is None or parent.type != "for_statement":
        return None
    return None if parent.child_by_field_name("body") == call else parent


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
