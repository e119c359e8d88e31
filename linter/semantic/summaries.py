"""Function summaries: what a function does with what it returns, and what its callers do
with that."""

from __future__ import annotations

import re
from collections.abc import Iterable

from tree_sitter import Node

from linter.semantic.channels import is_terminating_call
from linter.semantic.core import enclosing_function, function_name, nodes_at_matches, statements
from linter.semantic.escapes import method_calls_on
from linter.semantic.exits import ExitKind
from linter.semantic.facts import package_fact
from linter.semantic.globals import _is_called, global_references
from linter.semantic.ownership import Runs, closure_runs
from linter.semantic.paths import Exit, Unusable, error_guard, own_returns
from linter.semantic.types import type_name
from linter.source import GoFile, Package

_FUNCTION_DECLARATION = re.compile(rb"^func[ \t]+(\w+)", re.M)


@package_fact
def functions_returning(
    package: Package, releasers: frozenset[tuple[str, tuple[str, ...], str]]
) -> dict[str, str]:
    """The package's functions whose first result is a value its caller must release, by
    name, with that value's type. `releasers` are (type, release methods, field) triples:
    (`os.File`, ("Close",), "") or (`net/http.Response`, ("Close",), "Body").

    ```go
    func openLog(dir string) (*os.File, error)  // "openLog": "os.File"
    ```
    A function that releases what it returns itself (see `closes_what_it_returns`), or
    returns what such a function made (`return newPipe(t, name)`), leaves its caller nothing
    to release and is left out. Found from `func name(` at the start of a line, in files
    that spell one of the types: a descent per declaration, not a walk.
    """
    how = {spelled: (methods, field) for spelled, methods, field in releasers}
    names = sorted({spelled.rpartition(".")[2].encode() for spelled in how})
    hint = re.compile(rb"\.(?:" + b"|".join(names) + rb")\b")
    found: dict[str, tuple[str, GoFile, Node]] = {}
    for go_file in package.files:
        if not hint.search(go_file.data):
            continue
        for function in nodes_at_matches(
            go_file, _FUNCTION_DECLARATION, "function_declaration", 1, 1
        ):
            spelled = type_name(go_file, _first_result_type(function)) or ""
            if spelled in how:
                found[function_name(go_file, function)] = (spelled, go_file, function)
    cleaned = {
        n
        for n, (spelled, f, function) in found.items()
        if closes_what_it_returns(f, function, *how[spelled])
    }
    delegates = {n: _returned_callees(f, function) for n, (_, f, function) in found.items()}
    while True:
        more = {n for n, callees in delegates.items() if n not in cleaned and callees & cleaned}
        if not more:
            break
        cleaned |= more
    return {n: spelled for n, (spelled, _, _) in found.items() if n not in cleaned}


def _first_result_type(function: Node) -> Node | None:
    results = function.child_by_field_name("result")
    if results is None or results.type != "parameter_list":
        return results
    declarations = results.named_children
    return declarations[0].child_by_field_name("type") if declarations else None


def _returned_callees(go_file: GoFile, function: Node) -> set[str]:
    """`return newPipe(t, name)`: the names of the functions whose result is returned."""
    names = set()
    for ret in own_returns(function):
        values = _first_result(ret)
        callee = values.child_by_field_name("function") if values is not None else None
        if values is not None and values.type == "call_expression" and callee is not None:
            names.add(go_file.text(callee))
    return names


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
    if closure_runs(owner) is Runs.DEFERRED:
        return True
    arguments = owner.parent
    callee = arguments.parent.child_by_field_name("function") if arguments.parent else None
    return (
        arguments.type == "argument_list"
        and callee is not None
        and callee.type == "selector_expression"
        and callee.child_by_field_name("field").text == b"Cleanup"
    )


@package_fact
def errors_end_every_caller(package: Package, name: str) -> bool:
    """Does every call of the package function `name` end the program or test when it
    returns an error?

        if err := writeKey(p, k); err != nil { log.Fatal(err) }
        err := writeKey(p, k)
        if err != nil { panic(err) }

    A value the function leaks only on its error returns then lives no longer than the
    process (or the failed test). False when any call does something else with the error,
    when there is no call in the package, or when other packages may call it (an exported
    name outside package main).
    """
    if name[:1].isupper() and package.name != "main":
        return False
    calls = [(f, ref) for f, ref in global_references(package, name) if _is_called(ref)]
    return bool(calls) and all(_error_ends_caller(f, ref.parent) for f, ref in calls)


def exits_outlived(
    package: Package, go_file: GoFile, function: Node, exits: list[Exit]
) -> list[Exit]:
    """The exits of `function` the program or test outlives: all of them, unless every
    caller ends it on this function's errors (`if err := writeKey(p); err != nil {
    log.Fatal(err) }`, see `errors_end_every_caller`), where the error returns go."""
    failing = [e for e in exits if e.kind is ExitKind.RETURN and returns_an_error(go_file, e.node)]
    if not failing or function.type != "function_declaration":
        return exits
    if not errors_end_every_caller(package, function_name(go_file, function)):
        return exits
    return [e for e in exits if e not in failing]


def returns_an_error(go_file: GoFile, ret: Node) -> bool:
    """`return fmt.Errorf(...)`, `return nil, err`: a return whose last result is not `nil`
    in a function whose last result is an `error`."""
    function = enclosing_function(ret)
    results = function.child_by_field_name("result") if function is not None else None
    if results is not None and results.type == "parameter_list":
        declared = results.named_children
        results = declared[-1].child_by_field_name("type") if declared else None
    if results is None or go_file.text(results) != "error":
        return False
    values = ret.named_children[0] if ret.named_children else None
    if values is not None and values.type == "expression_list":
        values = values.named_children[-1] if values.named_children else None
    return values is not None and go_file.text(values) != "nil"


def _error_ends_caller(go_file: GoFile, call: Node) -> bool:
    """`if err := f(); err != nil { panic(err) }`, or `err := f()` / `err = f()` followed at
    once by such an if: the caller's error path ends in a terminating call."""
    holder = call.parent
    statement = holder.parent if holder is not None and holder.type == "expression_list" else None
    if statement is None or statement.type not in ("short_var_declaration", "assignment_statement"):
        return False
    left = statement.child_by_field_name("left")
    error_name = go_file.text(left.named_children[-1]) if left is not None else ""
    check = statement.parent
    if check is None or check.type != "if_statement":
        check = statement.next_named_sibling  # `err := f()` then `if err != nil {`
    if check is None or check.type != "if_statement":
        return False
    condition = check.child_by_field_name("condition")
    body = statements(check.child_by_field_name("consequence"))
    last = body[-1].named_children[0] if body and body[-1].type == "expression_statement" else None
    return (
        condition is not None
        and error_guard(go_file, condition, error_name) is Unusable.THEN
        and last is not None
        and last.type == "call_expression"
        and is_terminating_call(go_file, last)
    )
