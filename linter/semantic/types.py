"""Declared types: what a declaration spells out, with no type checker."""

from __future__ import annotations

from tree_sitter import Node

from linter.semantic.channels import assigned_value
from linter.semantic.core import _CASE_TYPES, enclosing_function, is_inside, qualified_call_name
from linter.semantic.escapes import references
from linter.semantic.facts import file_fact
from linter.semantic.scopes import parameter_type
from linter.source import GoFile, Package, captures, query

_DECLARATIONS = query(
    """
    (var_spec) @decl
    (short_var_declaration) @decl
    (field_declaration) @decl
    """
)


def type_name(go_file: GoFile, type_node: Node | None) -> str | None:
    """`*http.Client` -> `net/http.Client` (import path resolved), `Config` -> `Config`."""
    while type_node is not None and type_node.type in ("pointer_type", "parenthesized_type"):
        type_node = type_node.named_children[0] if type_node.named_children else None
    if type_node is None:
        return None
    if type_node.type == "qualified_type":
        package = type_node.child_by_field_name("package")
        name = type_node.child_by_field_name("name")
        import_path = go_file.imports.get(go_file.text(package)) if package else None
        return f"{import_path}.{go_file.text(name)}" if import_path and name else None
    if type_node.type == "type_identifier":
        return go_file.text(type_node)
    return None


def value_type_name(go_file: GoFile, package: Package, expr: Node, _depth: int = 0) -> str | None:
    """The type an expression's declaration spells out, resolved like `type_name`.

    Knows composite literals (`&net.Dialer{}`), `new(T)`, parameters, locals declared with a
    type or initialised with one of those, package-level variables, and struct fields
    (`c.client` when a struct of the package declares `client *http.Client`). None otherwise.
    """
    if _depth > 8:  # `a := b` chains (or cycles) are not followed far
        return None
    while expr.type == "parenthesized_expression" and expr.named_children:
        expr = expr.named_children[0]
    if expr.type == "unary_expression" and go_file.text(expr).startswith("&"):
        operand = expr.child_by_field_name("operand")
        if operand is None:
            return None
        return value_type_name(go_file, package, operand, _depth + 1)
    if expr.type == "composite_literal":
        return type_name(go_file, expr.child_by_field_name("type"))
    if expr.type == "call_expression":
        function = expr.child_by_field_name("function")
        arguments = expr.child_by_field_name("arguments")
        if function is None or go_file.text(function) != "new" or arguments is None:
            return None
        return type_name(go_file, arguments.named_children[0] if arguments.named_children else None)
    if expr.type == "identifier":
        parameter = parameter_type(go_file, expr)
        if parameter is not None:
            return type_name(go_file, parameter)
        scopes = []
        function = enclosing_function(expr)
        while function is not None:
            scopes.append((go_file, function))
            function = enclosing_function(function)
        name = go_file.text(expr)
        scopes.extend((f, f.root) for f in package.files if name.encode() in f.data)
        for owner, scope in scopes:
            found = _declared_type_in(owner, package, scope, name, False, _depth)
            if found is not None:
                return found
        return None
    if expr.type == "selector_expression":
        field = expr.child_by_field_name("field")
        if field is None:
            return None
        name = go_file.text(field)
        for owner in package.files:
            if name.encode() in owner.data:
                found = _declared_type_in(owner, package, owner.root, name, True, _depth)
                if found is not None:
                    return found
    return None


def _declared_type_in(
    go_file: GoFile, package: Package, scope: Node, name: str, fields: bool, depth: int
) -> str | None:
    package_level = scope.type == "source_file"
    for decl, index, count in _declarations(go_file).get((name, fields), ()):
        if not is_inside(decl, scope):
            continue
        if package_level and not fields and enclosing_function(decl) is not None:
            continue  # another function's local, not a package-level variable
        declared = type_name(go_file, decl.child_by_field_name("type"))
        if declared is None:
            if decl.type == "short_var_declaration":
                right = decl.child_by_field_name("right")
                values = right.named_children if right is not None else []
            else:
                value = decl.child_by_field_name("value")
                values = value.named_children if value is not None else []
            if index < len(values) and len(values) == count:
                declared = value_type_name(go_file, package, values[index], depth + 1)
        if declared is not None:
            return declared
    return None


@file_fact
def _declarations(go_file: GoFile) -> dict[tuple[str, bool], list[tuple[Node, int, int]]]:
    """(name, is a struct field) -> [(declaration, position of the name, names declared)],
    computed once per file: type lookups ask for many names."""
    table: dict[tuple[str, bool], list[tuple[Node, int, int]]] = {}
    for decl in captures(_DECLARATIONS, go_file.root).get("decl", []):
        if decl.type == "short_var_declaration":
            left = decl.child_by_field_name("left")
            names = left.named_children if left is not None else []
        else:
            names = decl.children_by_field_name("name")
        fields = decl.type == "field_declaration"
        for index, ident in enumerate(names):
            table.setdefault((go_file.text(ident), fields), []).append((decl, index, len(names)))
    return table


_BLOCK_STATEMENT_PARENTS = ("block", "statement_list", *_CASE_TYPES)


def is_block_statement(statement: Node | None) -> bool:
    """A statement of a block or case, not the header of an if/for/switch: the statements
    after it in its block are the paths `exits_without_release` can follow."""
    return (
        statement is not None
        and statement.parent is not None
        and statement.parent.type in _BLOCK_STATEMENT_PARENTS
    )


def value_type(go_file: GoFile, value: Node | None) -> Node | None:
    """The type a variable's initialiser spells: `T{...}`, `&T{...}`, `make(T, n)`, `new(T)`,
    or a conversion to a slice type (`[]T(nil)`); None when it spells none (`f()`)."""
    if value is not None and value.type == "unary_expression" and go_file.text(value)[:1] == "&":
        value = value.child_by_field_name("operand")
    if value is None:
        return None
    if value.type == "composite_literal":
        return value.child_by_field_name("type")
    if value.type in ("call_expression", "type_conversion_expression"):
        callee = value.child_by_field_name("function") or value.child_by_field_name("type")
        arguments = value.child_by_field_name("arguments")
        if callee is not None and callee.type == "slice_type":
            return callee
        if callee is not None and go_file.text(callee) in ("make", "new") and arguments:
            return arguments.named_children[0] if arguments.named_children else None
    return None


def is_reflect_type(go_file: GoFile, type_node: Node | None) -> bool:
    """`reflect.Type`, through any import name."""
    return (
        type_node is not None
        and type_node.type == "qualified_type"
        and type_name(go_file, type_node) == "reflect.Type"
    )


def is_type_value(go_file: GoFile, expr: Node | None, _depth: int = 0) -> bool:
    """Is `expr` a `reflect.Type`: `reflect.TypeOf(v)`, `v.Type()`, `t.Elem()`, a
    `reflect.Type` parameter, or a local assigned one of those (`t := v.Type()`)? Unsure
    (another call, a field) means no."""
    if expr is None or _depth > 4:
        return False
    if expr.type == "call_expression":
        if qualified_call_name(go_file, expr) in ("reflect.TypeOf", "reflect.TypeFor"):
            return True
        callee = expr.child_by_field_name("function")
        if callee is None or callee.type != "selector_expression":
            return False
        method = go_file.text(callee.child_by_field_name("field"))
        if method == "Type":
            return True
        return method in ("Elem", "Key") and is_type_value(
            go_file, callee.child_by_field_name("operand"), _depth + 1
        )
    if expr.type != "identifier":
        return False
    declared = parameter_type(go_file, expr)
    if declared is not None:
        return is_reflect_type(go_file, declared)
    function = enclosing_function(expr)
    body = function.child_by_field_name("body") if function is not None else None
    if body is None:
        return False
    values = [
        assigned_value(go_file, ref)[1]
        for ref in references(go_file, body, go_file.text(expr))
        if ref.start_byte < expr.start_byte
    ]
    values = [v for v in values if v is not None]
    return bool(values) and all(is_type_value(go_file, v, _depth + 1) for v in values)
