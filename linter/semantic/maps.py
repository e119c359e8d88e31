"""Package-level maps: which globals are maps (or maps held in a global struct), the writes
that add entries to maps, and which fields some code resets."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from tree_sitter import Node

from linter.semantic.core import top_level_function
from linter.semantic.globals import PackageVar, StartupAnalysis, package_vars, underlying_type
from linter.semantic.scopes import is_shadowed
from linter.semantic.types import type_name, value_type
from linter.source import GoFile, Package, captures, matches, query


@dataclass(frozen=True)
class PackageMap:
    """A package-level map or `sync.Map`: the variable itself (`field` None), or a map field
    of a package-level struct value (`var cache struct{ byID map[K]V }`)."""

    var: PackageVar
    field: str | None
    is_sync: bool
    key_type: Node | None  # None for a sync.Map

    @property
    def label(self) -> str:
        """`cache` or `cache.byID`, as messages name it."""
        return f"{self.var.name}.{self.field}" if self.field else self.var.name


def package_maps(package: Package) -> list[PackageMap]:
    """The package-level maps of the package's non-test files, in source order.

    ```go
    var sessions = map[string]*Session{}   // a map
    var cache sync.Map                      // a sync.Map
    var registry = &struct{ byName map[string]T }{...}  // registry.byName
    type Table map[string]int; var t Table  // through a named map type
    ```
    """
    found = []
    for var in package_vars(package):
        type_node = var.type if var.type is not None else value_type(var.go_file, var.value)
        if type_node is None:
            continue
        shape = _map_shape(package, var.go_file, type_node)
        if shape is not None:
            found.append(PackageMap(var, None, *shape))
            continue
        struct = underlying_type(package, var.go_file, _pointee(type_node))
        if struct is None or struct.type != "struct_type":
            continue
        for name_node, field_type in _struct_fields(struct):
            shape = _map_shape(package, var.go_file, field_type)
            if shape is not None:
                found.append(PackageMap(var, var.go_file.text(name_node), *shape))
    return found


def _pointee(type_node: Node) -> Node:
    if type_node.type == "pointer_type" and type_node.named_children:
        return type_node.named_children[0]
    return type_node


def _map_shape(
    package: Package, go_file: GoFile, type_node: Node
) -> tuple[bool, Node | None] | None:
    """(is sync.Map, key type) when the type is a map, a named map type or sync.Map."""
    target = _pointee(type_node)
    if target.type == "qualified_type" and type_name(go_file, target) == "sync.Map":
        return True, None
    underlying = underlying_type(package, go_file, target)
    if underlying is not None and underlying.type == "map_type":
        return False, underlying.child_by_field_name("key")
    return None


def _struct_fields(struct: Node) -> Iterator[tuple[Node, Node]]:
    """(name, type) of the struct's own fields (not of struct types nested in it)."""
    for declaration in captures(_FIELD_DECLARATIONS, struct).get("field", []):
        holder = declaration.parent.parent if declaration.parent is not None else None
        if holder is None or holder.id != struct.id:
            continue  # a field of a nested struct type
        field_type = declaration.child_by_field_name("type")
        if field_type is None:
            continue
        for name_node in declaration.children_by_field_name("name"):
            yield name_node, field_type


_FIELD_DECLARATIONS = query("(field_declaration) @field")

# `delete(x.f, k)`, `clear(x.f)`, `x.f = ...` through any receiver: a method may reset the
# field of the package-level struct through its receiver.
_FIELD_RESETS = query(
    """
    (call_expression
       function: (identifier) @fn (#any-of? @fn "delete" "clear")
       arguments: (argument_list . (selector_expression field: (field_identifier) @field)))
    (assignment_statement
       left: (expression_list (selector_expression field: (field_identifier) @field)))
    """
)


def fields_reset_anywhere(package: Package, startup: StartupAnalysis) -> set[str]:
    """Field names that code of the package's non-test files deletes from, clears or
    reassigns after start-up, through any value: `delete(c.byID, k)`, `c.byID = nil`.
    Without types a field is known by its name only, so any such reset counts."""
    names: set[str] = set()
    for go_file in package.files:
        if go_file.is_test:
            continue
        for _, match in matches(_FIELD_RESETS, go_file.root):
            field_node = match["field"][0]
            if "fn" not in match and startup.runs_at_startup(go_file, field_node):
                continue
            names.add(go_file.text(field_node))
    return names


@dataclass(frozen=True)
class MapWrite:
    """A write that may add an entry to the map `target`: the statement or call `node`, and
    the `key` written (None when it cannot be read)."""

    node: Node
    target: Node
    key: Node | None


_INDEX_WRITES = query(
    """
    (assignment_statement left: (expression_list (index_expression operand: (_) @map))) @write
    (inc_statement (index_expression operand: (_) @map)) @write
    (dec_statement (index_expression operand: (_) @map)) @write
    """
)
_STORES = query(
    """
    (call_expression
       function: (selector_expression
          operand: (_) @map
          field: (field_identifier) @method (#any-of? @method "Store" "LoadOrStore" "Swap"))
    ) @write
    """
)
_INDEX_EXPRESSIONS = query("(index_expression) @index")


def map_writes(go_file: GoFile, stores: bool) -> Iterator[MapWrite]:
    """The writes of the file that may add entries: `m[k] = v`, `m[k]++`, `s.m[k] += n`; or,
    with `stores`, the `Store`, `LoadOrStore` and `Swap` calls a `sync.Map` takes."""
    for _, match in matches(_STORES if stores else _INDEX_WRITES, go_file.root):
        write, target = match["write"][0], match["map"][0]
        yield MapWrite(write, target, _written_key(write, stores))


def _written_key(write: Node, store: bool) -> Node | None:
    if store:
        arguments = write.child_by_field_name("arguments")
        return arguments.named_children[0] if arguments and arguments.named_children else None
    for index in captures(_INDEX_EXPRESSIONS, write).get("index", []):
        return index.child_by_field_name("index")
    return None


def written_global(go_file: GoFile, target: Node) -> tuple[str, str | None] | None:
    """(variable, field) of the package-level name a write's target spells: `m` gives
    (`m`, None), `cache.byID` gives (`cache`, `byID`); None for anything else, or when a
    local declaration shadows the name."""
    if target.type == "identifier":
        found, root = (go_file.text(target), None), target
    elif target.type == "selector_expression":
        operand = target.child_by_field_name("operand")
        field_node = target.child_by_field_name("field")
        if operand is None or field_node is None or operand.type != "identifier":
            return None
        found, root = (go_file.text(operand), go_file.text(field_node)), operand
    else:
        return None
    return None if is_shadowed(go_file, root, go_file.root) else found


_LOADS = query(
    """
    (call_expression
       function: (selector_expression
          operand: (_) @map
          field: (field_identifier) @method (#eq? @method "Load"))
       arguments: (argument_list . (_) @key)
    ) @load
    """
)


def fills_cache_miss(go_file: GoFile, write: MapWrite) -> bool:
    """`if v, ok := m.Load(k); ok { return v }; ...; m.Store(k, v)`: the write fills a cache
    miss of the same key, looked up earlier in the same function."""
    function = top_level_function(write.node)
    body = function.child_by_field_name("body") if function is not None else None
    if write.key is None or body is None:
        return False
    map_text, key_text = go_file.text(write.target), go_file.text(write.key)
    return any(
        match["load"][0].start_byte < write.node.start_byte
        and go_file.text(match["map"][0]) == map_text
        and go_file.text(match["key"][0]) == key_text
        for _, match in matches(_LOADS, body)
    )
