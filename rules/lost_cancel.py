"""## What it does
Flags a `context.WithCancel`, `WithTimeout`, `WithDeadline` (and their `...Cause` forms) or
`signal.NotifyContext` call whose cancel function is discarded (`_`) or not used on every path
out of the function: a `return` (or the end of the function) is reachable without calling it,
deferring it, or handing it over (returning it, storing it, passing it on, or using it in a
goroutine or callback). Every statement `go vet`'s `lostcancel` check flags is flagged here
too, with the return that misses the cancel as a related location; unlike vet, it also checks
`signal.NotifyContext`, whose stop function undoes the signal registration.

Not flagged: the external tests of the context (or os/signal) package itself — a
`package context_test` file with `import . "context"` — which drop cancel functions on
purpose to test what a context does when nobody cancels it (vet, which only matches
`context.WithX` selectors, is silent there as well).

**Default and scope (measured, docs/precision-audit.md).** On by default: it covers go
vet's lostcancel (a test runs the real `go vet` on the fixtures) and reported nothing on 25
real projects.

## Why is this bad
A derived context holds resources until it is cancelled: it is registered as a child of its
parent (for a long-lived parent such as `context.Background()` or a server's base context,
that registration lives for the life of the process), `WithTimeout` and `WithDeadline` keep a
runtime timer until the deadline, and goroutines started with the context (including the one
`context.AfterFunc` or a `select` on `ctx.Done()` keeps) wait for a cancellation that only
the parent can now deliver. Called on every request, the leak grows with the traffic.
`signal.NotifyContext` keeps the signal handler and a goroutine until `stop` is called.

## Example
```go
func fetch(ctx context.Context, url string) ([]byte, error) {
        ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
        req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
        if err != nil {
                return nil, err // cancel is never called on this path
        }
        defer cancel()
        return doRequest(req)
}
```

## Use instead
```go
func fetch(ctx context.Context, url string) ([]byte, error) {
        ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
        defer cancel()
        req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
        if err != nil {
                return nil, err
        }
        return doRequest(req)
}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from linter import semantic
from linter.findings import Finding
from linter.reporting import related, report
from linter.source import GoFile, Package

code = "GLK402"
name = "lost-cancel"
summary = "cancel function of a derived context is discarded or not called on every path"
level = "warning"
precision = "high"
tags = ("goroutine-leak", "memory-leak", "context", "timer")

_CANCELLING_CALLS = (
    "context.WithCancel",
    "context.WithCancelCause",
    "context.WithTimeout",
    "context.WithTimeoutCause",
    "context.WithDeadline",
    "context.WithDeadlineCause",
    "os/signal.NotifyContext",
)
_BINDINGS = ("short_var_declaration", "assignment_statement", "var_spec")


def check(package: Package) -> Iterator[Finding]:
    for go_file in package.files:
        for qualified, call in semantic.calls_to(go_file, _CANCELLING_CALLS):
            function = semantic.enclosing_function(call)
            target = _cancel_target(go_file, call)
            if function is None or target is None:
                continue  # package-level contexts live as long as the program; others handed over
            if _tests_own_package(go_file, call, qualified):
                continue
            statement, cancel = target
            shown = qualified.rsplit("/", 1)[-1]
            if cancel.type == "identifier" and go_file.text(cancel) == "_":
                yield _discarded(go_file, call, shown)
                continue
            if semantic.is_main_function(package, go_file, function):
                continue  # returning from main.main ends the process
            if cancel.type == "selector_expression":
                field = cancel.child_by_field_name("field")
                finding = _stored_never_called(package, go_file, call, shown, [field])
                if finding is not None:
                    yield finding
                continue  # otherwise the field's owner calls it
            if cancel.type != "identifier":
                continue  # an element of a slice or map: its owner's
            finding = _check_variable(package, go_file, function, call, statement, cancel, shown)
            if finding is not None:
                yield finding


def _check_variable(
    package: Package,
    go_file: GoFile,
    function: Node,
    call: Node,
    statement: Node,
    cancel: Node,
    shown: str,
) -> Finding | None:
    """`ctx, cancel := context.WithX(...)`: a path out without it, the variable reused for
    another cancel first, or the function stored only in fields nothing calls."""
    scope = _scope_of(go_file, function, statement, cancel)
    if scope is None:
        return None  # assigned to a variable of an outer function or the package: theirs
    name_ = go_file.text(cancel)
    exits = semantic.exits_without_mention(package, go_file, function, statement, name_, scope)
    if exits:
        return _lost(go_file, call, shown, name_, exits)
    overwrite = semantic.rebound_before_use(go_file, statement, name_)
    if overwrite is not None:
        return _overwritten(go_file, call, shown, name_, overwrite)
    fields = _fields_holding(go_file, function, statement, name_)
    return _stored_never_called(package, go_file, call, shown, fields) if fields else None


def _fields_holding(go_file: GoFile, function: Node, statement: Node, name_: str) -> list[Node]:
    """The fields the cancel function is stored in (`s.cancel = cancel`, `&conn{cancel:
    cancel}`), when that is all that is done with it; [] when it is used any other way."""
    fields = []
    body = function.child_by_field_name("body")
    for ref in semantic.references(go_file, body, name_):
        if ref.start_byte < statement.end_byte:
            continue
        use = semantic.use_of(go_file, ref)
        field = semantic.field_stored_in(go_file, use)
        if field is None:
            return []
        fields.append(field)
    return fields


def _stored_never_called(
    package: Package, go_file: GoFile, call: Node, shown: str, fields: list[Node]
) -> Finding | None:
    """Every field holding the cancel is unexported and nothing in the package reads it (a
    call, a defer, a hand-over would all read it): nobody can ever cancel the context."""
    names = {go_file.text(f) for f in fields}
    if any(not n[:1].islower() or semantic.field_is_read(package, n) for n in names):
        return None
    what = "stop" if shown.endswith("NotifyContext") else "cancel"
    field = sorted(names)[0]
    return report(
        go_file,
        call,
        f"the {what} function returned by {shown} is kept in .{field}, which nothing in this "
        f"package ever calls: the context and what it holds live until the parent is "
        f"cancelled; call it when its owner is done (in a Close or Stop method)",
        [related(go_file, f.parent, "kept here") for f in fields],
    )


def _cancel_target(go_file: GoFile, call: Node) -> tuple[Node, Node] | None:
    """(binding statement, cancel target) for `ctx, cancel := context.WithX(...)` forms."""
    values = call.parent
    statement = values.parent if values is not None else None
    if values is None or values.type != "expression_list" or statement is None:
        return None
    if statement.type not in _BINDINGS or len(values.named_children) != 1:
        return None
    if statement.type == "var_spec":
        if statement.child_by_field_name("value") != values:
            return None
        targets = statement.children_by_field_name("name")
    else:
        left = statement.child_by_field_name("left")
        if statement.child_by_field_name("right") != values or left is None:
            return None
        targets = left.named_children
    return (statement, targets[1]) if len(targets) >= 2 else None


def _tests_own_package(go_file: GoFile, call: Node, qualified: str) -> bool:
    """A call in the external tests of the context (or os/signal) package itself.

    `package context_test` with `import . "context"` is Go's form for a package's own external
    tests (the one use of dot imports Go's code review guide allows): they discard cancel
    functions on purpose, to test what a context does when nobody cancels it. vet's
    lostcancel, which only matches `context.WithX` selectors, is silent there too.
    """
    callee = call.child_by_field_name("function")
    if not go_file.is_test or callee is None or callee.type != "identifier":
        return False
    import_path = qualified.rsplit(".", 1)[0]
    return (
        import_path in go_file.dot_imports
        and go_file.package_name == f"{import_path.rsplit('/', 1)[-1]}_test"
    )


def _scope_of(go_file: GoFile, function: Node, statement: Node, cancel: Node) -> Node | None:
    """The syntax node the cancel variable's scope covers, if it belongs to `function`.

    A `:=` or `var` declares it here: its scope is the enclosing block, case or compound
    statement. A plain `=` assigns a variable declared earlier; vet only judges it when that
    declaration is inside the function (a parameter or local), not an outer one's or a global.
    """
    if statement.type == "assignment_statement":
        return semantic.declaring_scope(go_file, cancel, function.parent)
    current = statement.parent
    while current is not None and current.type in (
        "var_spec_list",
        "var_declaration",
        "for_clause",
    ):
        current = current.parent
    return current


def _discarded(go_file: GoFile, call: Node, shown: str) -> Finding:
    what = "stop" if shown.endswith("NotifyContext") else "cancel"
    return report(
        go_file,
        call,
        f"the {what} function returned by {shown} is discarded: the context and what it holds "
        f"live until the parent is cancelled; keep it and defer {what}()",
    )


def _overwritten(go_file: GoFile, call: Node, shown: str, cancel: str, overwrite: Node) -> Finding:
    line = overwrite.start_point[0] + 1
    return report(
        go_file,
        call,
        f"{cancel} is given another cancel function at line {line} before this one is called: "
        f"the context from {shown} leaks until its parent is cancelled; call or defer "
        f"{cancel}() before reusing the variable",
        [related(go_file, overwrite, f"{cancel} is overwritten here")],
    )


def _lost(
    go_file: GoFile, call: Node, shown: str, cancel: str, exits: list[semantic.Exit]
) -> Finding:
    return report(
        go_file,
        call,
        f"{cancel} is not called on every path: the context from {shown} leaks until its "
        f"parent is cancelled; defer {cancel}() right after creating it",
        related=[
            related(go_file, e.node, f"{e.how} is reached without calling {cancel}") for e in exits
        ],
    )
