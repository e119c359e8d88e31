"""Where a value goes: the variable, field, map or global a call is assigned to."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from tree_sitter import Node

from linter.semantic.core import _IDENTIFIERS, enclosing_function
from linter.source import GoFile, captures


class BindingKind(Enum):
    """What a value is assigned to (see `binding_of`)."""

    LOCAL = "local"  # a plain identifier declared or assigned in a function: t := ...
    BLANK = "blank"  # _ = ...
    FIELD = "field"  # s.t = ...
    INDEX = "index"  # m[k] = ...
    GLOBAL = "global"  # a package-level variable
    NONE = "none"  # nothing: used in place (returned, passed, discarded)

    @property
    def is_stored(self) -> bool:
        """Kept in a field, an element or a global: whoever owns that holds the value."""
        return self in (BindingKind.FIELD, BindingKind.INDEX, BindingKind.GLOBAL)


@dataclass(frozen=True)
class Binding:
    """Where a call's value goes: `kind`, the `name` it is bound to (the target's text), the
    statement doing it and the target node, and the other names the statement binds."""

    kind: BindingKind
    name: str
    statement: Node | None
    target: Node | None = None
    extra_names: tuple[str, ...] = ()

    @property
    def is_local(self) -> bool:
        return self.kind is BindingKind.LOCAL

    @property
    def is_blank(self) -> bool:
        return self.kind is BindingKind.BLANK

    @property
    def is_used_in_place(self) -> bool:
        return self.kind is BindingKind.NONE

    @property
    def is_discarded(self) -> bool:
        """`_ = open()`, or `open()` as a statement: nobody can use the value."""
        return self.is_blank or (
            self.is_used_in_place
            and self.statement is not None
            and self.statement.type == "expression_statement"
        )


def binding_of(go_file: GoFile, value: Node) -> Binding:
    """Follow a value expression to what it is assigned to, if anything."""
    node = value
    while node.parent is not None and node.parent.type == "parenthesized_expression":
        node = node.parent
    parent = node.parent
    if parent is None:
        return Binding(BindingKind.NONE, "", None)
    if parent.type == "expression_list":
        stmt = parent.parent
        if stmt is None:
            return Binding(BindingKind.NONE, "", None)
        right = stmt.child_by_field_name("right") or stmt.child_by_field_name("value")
        if right is None or right.id != parent.id:
            return Binding(BindingKind.NONE, "", stmt)
        if stmt.type in ("short_var_declaration", "assignment_statement"):
            lefts = stmt.child_by_field_name("left").named_children
            index = parent.named_children.index(node) if node in parent.named_children else 0
            return _binding_for_target(go_file, stmt, lefts, index)
        if stmt.type == "var_spec":
            names = stmt.children_by_field_name("name")
            index = parent.named_children.index(node) if node in parent.named_children else 0
            in_function = enclosing_function(stmt) is not None
            return _binding_for_target(go_file, stmt, names, index, global_decl=not in_function)
    return Binding(BindingKind.NONE, "", parent)


def _binding_for_target(
    go_file: GoFile, stmt: Node, targets: list[Node], index: int, global_decl: bool = False
) -> Binding:
    others = tuple(go_file.text(t) for i, t in enumerate(targets) if i != index)
    if index >= len(targets):
        return Binding(BindingKind.NONE, "", stmt)
    target = targets[index]
    text = go_file.text(target)
    if target.type == "identifier":
        if text == "_":
            return Binding(BindingKind.BLANK, "_", stmt, target, others)
        if global_decl:
            return Binding(BindingKind.GLOBAL, text, stmt, target, others)
        if stmt.type == "assignment_statement" and not _declared_locally(go_file, stmt, text):
            return Binding(BindingKind.GLOBAL, text, stmt, target, others)
        return Binding(BindingKind.LOCAL, text, stmt, target, others)
    if target.type == "selector_expression":
        return Binding(BindingKind.FIELD, text, stmt, target, others)
    if target.type == "index_expression":
        return Binding(BindingKind.INDEX, text, stmt, target, others)
    return Binding(BindingKind.NONE, text, stmt, target, others)


def _declared_locally(go_file: GoFile, stmt: Node, name: str) -> bool:
    """Is `name` a parameter, result or local variable of a function enclosing `stmt`?"""
    function = enclosing_function(stmt)
    while function is not None:
        if name in declared_names(go_file, function):
            return True
        function = enclosing_function(function)
    return False


def declared_names(go_file: GoFile, function: Node) -> set[str]:
    """Names a function declares: receiver, parameters, results, and local declarations."""
    names: set[str] = set()
    for field_name in ("receiver", "parameters", "result"):
        part = function.child_by_field_name(field_name)
        if part is None:
            continue
        for ident in captures(_IDENTIFIERS, part).get("id", []):
            parent = ident.parent
            if (
                parent is not None
                and parent.type in ("parameter_declaration", "variadic_parameter_declaration")
                and parent.child_by_field_name("type") != ident
            ):
                names.add(go_file.text(ident))
    body = function.child_by_field_name("body")
    if body is None:
        return names
    for ident in captures(_IDENTIFIERS, body).get("id", []):
        parent = ident.parent
        if parent is None:
            continue
        if parent.type == "expression_list" and parent.parent is not None:
            decl = parent.parent
            if decl.type in ("short_var_declaration", "range_clause") and (
                decl.child_by_field_name("left") == parent
            ):
                names.add(go_file.text(ident))
        elif parent.type in ("var_spec", "const_spec") and (
            parent.child_by_field_name("type") != ident
        ):
            names.add(go_file.text(ident))
    return names


def named_results(go_file: GoFile, function: Node) -> set[str]:
    """The names of `func open() (f *os.File, err error)`'s results: a value bound to one of
    them goes to the caller (a naked `return` returns it)."""
    results = function.child_by_field_name("result")
    if results is None or results.type != "parameter_list":
        return set()
    return {
        go_file.text(n)
        for declaration in results.named_children
        for n in declaration.children_by_field_name("name")
    }
