"""Declared types: what a declaration spells out, with no type checker."""

from __future__ import annotations

from tree_sitter import Node

from linter.semantic.channels import assigned_value, callee_declarations, package_declarations
from linter.semantic.core import _CASE_TYPES, enclosing_function, is_inside, qualified_call_name
from linter.semantic.escapes import references
from linter.semantic.facts import file_fact
from linter.semantic.paths import own_returns
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
    type or initialised with one of those, package-level variables, struct fields (`c.client`
    when a struct of the package declares `client *http.Client`), and calls of the package's
    functions and methods (`s.Stopper()`, by the first result they declare). None otherwise.
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
        if function is not None and go_file.text(function) == "new" and arguments is not None:
            first = arguments.named_children[0] if arguments.named_children else None
            return type_name(go_file, first)
        return _result_type_name(go_file, package, expr, _depth)
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


def _result_type_name(go_file: GoFile, package: Package, call: Node, depth: int) -> str | None:
    """The first result type declared by the package function, or the method of the
    operand's declared type, that `call` runs; None unless they all agree."""
    callee = call.child_by_field_name("function")
    if callee is None:
        return None
    if callee.type == "identifier":
        declarations = [
            (f, d)
            for f, d in package_declarations(package).get(go_file.text(callee), [])
            if d.type == "function_declaration"
        ]
    elif callee.type == "selector_expression":
        operand = callee.child_by_field_name("operand")
        field = callee.child_by_field_name("field")
        if operand is None or field is None or go_file.text(operand) in go_file.imports:
            return None
        receiver = value_type_name(go_file, package, operand, depth + 1)
        declarations = methods_of(package, receiver, go_file.text(field)) if receiver else []
    else:
        return None
    found = {type_name(f, first_result_type(d)) for f, d in declarations}
    return found.pop() if len(found) == 1 else None


def first_result_type(function: Node) -> Node | None:
    """`*os.File` in `func open() (*os.File, error)`."""
    result = function.child_by_field_name("result")
    if result is not None and result.type == "parameter_list":
        declarations = result.named_children
        return declarations[0].child_by_field_name("type") if declarations else None
    return result


def methods_of(package: Package, receiver_type: str, method: str) -> list[tuple[GoFile, Node]]:
    """The package's declarations of `method` on `receiver_type` (`T` for `(t *T)` and
    `(t T[K])` alike)."""
    return [
        (f, d)
        for f, d in package_declarations(package).get(f".{method}", [])
        if receiver_type_name(f, d) == receiver_type
    ]


def receiver_type_name(go_file: GoFile, method: Node) -> str | None:
    """`T` for a method declared on `T`, `*T` or `*T[K]`."""
    receiver = method.child_by_field_name("receiver")
    declaration = receiver.named_children[0] if receiver and receiver.named_children else None
    type_node = declaration.child_by_field_name("type") if declaration is not None else None
    while type_node is not None and type_node.type in ("pointer_type", "parenthesized_type"):
        type_node = type_node.named_children[0] if type_node.named_children else None
    if type_node is not None and type_node.type == "generic_type":
        type_node = type_node.child_by_field_name("type")
    return go_file.text(type_node) if type_node is not None else None


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
    values = _values_assigned_before(go_file, expr)
    return bool(values) and all(is_type_value(go_file, v, _depth + 1) for v in values)


def _values_assigned_before(go_file: GoFile, name: Node) -> list[Node]:
    """What the local `name` was given before this use in its function: the values a
    question about the local must hold for."""
    function = enclosing_function(name)
    body = function.child_by_field_name("body") if function is not None else None
    if body is None:
        return []
    values = [
        assigned_value(go_file, ref)[1]
        for ref in references(go_file, body, go_file.text(name))
        if ref.start_byte < name.start_byte
    ]
    return [v for v in values if v is not None]


# How many values, calls and rewrites deep a type name is followed.
_NAME_DEPTH = 8
# strings functions that keep a string derived from a type name one (first argument).
_NAME_KEEPERS = frozenset(
    {"strings.TrimPrefix", "strings.TrimSuffix", "strings.ToLower", "strings.ToUpper"}
)


def is_type_name_value(
    package: Package, go_file: GoFile, expr: Node | None, _depth: int = 0
) -> bool:
    """Is `expr` the name of a Go type: `fmt.Sprintf("%T", v)`, `reflect.TypeOf(v).String()`
    (or `.Name()`), one trimmed or recased by `strings`, a local assigned only such values,
    or a call of a package function that returns only such values? The program's types are
    a fixed set, so keys like these are bounded (a reverse registry of backend types).
    Unsure (any other value) means no."""
    if expr is None or _depth > _NAME_DEPTH:
        return False
    if expr.type == "call_expression":
        return _names_a_type(package, go_file, expr, _depth)
    if expr.type != "identifier" or parameter_type(go_file, expr) is not None:
        return False
    # Not its own right-hand side: `name = strings.ToLower(name)` says nothing new.
    values = [v for v in _values_assigned_before(go_file, expr) if not is_inside(expr, v)]
    return bool(values) and all(is_type_name_value(package, go_file, v, _depth + 1) for v in values)


def _names_a_type(package: Package, go_file: GoFile, call: Node, depth: int) -> bool:
    arguments = call.child_by_field_name("arguments")
    values = [a for a in arguments.named_children if a.type != "comment"] if arguments else []
    qualified = qualified_call_name(go_file, call)
    if qualified == "fmt.Sprintf":
        return len(values) == 2 and go_file.text(values[0]) in ('"%T"', "`%T`")
    if qualified in _NAME_KEEPERS:
        return bool(values) and is_type_name_value(package, go_file, values[0], depth + 1)
    callee = call.child_by_field_name("function")
    if callee is not None and callee.type == "selector_expression":
        method = go_file.text(callee.child_by_field_name("field"))
        operand = callee.child_by_field_name("operand")
        if method in ("String", "Name") and not values:
            return is_type_value(go_file, operand)
    declarations = callee_declarations(package, go_file, call)
    if len(declarations) != 1 or declarations[0][1].type != "function_declaration":
        return False
    declared_file, function = declarations[0]
    returned = [_first_result(r) for r in own_returns(function) if r.named_children]
    return bool(returned) and all(
        is_type_name_value(package, declared_file, r, depth + 1) for r in returned
    )


def _first_result(statement: Node) -> Node:
    """`x` in `return x` or `return x, err`."""
    value = statement.named_children[0]
    return value.named_children[0] if value.type == "expression_list" else value
