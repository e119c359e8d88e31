"""## What it does
Flags a `defer` directly inside a loop body that releases something made in that iteration:
`defer f.Close()`, `defer resp.Body.Close()`, `defer t.Stop()`, `defer tx.Rollback()`,
`defer cancel()` (for a cancel function from `context.WithCancel/WithTimeout/WithDeadline`
made in the loop), or a deferred closure that does one of these.

Not flagged: a `defer` inside a function literal that runs per iteration (the fix), a loop
whose rest after the `defer` always returns or breaks (it never runs another iteration), a
loop of a handful of literal iterations (`for _, p := range []string{a, b}`, `for i := 0;
i < 3; i++`), a value from outside the iteration (`for _, c := range conns { defer
c.Close() }`), a value the iteration also releases by hand before the next one (the defer
is only a safety net for the early returns), and a value the loop keeps for later use
(appended to a slice, stored, also inside a struct literal, sent, or, for a cancel function,
its context given to a goroutine), where holding every one open until the function returns
is the point. So is a loop that is the whole body of a function literal called in place and
only holds each value (`func() { for ... { c := open(); defer c.Close() } }()`): the literal
scopes the defers to the loop on purpose, to hold all of them at once.

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
_CASES = ("expression_case", "default_case", "type_case", "communication_case")


def check(package: Package) -> Iterator[Finding]:
    for go_file in package.files:
        for defer in semantic.nodes_at_matches(go_file, _DEFER_WORD, "defer_statement", depth=1):
            finding = _check_defer(go_file, defer)
            if finding is not None:
                yield finding


def _check_defer(go_file: GoFile, defer: Node) -> Finding | None:
    loop = semantic.inside_loop(defer)  # stops at function literals: those run per iteration
    if loop is None:
        return None
    count = semantic.constant_iterations(go_file, loop)
    if count is not None and count <= semantic.SMALL_LOOP:
        return None  # `for _, p := range []string{a, b}`: a few defers, bounded
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
            _rest_leaves_loop(go_file, defer, body)
            or any(_kept_beyond_iteration(go_file, body, name, made) for name in kept)
            or _released_again(go_file, released.removesuffix("()"), defer, body, loop)
            or _held_until_loop_ends(go_file, loop, body, kept, made, defer)
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
        statement = _assigning_statement(ref)
        if statement is None:
            continue
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


def _assigning_statement(ref: Node) -> Node | None:
    """The `:=`, `=` or `var` statement that assigns `ref` on its left, if any."""
    parent = ref.parent
    if parent is None:
        return None
    if parent.type == "var_spec":
        return parent if ref in parent.children_by_field_name("name") else None
    if parent.type != "expression_list" or parent.parent is None:
        return None
    holder = parent.parent
    if holder.type in ("short_var_declaration", "assignment_statement"):
        left = holder.child_by_field_name("left")
        return holder if left is not None and left.id == parent.id else None
    return None


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


def _rest_leaves_loop(go_file: GoFile, defer: Node, body: Node) -> bool:
    """After the defer, does every path leave the loop (return, break)? Then the loop never
    runs another iteration with this defer pending: a "try each until one works" loop."""
    break_leaves = True
    for container, rest in semantic.statements_after(defer, body):
        if semantic.always_leaves_loop(go_file, rest, break_leaves):
            return True
        if container.type != "block":
            break_leaves = False  # a plain break in a case ends the switch, not the loop
    return False


def _kept_beyond_iteration(go_file: GoFile, body: Node, root: str, made: Node) -> bool:
    """The loop keeps the value (or something made from it, `r := bufio.NewReader(f)`) for
    after the iteration: appended, stored in something declared outside the loop, sent, or
    given to a goroutine. Holding all of them open until the function returns is the design.
    """
    pending, seen = [root], {root}
    while pending:
        name = pending.pop()
        for ref in semantic.references(go_file, body, name):
            if ref.start_byte <= made.end_byte:
                continue
            kept, derived = _use_of(go_file, ref, body)
            if kept:
                return True
            for alias in derived:
                if alias not in seen and alias != "_":
                    seen.add(alias)
                    pending.append(alias)
    return False


def _use_of(go_file: GoFile, ref: Node, body: Node) -> tuple[bool, list[str]]:
    """(does this use keep the value beyond the iteration, names newly derived from it)."""
    closure = semantic.enclosing_function(ref)
    if closure is not None and closure.id != semantic.enclosing_function(body).id:
        return semantic.is_go_statement_closure(closure), []
    node = ref
    while node.parent is not None and node.parent.id != body.id:
        parent = node.parent
        if parent.type == "call_expression":
            function = parent.child_by_field_name("function")
            if function is not None and go_file.text(function) == "append":
                return True, []
        if parent.type in ("go_statement", "send_statement"):
            return True, []
        if parent.type in ("assignment_statement", "short_var_declaration"):
            left = parent.child_by_field_name("left")
            right = parent.child_by_field_name("right")
            if left is None or right is None or not semantic.is_inside(ref, right):
                return False, []
            if parent.type == "assignment_statement" and any(
                not _declared_in(go_file, body, t) for t in left.named_children
            ):
                return _holds(go_file, ref, left), []
            if _holds(go_file, ref, left):
                return False, [go_file.text(t) for t in left.named_children[:1]]
            return False, []
        if parent.type in ("expression_statement", "return_statement", "defer_statement"):
            return False, []
        node = parent
    return False, []


def _holds(go_file: GoFile, ref: Node, left: Node) -> bool:
    """Does the assignment's first target hold the value itself or a wrapper of it?
    `g := f`, `r := bufio.NewReader(f)`, `zr, err := gzip.NewReader(f)` do; `st, err :=
    f.Stat()` and `b, err := io.ReadAll(f)` only read through it."""
    node = semantic.unparenthesized(ref)
    if node.parent is not None and node.parent.type == "selector_expression":
        node = semantic.unparenthesized(node.parent)  # `ch = timer.C`, `body := resp.Body`
    node = _outer_literal(node)  # `s.fifos[i] = &fifo{f, path}` holds f as well
    parent = node.parent
    if parent is not None and parent.type == "expression_list":
        return True  # `g := f`, `s.files[i] = f`
    if parent is None or parent.type != "argument_list" or parent.parent is None:
        return False
    function = parent.parent.child_by_field_name("function")
    callee = go_file.text(function).rsplit(".", 1)[-1] if function is not None else ""
    single = len(left.named_children) == 1
    return single or callee.startswith(("New", "new", "Wrap", "wrap"))


def _outer_literal(node: Node) -> Node:
    """The outermost composite literal (or `&literal`) that `node` is an element of, else
    `node`: a struct or slice literal holding the value holds it too."""
    current = node
    while current.parent is not None and current.parent.type in (
        "literal_element",
        "keyed_element",
        "literal_value",
        "composite_literal",
    ):
        current = current.parent
    if current.id == node.id or current.type != "composite_literal":
        return node
    parent = current.parent
    while parent is not None and (
        parent.type == "parenthesized_expression"
        or (parent.type == "unary_expression" and _operator(parent) == "&")
    ):
        current, parent = parent, parent.parent
    return current


def _operator(unary: Node) -> str:
    operator = unary.child_by_field_name("operator")
    return operator.type if operator is not None else ""


def _declared_in(go_file: GoFile, body: Node, target: Node) -> bool:
    """Is the root variable of an assignment target declared inside the loop body?"""
    root = target
    while root.type in ("selector_expression", "index_expression"):
        root = root.child_by_field_name("operand")
        if root is None:
            return False
    if root.type != "identifier":
        return False
    name = go_file.text(root)
    for ref in semantic.references(go_file, body, name):
        statement = _assigning_statement(ref)
        if statement is not None and statement.type in ("short_var_declaration", "var_spec"):
            return True
    return False


def _released_again(go_file: GoFile, callee: str, defer: Node, body: Node, loop: Node) -> bool:
    """Does the iteration release the value itself as well, after the defer and on its way
    to the next iteration (`defer pw.Close()` ... `pw.Close()`)? Then the defer is only a
    safety net for the early exits, which leave the function anyway: nothing piles up."""
    function = semantic.enclosing_function(defer)
    node = defer
    while node.id != body.id:
        container = node.parent
        while container is not None and container.type == "statement_list":
            container = container.parent
        if container is None:
            return False
        if container.type == "block":
            siblings = semantic.statements(container)
        elif container.type in _CASES:
            siblings = semantic.case_statements(container)
        else:
            siblings = []
        for stmt in siblings:
            if stmt.start_byte > node.start_byte and _releases_in(go_file, stmt, callee, function):
                return not _continues_between(go_file, loop, body, defer, stmt)
        node = container
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
    label = None
    if loop.parent is not None and loop.parent.type == "labeled_statement":
        label_node = loop.parent.child_by_field_name("label")
        label = go_file.text(label_node) if label_node is not None else None
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


def _held_until_loop_ends(
    go_file: GoFile, loop: Node, body: Node, names: list[str], made: Node, defer: Node
) -> bool:
    """`func() { for i := 0; i < n; i++ { rows, err := db.Query(q); ...; defer rows.Close() }
    }()`: a function literal called in place whose whole body is the loop, and an iteration
    that does nothing with the value but hold it. The literal is there to scope the defers to
    the loop; holding every value open until the loop is done is the point (filling a pool)."""
    statement = loop.parent if loop.parent.type == "labeled_statement" else loop
    function = semantic.enclosing_function(loop)
    if function is None or function.type != "func_literal" or not _called_in_place(function):
        return False
    if semantic.enclosing_function(defer) != function:
        return False
    whole = semantic.statements(function.child_by_field_name("body"))
    if len(whole) != 1 or whole[0].id != statement.id:
        return False
    for name_ in names:
        for ref in semantic.references(go_file, body, name_):
            if not (semantic.is_inside(ref, made) or semantic.is_inside(ref, defer)):
                return False
    return True


def _called_in_place(literal: Node) -> bool:
    call = literal.parent
    return (
        call is not None
        and call.type == "call_expression"
        and call.child_by_field_name("function") == literal
    )
