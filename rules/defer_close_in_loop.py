"""## What it does
Flags a `defer` directly inside a loop body that releases something made in that iteration:
`defer f.Close()`, `defer resp.Body.Close()`, `defer t.Stop()`, `defer tx.Rollback()`,
`defer cancel()` (for a cancel function from `context.WithCancel/WithTimeout/WithDeadline`
made in the loop), or a deferred closure that does one of these.

Not flagged: a `defer` inside a function literal that runs per iteration (the fix), a loop
whose rest after the `defer` always returns or breaks (it never runs another iteration), a loop
of a handful of iterations fixed by the code (`for _, p := range []string{a, b}`, `for i := 0;
i < 3; i++`, a bound that is a package constant such as an `iota` count, a local or package
table of a few entries (or such a field of a local struct literal) that nothing appends to or
reassigns), a value from outside the iteration (`for _, c := range conns { defer c.Close() }`),
a value the iteration also releases by hand before the next one (the defer is only a safety net
for the early returns), and a value the loop keeps for later use (appended to a slice, stored,
also inside a struct literal, sent, or, for a cancel function, its context given to a
goroutine), itself or through something built on it (`tx, err := conn.BeginTx(ctx, nil)` kept
for after the loop), where holding every one open until the function returns is the point. So
is an iteration that does nothing but open the value, check its error, defer its release and
count (`for opened < limit { c, err := net.Dial(...); if err != nil { ... }; defer c.Close();
opened++ }`): the values are opened to be held all at once until the function returns, to fill
a connection limit or a pool.

Unlike staticcheck's SA5003 and SA9001, a deferred call that releases nothing (`defer
println()`, `defer wg.Done()` in a `for range ch` loop) is not flagged: it holds no file,
connection or timer, so nothing leaks.

**Default and scope (measured, docs/precision-audit.md).** On by default, for code that
ships: on eleven held-out projects 4 of 4 decided production findings were real. In tests
only 3 of 32 were (setup loops that keep every connection for checks after the loop, small
tables fixed by the test), so `_test.go` files are out of scope.

## Why is this bad
A deferred call runs when the function returns, not when the iteration ends. Every iteration
adds one more open file, connection, response body, transaction or context timer, and all of
them stay open until the loop and the function are done: a loop over 10,000 files holds
10,000 descriptors, and a long-running loop never releases any.

## Example
```go
func sizes(paths []string) (map[string]int64, error) {
        out := make(map[string]int64)
        for _, p := range paths {
                f, err := os.Open(p)
                if err != nil {
                        return nil, err
                }
                defer f.Close() // runs when sizes returns
                st, err := f.Stat()
                if err != nil {
                        return nil, err
                }
                out[p] = st.Size()
        }
        return out, nil
}
```

## Use instead
```go
func sizes(paths []string) (map[string]int64, error) {
        out := make(map[string]int64)
        for _, p := range paths {
                size, err := fileSize(p) // opens, defers Close, returns
                if err != nil {
                        return nil, err
                }
                out[p] = size
        }
        return out, nil
}
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tree_sitter import Node

from linter import semantic
from linter.findings import Finding
from linter.reporting import related, report
from linter.source import GoFile, Package, captures, query

code = "GLK502"
name = "defer-close-in-loop"
summary = "defer of Close/Stop/cancel/Rollback inside a loop body"
level = "warning"
precision = "high"
test_files = False
tags = ("resource-leak", "defer")

_RELEASE_METHODS = frozenset({"Close", "Stop", "Rollback"})
_CANCEL_MAKERS = frozenset(
    f"context.{n}"
    for n in (
        "WithCancel",
        "WithCancelCause",
        "WithTimeout",
        "WithTimeoutCause",
        "WithDeadline",
        "WithDeadlineCause",
    )
) | {"os/signal.NotifyContext"}

_TIMED_CANCEL_MAKERS = frozenset(m for m in _CANCEL_MAKERS if "Time" in m or "Deadline" in m)

_DEFER_WORD = re.compile(rb"defer\b")
_CALLS = query("(call_expression) @call")
_CONTINUES = query("(continue_statement) @continue")


def check(package: Package) -> Iterator[Finding]:
    for go_file in package.files:
        for defer in semantic.nodes_at_matches(go_file, _DEFER_WORD, "defer_statement", depth=1):
            finding = _check_defer(package, go_file, defer)
            if finding is not None:
                yield finding


def _check_defer(package: Package, go_file: GoFile, defer: Node) -> Finding | None:
    loop = semantic.inside_loop(defer)  # stops at function literals: those run per iteration
    if loop is None:
        return None
    if semantic.is_small_loop(package, go_file, loop):
        return None  # `for _, c := range cases` over a 3-case table: a few defers, bounded
    call = next((c for c in defer.named_children if c.type == "call_expression"), None)
    if call is None:
        return None
    body = loop.child_by_field_name("body")
    for released, root, bare in _released_values(go_file, call):
        made = _made_in_iteration(go_file, body, root, defer, bare)
        if made is None:
            continue
        kept = [root]
        if bare:  # `ctx, cancel := context.WithTimeout(...)`: is the context kept?
            kept.extend(_other_names(go_file, made, root))
        if (
            semantic.rest_leaves_loop(go_file, defer, body)
            or any(semantic.kept_beyond(go_file, body, name, made) for name in kept)
            or _released_again(go_file, released.removesuffix("()"), defer, body, loop)
            or semantic.only_holds(go_file, body, made, defer)
        ):
            return None
        held = f"{root!r} stays open"
        if bare:
            timed = _makes_cancel(go_file, made, _TIMED_CANCEL_MAKERS)
            held = "context (and its timer) stays live" if timed else "context stays live"
        return report(
            go_file,
            defer,
            f"defer {released} inside a loop runs only when the function returns: every "
            f"iteration's {held} until then; release it at the end of the iteration, or "
            "move the loop body into a function",
            related=[related(go_file, made, f"{root!r} is made again in every iteration")],
        )
    return None


def _released_values(go_file: GoFile, call: Node) -> Iterator[tuple[str, str, bool]]:
    """(what is released, its root variable, is it a bare `f()` call) for `x.Close()`,
    `resp.Body.Close()`, `cancel()`, or each such call inside a deferred `func() {...}()`."""
    function = call.child_by_field_name("function")
    if function is None:
        return
    if function.type == "func_literal":
        literal_body = function.child_by_field_name("body")
        if literal_body is None:
            return
        for inner in captures(_CALLS, literal_body).get("call", []):
            if semantic.enclosing_function(inner) == function:
                yield from _released_values(go_file, inner)
        return
    if function.type == "identifier":
        name = go_file.text(function)
        yield f"{name}()", name, True
        return
    if function.type != "selector_expression":
        return
    field = function.child_by_field_name("field")
    operand = function.child_by_field_name("operand")
    if field is None or operand is None or go_file.text(field) not in _RELEASE_METHODS:
        return
    root = operand
    while root.type == "selector_expression":
        root = root.child_by_field_name("operand")
    if root is not None and root.type == "identifier":
        yield f"{go_file.text(operand)}.{go_file.text(field)}()", go_file.text(root), False


def _made_in_iteration(
    go_file: GoFile, body: Node, name: str, defer: Node, bare: bool
) -> Node | None:
    """The statement of the loop body, before the defer, that declares or assigns `name`.

    For a bare `cancel()` only a cancel function from context.With* (or signal.NotifyContext)
    counts: a function value from elsewhere says nothing about what it releases.
    """
    refs = sorted(semantic.references(go_file, body, name), key=lambda n: n.start_byte)
    for ref in refs:
        if ref.start_byte >= defer.start_byte:
            break
        if semantic.enclosing_function(ref) != semantic.enclosing_function(defer):
            continue
        use = semantic.use_of(go_file, ref)
        if use.kind is not semantic.UseKind.BOUND:
            continue
        statement = use.holder
        if bare and not _makes_cancel(go_file, statement):
            continue
        return statement
    return None


def _other_names(go_file: GoFile, statement: Node, name: str) -> list[str]:
    left = statement.child_by_field_name("left")
    targets = left.named_children if left is not None else statement.children_by_field_name("name")
    return [
        go_file.text(t)
        for t in targets
        if t.type == "identifier" and go_file.text(t) not in (name, "_")
    ]


def _makes_cancel(
    go_file: GoFile, statement: Node, makers: frozenset[str] = _CANCEL_MAKERS
) -> bool:
    right = statement.child_by_field_name("right") or statement.child_by_field_name("value")
    if right is None:
        return False
    for call in right.named_children:
        if call.type != "call_expression":
            continue
        function = call.child_by_field_name("function")
        if function is None or function.type != "selector_expression":
            continue
        operand = function.child_by_field_name("operand")
        field = function.child_by_field_name("field")
        import_path = go_file.imports.get(go_file.text(operand)) if operand is not None else None
        if import_path and f"{import_path}.{go_file.text(field)}" in makers:
            return True
    return False


def _released_again(go_file: GoFile, callee: str, defer: Node, body: Node, loop: Node) -> bool:
    """Does the iteration release the value itself as well, after the defer and on its way
    to the next iteration (`defer pw.Close()` ... `pw.Close()`)? Then the defer is only a
    safety net for the early exits, which leave the function anyway: nothing piles up."""
    function = semantic.enclosing_function(defer)
    for _, rest in semantic.statements_after(defer, body):
        for stmt in rest:
            if _releases_in(go_file, stmt, callee, function):
                return not _continues_between(go_file, loop, body, defer, stmt)
    return False


def _releases_in(go_file: GoFile, stmt: Node, callee: str, function: Node | None) -> bool:
    """Is `stmt` itself the release, unconditionally: `pw.Close()`, `err = pw.Close()`,
    `if err := pw.Close(); err != nil {...}` (not a release in a nested branch or closure)?"""
    if stmt.type in ("expression_statement", "assignment_statement", "short_var_declaration"):
        parts = [stmt]
    elif stmt.type == "if_statement":
        parts = [stmt.child_by_field_name("initializer"), stmt.child_by_field_name("condition")]
    else:
        return False
    for part in parts:
        if part is None:
            continue
        for call in captures(_CALLS, part).get("call", []):
            target = call.child_by_field_name("function")
            if (
                target is not None
                and go_file.text(target) == callee
                and semantic.enclosing_function(call) == function
            ):
                return True
    return False


def _continues_between(go_file: GoFile, loop: Node, body: Node, start: Node, end: Node) -> bool:
    """A `continue` of this loop between the defer and the explicit release skips it."""
    label = semantic.loop_label(go_file, loop)
    for jump in captures(_CONTINUES, body).get("continue", []):
        if not start.end_byte <= jump.start_byte < end.start_byte:
            continue
        target = jump.named_children[0] if jump.named_children else None
        if target is not None:
            if go_file.text(target) == label:
                return True
        elif semantic.inside_loop(jump) == loop:
            return True
    return False
