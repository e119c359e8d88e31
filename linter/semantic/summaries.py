"""Function summaries: what the package's own functions hand their callers."""

from __future__ import annotations

import re

from tree_sitter import Node

from linter.semantic.core import function_name, nodes_at_matches
from linter.semantic.facts import package_fact
from linter.semantic.paths import own_returns
from linter.semantic.types import type_name
from linter.source import GoFile, Package

_FUNCTION_DECLARATION = re.compile(rb"^func[ \t]+(\w+)", re.M)
_CLEANUP = re.compile(rb"\.Cleanup\(")


@package_fact
def functions_returning(package: Package, type_names: frozenset[str]) -> dict[str, str]:
    """The package's functions whose first result is one of `type_names` (qualified:
    `os.File`), by name, with that type: constructors whose caller owns what they return.

    ```go
    func openLog(dir string) (*os.File, error)  // "openLog": "os.File"
    ```
    A test helper that registers the close itself (`t.Cleanup(func() { f.Close() })`), or
    returns what such a helper made (`return newPipe(t, name)`), leaves its caller nothing to
    release and is left out. Found from `func name(` at the start of a line, in files that
    spell one of the types: a descent per declaration, not a walk.
    """
    hint = re.compile(
        rb"\.(?:" + b"|".join(sorted({t.rpartition(".")[2].encode() for t in type_names})) + rb")\b"
    )
    found: dict[str, tuple[str, GoFile, Node]] = {}
    for go_file in package.files:
        if not hint.search(go_file.data):
            continue
        for function in nodes_at_matches(
            go_file, _FUNCTION_DECLARATION, "function_declaration", 1, 1
        ):
            spelled = type_name(go_file, _first_result(function)) or ""
            if spelled in type_names:
                found[function_name(go_file, function)] = (spelled, go_file, function)
    cleaned = {n for n, (_, f, function) in found.items() if _closes_in_cleanup(f, function)}
    delegates = {n: _returned_callees(f, function) for n, (_, f, function) in found.items()}
    while True:
        more = {n for n, callees in delegates.items() if n not in cleaned and callees & cleaned}
        if not more:
            break
        cleaned |= more
    return {n: spelled for n, (spelled, _, _) in found.items() if n not in cleaned}


def _first_result(function: Node) -> Node | None:
    results = function.child_by_field_name("result")
    if results is None or results.type != "parameter_list":
        return results
    declarations = results.named_children
    return declarations[0].child_by_field_name("type") if declarations else None


def _closes_in_cleanup(go_file: GoFile, function: Node) -> bool:
    body = function.child_by_field_name("body")
    if body is None:
        return False
    text = go_file.data[body.start_byte : body.end_byte]
    for match in _CLEANUP.finditer(text):
        start = body.start_byte + match.start()
        node = go_file.root.descendant_for_byte_range(start + 1, start + 8)
        while node is not None and node.type != "call_expression":
            node = node.parent
        if node is not None and b".Close(" in go_file.data[node.start_byte : node.end_byte]:
            return True
    return False


def _returned_callees(go_file: GoFile, function: Node) -> set[str]:
    """`return newPipe(t, name)`: the names of the functions whose result is returned."""
    names = set()
    for ret in own_returns(function):
        values = ret.named_children[0] if ret.named_children else None
        if values is not None and values.type == "expression_list":
            values = values.named_children[0] if values.named_children else None
        callee = values.child_by_field_name("function") if values is not None else None
        if values is not None and values.type == "call_expression" and callee is not None:
            names.add(go_file.text(callee))
    return names
