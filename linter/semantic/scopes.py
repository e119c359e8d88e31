"""Scopes without a type checker: shadowing, declarations, parameter types."""

from __future__ import annotations

from tree_sitter import Node

from linter.semantic.core import _CASE_TYPES, FUNCTION_TYPES, enclosing_function
from linter.semantic.escapes import references
from linter.source import GoFile

_SCOPE_BLOCKS = ("block", "statement_list", *_CASE_TYPES)


def is_shadowed(go_file: GoFile, ref: Node, outer: Node) -> bool:
    """Does a declaration between `ref` and `outer` re-declare the name `ref` spells?

    `outer` is the scope the variable we care about lives in (the source file for a
    package-level variable, the block holding a local's declaration). Without this,
    `m[k] = v` on a local `m` would count as a write to the global `m`.
    """
    return declaring_scope(go_file, ref, outer) is not None


def declaring_scope(go_file: GoFile, ref: Node, outer: Node) -> Node | None:
    """The innermost scope strictly inside `outer` that declares the name `ref` spells.

    Walks out from `ref` and looks, in every enclosing scope, for a parameter, `:=`, `var`,
    `const`, range, select-receive or type-switch variable of that name declared before
    `ref`; returns the node the declaration's scope covers (a statement list, case, compound
    statement or function), or None when the name comes from `outer` or beyond.
    """
    name = go_file.text(ref)
    child, current = ref, ref.parent
    while current is not None and current.id != outer.id:
        if current.type in _SCOPE_BLOCKS:
            for stmt in current.named_children:
                if stmt.start_byte >= child.start_byte:
                    break
                if _declares(go_file, stmt, name):
                    return current
        elif current.type in FUNCTION_TYPES:
            if name in _parameter_names(go_file, current):
                return current
        elif current.type in (
            "if_statement",
            "for_statement",
            "expression_switch_statement",
            "type_switch_statement",
        ):
            for header in _header_declarations(current):
                if header.id == child.id:
                    continue
                if header.type == "expression_list":  # type switch alias `t := x.(type)`
                    if any(go_file.text(c) == name for c in header.named_children):
                        return current
                elif _declares(go_file, header, name):
                    return current
        elif current.type == "communication_case":
            communication = current.child_by_field_name("communication")
            if (
                communication is not None
                and communication.id != child.id
                and _declares(go_file, communication, name)
            ):
                return current
        child, current = current, current.parent
    return None


def _header_declarations(statement: Node) -> list[Node]:
    """Declarations whose scope is a compound statement: initializers, range, type-switch alias."""
    found = []
    initializer = statement.child_by_field_name("initializer")
    if initializer is not None:
        found.append(initializer)
    if statement.type == "type_switch_statement":
        alias = statement.child_by_field_name("alias")
        if alias is not None:
            found.append(alias)
    for child in statement.named_children:
        if child.type == "range_clause":
            found.append(child)
        elif child.type == "for_clause":
            loop_init = child.child_by_field_name("initializer")
            if loop_init is not None:
                found.append(loop_init)
    return found


def _declares(go_file: GoFile, stmt: Node, name: str) -> bool:
    """Does this statement (or header part) declare `name` in its scope?"""
    kind = stmt.type
    if kind in ("short_var_declaration", "range_clause", "receive_statement"):
        if kind != "short_var_declaration" and ":=" not in _operators(stmt):
            return False
        left = stmt.child_by_field_name("left")
        return left is not None and any(
            c.type == "identifier" and go_file.text(c) == name for c in left.named_children
        )
    if kind in ("var_declaration", "const_declaration"):
        spec_types = ("var_spec", "const_spec")
        specs = [c for c in stmt.named_children if c.type in spec_types]
        for group in stmt.named_children:
            if group.type in ("var_spec_list", "const_spec_list"):
                specs.extend(c for c in group.named_children if c.type in spec_types)
        return any(
            go_file.text(n) == name for spec in specs for n in spec.children_by_field_name("name")
        )
    if kind == "labeled_statement":
        return any(_declares(go_file, c, name) for c in stmt.named_children)
    return False


def _operators(stmt: Node) -> set[str]:
    return {c.type for c in stmt.children if not c.is_named}


def _parameter_names(go_file: GoFile, function: Node) -> set[str]:
    """Receiver, parameter and named-result names of a function or function literal."""
    names: set[str] = set()
    for field_name in ("receiver", "parameters", "result"):
        part = function.child_by_field_name(field_name)
        if part is None or part.type != "parameter_list":
            continue
        for declaration in part.named_children:
            names.update(go_file.text(n) for n in declaration.children_by_field_name("name"))
    return names


def parameter_type(go_file: GoFile, ident: Node) -> Node | None:
    """The declared type of the parameter (or receiver, or named result) `ident` refers to.

    Looks in the enclosing function, then outwards through closures (a func literal sees its
    parents' parameters), stopping at a local declaration that shadows the name. None for
    locals, globals and names declared nowhere visible.
    """
    name = go_file.text(ident)
    function = enclosing_function(ident)
    while function is not None:
        body = function.child_by_field_name("body")
        if body is not None and is_shadowed(go_file, ident, body):
            return None
        for field_name in ("receiver", "parameters", "result"):
            part = function.child_by_field_name(field_name)
            if part is None or part.type != "parameter_list":
                continue
            for declaration in part.named_children:
                if any(go_file.text(n) == name for n in declaration.children_by_field_name("name")):
                    return declaration.child_by_field_name("type")
        function = enclosing_function(function)
    return None


def is_unused_parameter(go_file: GoFile, function: Node, name: str) -> bool:
    """Does the parameter `name` of `function` say "not used": `_`, or a name starting with
    `_` that the body never mentions?

        func (z *Zones) Setup(_ctx context.Context, names []string) error // documented, unused

    A `_name` the body does use is an ordinary parameter (False), as is any other name.
    """
    if name == "_":
        return True
    if not name.startswith("_"):
        return False
    body = function.child_by_field_name("body")
    return body is None or not references(go_file, body, name)
