"""Joins: where a function waits for the goroutines it started (`wg.Wait()`), so a goroutine
still running can make it hang, but never outlives it."""

from __future__ import annotations

import re
from collections.abc import Callable

from tree_sitter import Node

from linter.semantic.core import statements, statements_after
from linter.semantic.escapes import method_calls_on
from linter.semantic.ownership import goroutine_of
from linter.semantic.paths import own_returns
from linter.source import GoFile

_DONE = re.compile(r"^(defer\s+)?(?P<group>[\w.]+)\.Done\(\)$")


def finishes_with(goroutine: Node, ops: list[Node]) -> bool:
    """Is each of `ops` (a `close(done)` call or a `done <- v` send) the goroutine's last act:
    the last statement of its body, or deferred at its top level?

        go func() {
                defer close(done)   // or, as the last statement: close(done) / done <- true
                for _, j := range jobs { results <- work(j) }
        }()

    Once the function has received from `done`, the goroutine has made every other send.
    False for an op anywhere else (in a branch, in a loop, before other statements).
    """
    body = statements(goroutine.child_by_field_name("body"))
    if not ops or not body:
        return False
    for op in ops:
        statement = op if op.type == "send_statement" else op.parent
        if statement is None or not any(statement.id == s.id for s in body):
            return False
        if statement.type != "defer_statement" and statement.id != body[-1].id:
            return False
    return True


def wait_group_of(go_file: GoFile, goroutine: Node) -> str | None:
    """`wg` when the goroutine's body defers `wg.Done()` at its top level or calls it as its
    last statement: once `wg.Wait()` returns, this goroutine has finished."""
    body = statements(goroutine.child_by_field_name("body"))
    for stmt in body:
        match = _DONE.match(re.sub(r"\s+", " ", go_file.text(stmt)).strip())
        if match is None:
            continue
        if stmt.type == "defer_statement" or stmt.id == body[-1].id:
            return match.group("group")
    return None


def joins_of(go_file: GoFile, function: Node, goroutine: Node, after: Node) -> list[Node]:
    """The `wg.Wait()` calls that `function` itself makes after `after` (a `go` statement)
    and that wait for the goroutine running the function literal `goroutine`.

    ```go
    wg.Add(1)
    go func() { defer wg.Done(); results <- work() }()
    ...
    wg.Wait() // joins it
    ```

    Only literals are followed (a named worker's parameter may be another group). Waits in
    other goroutines (`go func() { wg.Wait(); close(out) }()`) do not count: the function
    itself may return before them. Empty when unsure.
    """
    group = wait_group_of(go_file, goroutine) if goroutine.type == "func_literal" else None
    body = function.child_by_field_name("body")
    if group is None or body is None:
        return []
    return [
        wait
        for wait in method_calls_on(go_file, body, group, ("Wait",))
        if wait.start_byte > after.end_byte and goroutine_of(wait) == function
    ]


def comes_before_any_return(
    go_file: GoFile, node: Node, function: Node, matches: Callable[[Node], bool]
) -> bool:
    """Is there a later statement around `node` (in its block, or an enclosing one up to
    `function`) for which `matches` holds, with no return of `function` in between? Then every
    way out of the function after `node` passes through it (or through a panic)."""
    body = function.child_by_field_name("body")
    if body is None:
        return False
    returns = [r.start_byte for r in own_returns(function)]
    for _, rest in statements_after(node, body):
        for stmt in rest:
            if matches(stmt):
                return not any(node.end_byte <= r < stmt.start_byte for r in returns)
    return False
