"""Registries: package-level tables whose keys the program's code chooses, not its traffic
(a duplicate name stops the program; the key type has only a few values)."""

from __future__ import annotations

from tree_sitter import Node

from linter.semantic.core import enclosing_function, is_inside, is_no_return_call
from linter.semantic.globals import _top_level_specs, package_types, underlying_type
from linter.semantic.paths import range_expression
from linter.source import GoFile, Package, captures, matches, query

# Key types with at most 65,536 values: a map keyed by one cannot grow past that.
_SMALL_BASIC_TYPES = frozenset({"bool", "int8", "uint8", "byte", "int16", "uint16"})
_ENUM_UNDERLYING = frozenset(
    {"int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64"}
    | {"byte", "rune", "string", "uintptr"}
)

_LOOKUPS = query(
    """
    (index_expression operand: (_) @map)
    (call_expression
       function: (selector_expression
          operand: (_) @map
          field: (field_identifier) @method (#any-of? @method "Load" "LoadOrStore")))
    """
)
_IF_STATEMENTS = query("(if_statement) @if")
_CALLS = query("(call_expression) @call")


def rejects_duplicates(go_file: GoFile, write: Node, registry: str, any_map: bool = False) -> bool:
    """Is `write` (a map write, a `Store`, an `append`) checked for a name already present,
    with a duplicate stopping the program, earlier in its function?

    ```go
    if _, dup := drivers[name]; dup { panic("sql: Register called twice for " + name) }
    for _, f := range formats { if f.name == name { log.Panicf("twice: %s", name) } }
    if _, dup := m.LoadOrStore(k, v); dup { panic(...) } // the write in the header
    ```

    The check looks `registry` up (`m[k]`, `m.Load`, `m.LoadOrStore`) or ranges over it;
    with `any_map`, a lookup of any map counts too (a slice appended next to the map that
    guards it). Traffic repeats keys: a table that dies on a repeat holds names the code
    registers once (database/sql's Register, expvar's Publish). False when unsure.
    """
    function = enclosing_function(write)
    body = function.child_by_field_name("body") if function is not None else None
    if body is None:
        return False
    for statement in captures(_IF_STATEMENTS, body).get("if", []):
        consequence = statement.child_by_field_name("consequence")
        if (
            consequence is None
            or statement.start_byte > write.start_byte
            or enclosing_function(statement) != function
            or not (statement.end_byte <= write.start_byte or _in_header(write, statement))
        ):
            continue
        if _checks(go_file, statement, registry, any_map) and _stops(go_file, consequence):
            return True
    return False


def _in_header(write: Node, statement: Node) -> bool:
    branches = (statement.child_by_field_name(p) for p in ("consequence", "alternative"))
    return is_inside(write, statement) and not any(
        branch is not None and is_inside(write, branch) for branch in branches
    )


def _checks(go_file: GoFile, statement: Node, registry: str, any_map: bool) -> bool:
    """The `if` looks the registry up in its header, or stands in a range over it."""
    for part in ("initializer", "condition"):
        header = statement.child_by_field_name(part)
        for _, match in matches(_LOOKUPS, header) if header is not None else []:
            if any_map or go_file.text(match["map"][0]) == registry:
                return True
    loop = statement.parent
    while loop is not None and loop.type != "for_statement" and loop.type != "source_file":
        loop = loop.parent
    ranged = range_expression(loop) if loop is not None and loop.type == "for_statement" else None
    return ranged is not None and go_file.text(ranged) == registry


def _stops(go_file: GoFile, block: Node) -> bool:
    """The block calls panic, log.Fatal/Panic or os.Exit."""
    return any(is_no_return_call(go_file, c) for c in captures(_CALLS, block).get("call", []))


def is_small_key_type(package: Package, go_file: GoFile, type_node: Node | None) -> bool:
    """Does a map key of this type take only a few values? `bool`, `uint8`, `int16`,
    `uint16` (at most 65,536), or an enum: a named integer or string type of this package
    with constants declared of it (`type Phase int; const (Idle Phase = iota; Busy)`), whose
    values in practice are those constants. False for any other type, or when unsure."""
    if type_node is None or type_node.type != "type_identifier":
        return False
    underlying = underlying_type(package, go_file, type_node)
    if underlying is None or underlying.type != "type_identifier":
        return False
    name = go_file.text(type_node)
    base = underlying.text.decode() if underlying.text is not None else ""
    if base in _SMALL_BASIC_TYPES:
        return True
    declared_here = name in package_types(package)
    return declared_here and base in _ENUM_UNDERLYING and _has_constants_of(package, name)


def _has_constants_of(package: Package, type_name: str) -> bool:
    for go_file in package.files:
        for spec in _top_level_specs(go_file, "const_declaration", "const_spec"):
            declared = spec.child_by_field_name("type")
            if declared is not None and go_file.text(declared) == type_name:
                return True
    return False


def range_key_source(go_file: GoFile, ident: Node) -> Node | None:
    """The expression a local ranges over when `ident` is its key: `for name := range
    defaults { m[name] = ... }` gives `defaults`. None for anything else (a value, a
    variable declared another way)."""
    name = go_file.text(ident)
    loop = ident.parent
    while loop is not None and loop.type not in ("function_declaration", "method_declaration"):
        if loop.type == "for_statement":
            clause = next((c for c in loop.named_children if c.type == "range_clause"), None)
            left = clause.child_by_field_name("left") if clause is not None else None
            keys = left.named_children if left is not None else []
            if keys and go_file.text(keys[0]) == name:
                return clause.child_by_field_name("right")
        loop = loop.parent
    return None
