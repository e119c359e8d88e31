"""Fixed values: literals, package-level names, and parameters every caller fills with one."""

from __future__ import annotations

from tree_sitter import Node

from linter.semantic.channels import parameters
from linter.semantic.core import enclosing_function, function_name
from linter.semantic.escapes import references
from linter.semantic.facts import package_fact
from linter.semantic.globals import global_references, package_constants, package_vars
from linter.semantic.ownership import UseKind, use_of
from linter.semantic.scopes import is_shadowed
from linter.source import GoFile, Package

_LITERALS = frozenset(
    {
        "interpreted_string_literal",
        "raw_string_literal",
        "int_literal",
        "float_literal",
        "rune_literal",
        "true",
        "false",
        "nil",
    }
)


@package_fact
def fixed_names(package: Package) -> frozenset[str]:
    """The package-level constants and variables: names whose value the program fixes."""
    return frozenset(package_constants(package) | {v.name for v in package_vars(package)})


def is_fixed_value(package: Package, go_file: GoFile, value: Node) -> bool:
    """A literal, a package-level constant or variable (`fixed_names`, not shadowed), or
    another package's name (`http.MethodGet`)."""
    if value.type in _LITERALS:
        return True
    if value.type == "identifier":
        return go_file.text(value) in fixed_names(package) and not is_shadowed(
            go_file, value, go_file.root
        )
    if value.type == "selector_expression":
        operand = value.child_by_field_name("operand")
        return operand is not None and go_file.text(operand) in go_file.imports
    return False


def is_fixed_by_callers(package: Package, go_file: GoFile, ref: Node) -> bool:
    """Is `ref` a parameter of an unexported function that every call in the package's
    non-test files passes a fixed value (`newConn("server", c)`)? Other packages cannot call
    it; a parameter the function reassigns, or a function used as a value, is not fixed."""
    function = enclosing_function(ref) if ref.type == "identifier" else None
    if function is None or function.type != "function_declaration":
        return False
    name = function_name(go_file, function)
    names = [p for p, _, _ in parameters(go_file, function)]
    text = go_file.text(ref)
    if name[:1].isupper() or text not in names or is_shadowed(go_file, ref, function):
        return False
    if _reassigned(go_file, function, text):
        return False
    index = names.index(text)
    callers = [(f, r) for f, r in global_references(package, name) if not f.is_test]
    if not callers:
        return False
    for caller_file, caller in callers:
        call = caller.parent
        arguments = call.child_by_field_name("arguments") if call is not None else None
        if call is None or call.type != "call_expression" or arguments is None:
            return False  # used as a value: called from places we cannot see
        values = [a for a in arguments.named_children if a.type != "comment"]
        if index >= len(values) or not is_fixed_value(package, caller_file, values[index]):
            return False
    return True


def _reassigned(go_file: GoFile, function: Node, name: str) -> bool:
    """`name = ...` somewhere in the function's body."""
    body = function.child_by_field_name("body")
    for ref in references(go_file, body, name) if body is not None else []:
        use = use_of(go_file, ref)
        if use.kind is UseKind.BOUND and use.holder.type == "assignment_statement":
            return True
    return False
