"""How many times a loop runs, when the code fixes it: literal and constant bounds, and
small literal tables ranged over in place or through a variable nothing grows."""

from __future__ import annotations

from tree_sitter import Node

from linter.semantic.channels import parameters
from linter.semantic.core import enclosing_function, function_name, inside_loop
from linter.semantic.escapes import references
from linter.semantic.facts import package_fact
from linter.semantic.globals import _top_level_specs, global_references
from linter.semantic.paths import loop_has_break
from linter.semantic.scopes import declaring_scope
from linter.source import GoFile, Package

# A per-iteration leak in a loop of at most this many iterations is bounded, not a leak.
SMALL_LOOP = 16

_SEQUENCE_TYPES = ("slice_type", "array_type", "implicit_length_array_type")
_TABLE_TYPES = (*_SEQUENCE_TYPES, "map_type")
_ARITHMETIC = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "<<": lambda a, b: a << b if 0 <= b < 64 else None,
}


def constant_iterations(package: Package, go_file: GoFile, loop: Node) -> int | None:
    """How many times `loop` runs when its header fixes it, else None.

        for i := 0; i < 3; i++                 // 3
        for t := 0; t < numTransports; t++     // const ( inmem = iota; numTransports ): 1
        for range workers                      // const workers = 4: 4
        for _, p := range []string{a, b}       // 2
        cases := []tc{{...}, {...}}; for _, c := range cases  // 2, if nothing grows cases
        var fixtures = []string{"x", "y"}      // a package table nothing assigns: 2

    Errs toward None (unknown): a bound that is a variable or parameter, a table that is
    assigned again, appended to, or (a map) written or passed anywhere.
    """
    for child in loop.named_children:
        if child.type == "range_clause":
            right = child.child_by_field_name("right")
            if right is None:
                return None
            count = constant_int(package, go_file, right)
            return count if count is not None else _table_length(package, go_file, right)
        if child.type == "for_clause":
            return _counted(package, go_file, child)
    return None


def is_small_loop(package: Package, go_file: GoFile, loop: Node) -> bool:
    """Does `loop` run a handful of times at most (`constant_iterations` <= SMALL_LOOP)? A
    per-iteration leak there is bounded: a few values held until the function returns."""
    count = constant_iterations(package, go_file, loop)
    return count is not None and count <= SMALL_LOOP


def may_outlive_iteration(package: Package, go_file: GoFile, binding: Node) -> bool:
    """Might the value bound at `binding` (in a loop) still be released after its iteration?

    The path walk cannot follow a `break` out of the loop, nor a variable declared outside
    the loop into the next iteration (`if w != nil { w.Close() }; w = open(...)`): with
    either, "the next iteration leaves it behind" is not claimed. Nor in a small loop (see
    `is_small_loop`), where holding each value to the end is bounded.
    """
    loop = inside_loop(binding)
    if loop is None:
        return False
    if is_small_loop(package, go_file, loop):
        return True
    return binding.type == "assignment_statement" or loop_has_break(go_file, loop)


def constant_int(package: Package, go_file: GoFile, expr: Node) -> int | None:
    """The value of an integer constant expression, else None: a literal (`1_000`, `0x10`),
    a conversion of one (`int32(4)`), a package constant (`iota` enumerations included), or
    `+ - * <<` of those. A name a local declaration shadows is not resolved."""
    return _evaluate(package, go_file, expr, None, 0)


def _counted(package: Package, go_file: GoFile, clause: Node) -> int | None:
    """`for i := A; i < B; i++` (or `<=`) with constant A and B."""
    init = clause.child_by_field_name("initializer")
    condition = clause.child_by_field_name("condition")
    update = clause.child_by_field_name("update")
    if init is None or condition is None or update is None:
        return None
    left, right = init.child_by_field_name("left"), init.child_by_field_name("right")
    if init.type != "short_var_declaration" or left is None or right is None:
        return None
    if len(left.named_children) != 1 or len(right.named_children) != 1:
        return None
    counter = go_file.text(left.named_children[0])
    operator = condition.child_by_field_name("operator")
    bound_side = condition.child_by_field_name("right")
    compared = condition.child_by_field_name("left")
    if (
        condition.type != "binary_expression"
        or operator is None
        or operator.type not in ("<", "<=")
        or compared is None
        or go_file.text(compared) != counter
        or bound_side is None
        or "".join(go_file.text(update).split()) != f"{counter}++"
    ):
        return None
    start = constant_int(package, go_file, right.named_children[0])
    bound = constant_int(package, go_file, bound_side)
    if start is None or bound is None:
        return None
    return max(0, bound - start + (1 if operator.type == "<=" else 0))


def _evaluate(
    package: Package, go_file: GoFile, expr: Node, iota: int | None, depth: int
) -> int | None:
    if depth > 8:
        return None
    kind = expr.type
    if kind == "int_literal":
        try:
            return int(go_file.text(expr).replace("_", ""), 0)
        except ValueError:
            return None
    if kind == "parenthesized_expression" and expr.named_children:
        return _evaluate(package, go_file, expr.named_children[0], iota, depth + 1)
    if kind == "iota":
        return iota
    if kind == "identifier":
        if go_file.text(expr) == "iota":
            return iota
        return _package_constant(package, go_file, expr, depth)
    if kind == "call_expression":  # `int32(4)`: a conversion of a constant
        arguments = expr.child_by_field_name("arguments")
        values = arguments.named_children if arguments is not None else []
        return _evaluate(package, go_file, values[0], iota, depth + 1) if len(values) == 1 else None
    if kind == "binary_expression":
        operator = expr.child_by_field_name("operator")
        apply = _ARITHMETIC.get(operator.type) if operator is not None else None
        sides = (expr.child_by_field_name("left"), expr.child_by_field_name("right"))
        if apply is None or sides[0] is None or sides[1] is None:
            return None
        left = _evaluate(package, go_file, sides[0], iota, depth + 1)
        right = _evaluate(package, go_file, sides[1], iota, depth + 1)
        return apply(left, right) if left is not None and right is not None else None
    return None


def _package_constant(package: Package, go_file: GoFile, ident: Node, depth: int) -> int | None:
    if go_file.root is not None and declaring_scope(go_file, ident, go_file.root) is not None:
        return None  # a local of that name
    found = _constants(package).get(go_file.text(ident))
    if found is None:
        return None
    declared_in, value, iota = found
    return _evaluate(package, declared_in, value, iota, depth + 1)


@package_fact
def _constants(package: Package) -> dict[str, tuple[GoFile, Node, int]]:
    """Each package constant with a value: (its file, the expression, its iota). A spec
    without a value repeats the previous spec's expressions, as Go does."""
    table: dict[str, tuple[GoFile, Node, int]] = {}
    for go_file in package.files:
        for top in go_file.root.named_children:
            if top.type == "const_declaration":
                _enumerate(go_file, top, table)
    return table


def _enumerate(go_file: GoFile, declaration: Node, table: dict) -> None:
    specs = [c for c in declaration.named_children if c.type == "const_spec"]
    for group in declaration.named_children:
        if group.type == "const_spec_list":
            specs.extend(c for c in group.named_children if c.type == "const_spec")
    previous: list[Node] = []
    for iota, spec in enumerate(specs):
        value = spec.child_by_field_name("value")
        values = value.named_children if value is not None else previous
        previous = values
        for index, name in enumerate(spec.children_by_field_name("name")):
            if index < len(values):
                table.setdefault(go_file.text(name), (go_file, values[index], iota))


def _table_length(package: Package, go_file: GoFile, ranged: Node, _depth: int = 0) -> int | None:
    """Elements of the literal table `ranged` is, or names: a composite literal in place, a
    local bound once to one, a package variable initialised with one, or a parameter every
    caller passes such a table (`_argument_table_length`); None if the variable may grow or
    be replaced."""
    if ranged.type == "composite_literal":
        return _literal_length(package, go_file, ranged)
    if ranged.type == "selector_expression":
        return _field_table_length(package, go_file, ranged)
    if ranged.type != "identifier":
        return None
    name = go_file.text(ranged)
    scope = declaring_scope(go_file, ranged, go_file.root)
    if scope is not None and scope.type == "function_declaration":
        return _argument_table_length(package, go_file, scope, ranged, _depth)
    if scope is not None:
        function = enclosing_function(ranged)
        found = _local_literal(go_file, scope, name)
        if found is None or function is None:
            return None
        declared, literal = found
        uses = [
            (go_file, ref) for ref in references(go_file, function, name) if ref.id != declared.id
        ]
    else:
        table = _package_table(package, name)
        if table is None:
            return None
        go_file, literal = table
        uses = global_references(package, name)
    is_map = literal.child_by_field_name("type").type == "map_type"
    if any(_may_grow(use_file, ref, is_map) for use_file, ref in uses):
        return None
    return _literal_length(package, go_file, literal)


_ARGUMENT_DEPTH = 2


def _argument_table_length(
    package: Package, go_file: GoFile, function: Node, ranged: Node, depth: int
) -> int | None:
    """`for _, f := range files` over a parameter of an unexported function that never
    replaces it, when every call of the function in the package (tests included) passes a
    table whose length is known (`writeAll(t, []file{{...}, {...}})`): the longest. A
    function used as a value, or a variadic parameter, is called from places not seen."""
    name = function_name(go_file, function)
    parameter = go_file.text(ranged)
    listed = [(p, variadic) for p, _, variadic in parameters(go_file, function)]
    names = [p for p, _ in listed]
    if depth >= _ARGUMENT_DEPTH or name[:1].isupper() or parameter not in names:
        return None
    index = names.index(parameter)
    if listed[index][1] or any(
        _may_grow(go_file, ref, False) for ref in references(go_file, function, parameter)
    ):
        return None
    callers = global_references(package, name)
    longest = None
    for caller_file, ref in callers:
        call = ref.parent
        arguments = call.child_by_field_name("arguments") if call is not None else None
        if call is None or call.type != "call_expression" or arguments is None:
            return None
        values = [a for a in arguments.named_children if a.type != "comment"]
        length = (
            _table_length(package, caller_file, values[index], depth + 1)
            if index < len(values)
            else None
        )
        if length is None:
            return None
        longest = max(longest or 0, length)
    return longest


def _field_table_length(package: Package, go_file: GoFile, ranged: Node) -> int | None:
    """`for _, d := range cfg.Dirs` where `cfg := Config{Dirs: []string{a}}` is a local struct
    value whose field, and itself, nothing assigns or takes the address of."""
    operand, field = ranged.child_by_field_name("operand"), ranged.child_by_field_name("field")
    function = enclosing_function(ranged)
    if operand is None or field is None or operand.type != "identifier" or function is None:
        return None
    name = go_file.text(operand)
    scope = declaring_scope(go_file, operand, go_file.root)
    found = _local_literal(go_file, scope, name) if scope is not None else None
    literal = _keyed_value(go_file, found[1], go_file.text(field)) if found else None
    if found is None or literal is None or literal.type != "composite_literal":
        return None
    is_map = literal.child_by_field_name("type").type == "map_type"
    for ref in references(go_file, function, name):
        holder = ref.parent
        if ref.id == found[0].id:
            continue
        same_field = (
            holder.type == "selector_expression"
            and holder.child_by_field_name("field").text == field.text
        )
        if _may_grow(go_file, holder if same_field else ref, is_map):
            return None
    return _literal_length(package, go_file, literal)


def _keyed_value(go_file: GoFile, struct: Node, key: str) -> Node | None:
    """The value given to field `key` in the struct literal `T{key: value, ...}`."""
    body = struct.child_by_field_name("body")
    for element in body.named_children if body is not None else []:
        name, value = element.child_by_field_name("key"), element.child_by_field_name("value")
        if (
            element.type == "keyed_element"
            and name is not None
            and value is not None
            and go_file.text(name) == key
            and value.named_children
        ):
            return value.named_children[0]
    return None


def _literal_length(package: Package, go_file: GoFile, literal: Node) -> int | None:
    type_node = literal.child_by_field_name("type")
    body = literal.child_by_field_name("body")
    if type_node is None or body is None or type_node.type not in _TABLE_TYPES:
        return None
    if type_node.type == "array_type":
        length = type_node.child_by_field_name("length")
        return constant_int(package, go_file, length) if length is not None else None
    elements = [c for c in body.named_children if c.type != "comment"]
    if type_node.type != "map_type" and any(e.type == "keyed_element" for e in elements):
        return None  # `[]T{9: x}`: the index sets the length
    return len(elements)


def _local_literal(go_file: GoFile, scope: Node, name: str) -> tuple[Node, Node] | None:
    """The name and composite literal of a local declared with one (`cases := []tc{...}`,
    `var cases = []tc{...}`) in `scope`, else None."""
    for stmt in scope.named_children:
        if stmt.type == "short_var_declaration":
            names = stmt.child_by_field_name("left")
            values = stmt.child_by_field_name("right")
            pairs = list(zip(names.named_children, values.named_children, strict=False))
        elif stmt.type == "var_declaration":
            spec = next((c for c in stmt.named_children if c.type == "var_spec"), None)
            value = spec.child_by_field_name("value") if spec is not None else None
            names = spec.children_by_field_name("name") if spec is not None else []
            pairs = list(zip(names, value.named_children, strict=False)) if value else []
        else:
            continue
        for ident, value in pairs:
            if go_file.text(ident) == name:
                return (ident, value) if value.type == "composite_literal" else None
    return None


def _package_table(package: Package, name: str) -> tuple[GoFile, Node] | None:
    """`var fixtures = []string{...}` at package level, in any file of the package."""
    for go_file in package.files:
        for spec in _top_level_specs(go_file, "var_declaration", "var_spec"):
            value = spec.child_by_field_name("value")
            names = spec.children_by_field_name("name")
            if value is None or len(value.named_children) != len(names):
                continue
            for ident, literal in zip(names, value.named_children, strict=True):
                if go_file.text(ident) == name and literal.type == "composite_literal":
                    return go_file, literal
    return None


def _may_grow(go_file: GoFile, ref: Node, is_map: bool) -> bool:
    """Can this use replace the table or add to it? Assigning it (`cases = append(cases,
    x)`), taking its address, and for a map any use but a range, an index read or `len`."""
    parent = ref.parent
    if parent is None:
        return True
    if parent.type == "expression_list" and parent.parent is not None:
        holder = parent.parent
        left = holder.child_by_field_name("left")
        if holder.type in ("assignment_statement", "short_var_declaration") and left == parent:
            return True
    if parent.type == "unary_expression" and go_file.text(parent).startswith("&"):
        return True
    if not is_map:
        return False
    if parent.type == "range_clause":
        return False
    if parent.type == "index_expression" and parent.child_by_field_name("operand") == ref:
        above = parent.parent
        return (
            above is not None
            and above.type
            in (
                "expression_list",
                "inc_statement",
                "dec_statement",
            )
            and _is_assigned(above)
        )
    if parent.type == "argument_list" and parent.parent is not None:
        callee = parent.parent.child_by_field_name("function")
        return callee is None or callee.text != b"len"
    return True


def _is_assigned(node: Node) -> bool:
    """Is `node` (an expression list or `x++`) the left side of an assignment?"""
    if node.type in ("inc_statement", "dec_statement"):
        return True
    holder = node.parent
    return (
        holder is not None
        and holder.type == "assignment_statement"
        and holder.child_by_field_name("left") == node
    )
