"""## What it does
Flags a package-level map (`var m = map[K]V{}`, `make(map[K]V)`, a map-typed `var`, or a map
field of a package-level struct value) that code running after start-up writes to
(`m[k] = v`, `m[k]++`, `m[k] = append(m[k], v)`) while nothing in the package ever removes
entries: no `delete(m, k)`, `clear(m)`, `maps.DeleteFunc`, and no reassignment (`m = nil`,
`m = make(...)`). The same for a package-level `sync.Map` that is `Store`d / `LoadOrStore`d /
`Swap`ped but never `Delete`d, `LoadAndDelete`d, `CompareAndDelete`d or `Clear`ed. The writes
are listed as related locations. All files of the package are read before judging, so a
`delete` in another file counts.

Registries filled at start-up are not leaks and stay silent. A write counts as start-up work
when it runs in an `init` function, a package-level initialiser, a closure called in place or
given to `sync.Once.Do` / `sync.OnceFunc`, or an unexported function whose every caller in
the package is itself start-up work. Exported functions named like registration functions
(`Register`, `RegisterCodec`, `MustRegister`) are assumed to be called from the init
functions of other packages, as Go convention (database/sql, image, encoding/gob) has it,
unless a caller in this package contradicts that.

Only writes in code that a long-running program runs again and again count: a write under a
mutex (a `.Lock()` earlier in the function, or a `...Locked` function), in a goroutine, in
an event loop (a condition-less `for` that waits on a channel, `select` or `Accept`), in a
function taking a `context.Context`, `*http.Request`, `http.ResponseWriter` or `net.Conn`,
or into a `sync.Map`. A global map written by unsynchronised plain code belongs to a
single-goroutine batch program (a compiler pass, a code generator, a CLI) whose tables end
with the run, or is already a data race that `go test -race` reports.

In a command's code (`package main`, or a package whose import path has a `cmd` element,
such as `cmd/compile/internal/types`) only writes that serve clients count: in a function
taking an `*http.Request`, `http.ResponseWriter` or `net.Conn` (or a closure inside one), or
in a loop around a listener's `Accept`. A command that serves nobody is a batch tool (a
compiler, a linker, the go command): a lock, a goroutine or a `context.Context` there is
parallel work of one run, and its tables end with the run.

Caches and registries whose keys the program's code chooses stay silent too:
- a `sync.Map` filled as a cache — a `Load` of the same key earlier in the function, then
  `Store`/`LoadOrStore` — is the grow-only cache `sync.Map` documents, keyed by what the
  program asks about (types, settings, file owners); it counts only when it is filled while
  serving a request or connection. A plain map filled the same way still counts;
- a write that stops the program on a duplicate key (`if _, dup := m.LoadOrStore(k, v);
  dup { panic(...) }`, or an earlier `if _, dup := m[k]; dup { log.Panicf(...) }`): traffic
  repeats keys, so such a map holds names the code registers once;
- writes whose keys are all constants or package-level names (a fixed set of counters),
  including a parameter of an unexported function that every caller passes a constant, or
  keys ranged from another package map that nothing writes after start-up (`for name :=
  range defaults { current[name] = ... }`): that map's keys bound this one's.

Also silent: maps keyed by `reflect.Type` (bounded by the program's types) or by a type with
few values (`bool`, `uint8`, `uint16`, or an enum: a named integer or string type of the
package with constants declared of it, `map[Phase]T`), maps whose size
is checked against a limit (`len(m) >= max`), and maps handed to code we cannot follow
(passed to a function of the package or a method, assigned to another variable, returned,
or their address taken), which may delete from them.

## Why is this bad
A package-level map lives as long as the process. If request handlers, workers or callbacks
add entries keyed by user IDs, sessions, URLs or connection addresses and nothing removes
them, the map grows with the traffic until the process runs out of memory. Go maps never
shrink their bucket arrays, so even entries overwritten in place keep the peak allocation.

## Example
```go
var sessions = map[string]*Session{}
var mu sync.Mutex

func login(w http.ResponseWriter, r *http.Request) {
        s := newSession(r)
        mu.Lock()
        sessions[s.ID] = s // one entry per login, forever
        mu.Unlock()
}
```

## Use instead
```go
var sessions = map[string]*Session{}
var mu sync.Mutex

func login(w http.ResponseWriter, r *http.Request) {
        s := newSession(r)
        mu.Lock()
        sessions[s.ID] = s
        mu.Unlock()
}

func logout(id string) {
        mu.Lock()
        delete(sessions, id) // and expire idle sessions on a timer
        mu.Unlock()
}
```
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from tree_sitter import Node, Query

from linter import semantic
from linter.findings import Finding
from linter.reporting import related, report
from linter.source import GoFile, Package, captures, matches, query

code = "GLK301"
name = "unbounded-global-map"
summary = "package-level map that grows at runtime and is never deleted from"
level = "warning"
precision = "low"
tags = ("memory-leak", "global-state")

_INDEX_WRITES = query(
    """
    (assignment_statement left: (expression_list (index_expression operand: (_) @map))) @write
    (inc_statement (index_expression operand: (_) @map)) @write
    (dec_statement (index_expression operand: (_) @map)) @write
    """
)
_SYNC_MAP_STORES = query(
    """
    (call_expression
       function: (selector_expression
          operand: (_) @map
          field: (field_identifier) @method (#any-of? @method "Store" "LoadOrStore" "Swap"))
    ) @write
    """
)
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
_SYNC_MAP_REMOVALS = frozenset({"Delete", "LoadAndDelete", "CompareAndDelete", "Clear"})
_CONSTANT_KEYS = frozenset(
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
_SYNC = "sync"


@dataclass(frozen=True)
class _Write:
    """One runtime write: where, the key written, and why it runs repeatedly."""

    go_file: GoFile
    node: Node
    key: Node | None
    reason: str


@dataclass
class _GlobalMap:
    """A package-level map (or sync.Map), plain or as a field of a package-level struct."""

    var: semantic.PackageVar
    field: str | None
    is_sync: bool
    key_type: Node | None
    writes: list[_Write] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.var.name}.{self.field}" if self.field else self.var.name


def check(package: Package) -> Iterator[Finding]:
    candidates = _global_maps(package)
    if not candidates:
        return
    startup = semantic.StartupAnalysis(package)
    _collect_runtime_writes(package, candidates, startup, semantic.is_command_package(package))
    growing = [c for c in candidates.values() if c.writes]
    if not growing:
        return
    reset_fields = (
        _fields_reset_anywhere(package, startup)
        if any(c.field is not None for c in growing)
        else set()
    )
    settled = {name for (name, field), c in candidates.items() if field is None and not c.writes}
    for candidate in growing:
        if _is_bounded(package, candidate, startup, reset_fields, settled):
            continue
        yield _finding(candidate)


# ---------------------------------------------------------------------------------------------
# Which globals are maps


def _global_maps(package: Package) -> dict[tuple[str, str | None], _GlobalMap]:
    found: dict[tuple[str, str | None], _GlobalMap] = {}
    for var in semantic.package_vars(package):
        type_node = var.type if var.type is not None else _value_type(var.go_file, var.value)
        if type_node is None:
            continue
        shape = _map_shape(package, var.go_file, type_node)
        if shape is not None:
            is_sync, key_type = shape
            found[(var.name, None)] = _GlobalMap(var, None, is_sync, key_type)
            continue
        struct = semantic.underlying_type(package, var.go_file, _pointee(type_node))
        if struct is None or struct.type != "struct_type":
            continue
        for name_node, field_type in _struct_fields(struct):
            shape = _map_shape(package, var.go_file, field_type)
            if shape is not None:
                field_name = var.go_file.text(name_node)
                found[(var.name, field_name)] = _GlobalMap(var, field_name, *shape)
    return found


def _value_type(go_file: GoFile, value: Node | None) -> Node | None:
    """The type a package-level initialiser spells: `T{}`, `&T{}`, `make(T)`, `new(T)`."""
    if value is None:
        return None
    if value.type == "unary_expression" and go_file.text(value).startswith("&"):
        value = value.child_by_field_name("operand")
        if value is None:
            return None
    if value.type == "composite_literal":
        return value.child_by_field_name("type")
    if value.type == "call_expression":
        callee = value.child_by_field_name("function")
        arguments = value.child_by_field_name("arguments")
        if callee is not None and go_file.text(callee) in ("make", "new") and arguments:
            first = arguments.named_children[0] if arguments.named_children else None
            return first
    return None


def _pointee(type_node: Node) -> Node:
    if type_node.type == "pointer_type" and type_node.named_children:
        return type_node.named_children[0]
    return type_node


def _map_shape(
    package: Package, go_file: GoFile, type_node: Node
) -> tuple[bool, Node | None] | None:
    """(is sync.Map, key type) when the type is a map, a named map type or sync.Map."""
    target = _pointee(type_node)
    if target.type == "qualified_type" and _is_sync_map(go_file, target):
        return True, None
    underlying = semantic.underlying_type(package, go_file, target)
    if underlying is not None and underlying.type == "map_type":
        return False, underlying.child_by_field_name("key")
    return None


def _is_sync_map(go_file: GoFile, qualified: Node) -> bool:
    package = qualified.child_by_field_name("package")
    name_node = qualified.child_by_field_name("name")
    return (
        package is not None
        and name_node is not None
        and go_file.imports.get(go_file.text(package)) == _SYNC
        and go_file.text(name_node) == "Map"
    )


def _struct_fields(struct: Node) -> Iterator[tuple[Node, Node]]:
    for declaration in captures(_STRUCT_FIELD_DECLARATIONS, struct).get("field", []):
        holder = declaration.parent.parent if declaration.parent is not None else None
        if holder is None or holder.id != struct.id:
            continue  # a field of a nested struct type
        field_type = declaration.child_by_field_name("type")
        if field_type is None:
            continue
        for name_node in declaration.children_by_field_name("name"):
            yield name_node, field_type


_STRUCT_FIELD_DECLARATIONS = query("(field_declaration) @field")


# ---------------------------------------------------------------------------------------------
# Writes


def _collect_runtime_writes(
    package: Package,
    candidates: dict[tuple[str, str | None], _GlobalMap],
    startup: semantic.StartupAnalysis,
    command: bool,
) -> None:
    names = {name.encode() for name, _ in candidates}
    queries = [
        (compiled, is_store)
        for compiled, is_store in ((_INDEX_WRITES, False), (_SYNC_MAP_STORES, True))
        if any(c.is_sync == is_store for c in candidates.values())
    ]
    for go_file in package.files:
        if go_file.is_test or not any(n in go_file.data for n in names):
            continue  # tests fill globals in a short-lived process; the rest never names them
        for compiled, is_store in queries:
            for write, target in _writes(compiled, go_file):
                candidate = _candidate_for(go_file, target, candidates)
                if candidate is not None and candidate.is_sync == is_store:
                    _record_write(go_file, write, target, candidate, startup, command)


def _writes(compiled: Query, go_file: GoFile) -> Iterator[tuple[Node, Node]]:
    for _, match in matches(compiled, go_file.root):
        yield match["write"][0], match["map"][0]


def _record_write(
    go_file: GoFile,
    write: Node,
    target: Node,
    candidate: _GlobalMap,
    startup: semantic.StartupAnalysis,
    command: bool,
) -> None:
    """Keep a write that runs after start-up in code a long-running program repeats."""
    if startup.runs_at_startup(go_file, write):
        return
    is_store = candidate.is_sync
    reason = semantic.runs_in_long_lived_code(go_file, write)
    if not reason and not is_store:
        return  # unsynchronised batch code: its tables end with the process
    serving = semantic.serves_requests(go_file, write)
    if command and not serving:
        return  # a command that serves no clients is a batch tool: its tables end with the run
    key = _written_key(write, is_store)
    if is_store and not serving and _fills_cache(go_file, write, target, key):
        return  # sync.Map's documented grow-only cache, keyed by what the program asks for
    if semantic.rejects_duplicates(go_file, write, go_file.text(target)):
        return  # each key may be written once: a registry of names fixed by the program
    candidate.writes.append(_Write(go_file, write, key, serving or reason or "into a sync.Map"))


def _fills_cache(go_file: GoFile, write: Node, target: Node, key: Node | None) -> bool:
    """`if v, ok := m.Load(k); ok { return v }; ...; m.Store(k, v)`: the write fills a cache
    miss of the same key, earlier in the same function."""
    function = semantic.top_level_function(write)
    body = function.child_by_field_name("body") if function is not None else None
    if key is None or body is None:
        return False
    map_text, key_text = go_file.text(target), go_file.text(key)
    return any(
        match["load"][0].start_byte < write.start_byte
        and go_file.text(match["map"][0]) == map_text
        and go_file.text(match["key"][0]) == key_text
        for _, match in matches(_SYNC_MAP_LOADS, body)
    )


_SYNC_MAP_LOADS = query(
    """
    (call_expression
       function: (selector_expression
          operand: (_) @map
          field: (field_identifier) @method (#eq? @method "Load"))
       arguments: (argument_list . (_) @key)
    ) @load
    """
)


def _candidate_for(
    go_file: GoFile, target: Node, candidates: dict[tuple[str, str | None], _GlobalMap]
) -> _GlobalMap | None:
    if target.type == "identifier":
        key: tuple[str, str | None] = (go_file.text(target), None)
        root_ident = target
    elif target.type == "selector_expression":
        operand = target.child_by_field_name("operand")
        field_node = target.child_by_field_name("field")
        if operand is None or field_node is None or operand.type != "identifier":
            return None
        key = (go_file.text(operand), go_file.text(field_node))
        root_ident = operand
    else:
        return None
    candidate = candidates.get(key)
    if candidate is None or semantic.is_shadowed(go_file, root_ident, go_file.root):
        return None
    return candidate


def _written_key(write: Node, is_store: bool) -> Node | None:
    if is_store:
        arguments = write.child_by_field_name("arguments")
        return arguments.named_children[0] if arguments and arguments.named_children else None
    for index in captures(_INDEX_EXPRESSIONS, write).get("index", []):
        return index.child_by_field_name("index")
    return None


_INDEX_EXPRESSIONS = query("(index_expression) @index")


# ---------------------------------------------------------------------------------------------
# What bounds a map


def _is_bounded(
    package: Package,
    candidate: _GlobalMap,
    startup: semantic.StartupAnalysis,
    reset_fields: set[str],
    settled: set[str],
) -> bool:
    if candidate.field is not None and candidate.field in reset_fields:
        return True
    if _keys_are_fixed(package, candidate, settled) or _keyed_by_type(candidate):
        return True
    if semantic.is_small_key_type(package, candidate.var.go_file, candidate.key_type):
        return True  # `map[Phase]T` over an enum, `map[uint16]T`: only so many keys exist
    for go_file, ref in semantic.global_references(package, candidate.var.name):
        if go_file.is_test:
            continue
        expr = ref
        if candidate.field is not None:
            selector = ref.parent
            field_node = selector.child_by_field_name("field") if selector is not None else None
            if (
                selector is not None
                and selector.type == "selector_expression"
                and field_node is not None
                and go_file.text(field_node) == candidate.field
            ):
                expr = selector
        kind, detail = semantic.global_use(go_file, expr)
        if kind == semantic.GLOBAL_ASSIGN and startup.runs_at_startup(go_file, ref):
            continue  # `func init() { m = make(...) }` initialises, it does not reset
        if kind in (
            semantic.GLOBAL_DELETE,
            semantic.GLOBAL_ASSIGN,
            semantic.GLOBAL_ADDRESS,
            semantic.GLOBAL_HANDED,
            semantic.GLOBAL_BOUND,
        ):
            return True
        if kind == semantic.GLOBAL_METHOD and _method_may_remove(candidate, expr is ref, detail):
            return True
    return False


def _method_may_remove(candidate: _GlobalMap, on_whole_var: bool, method: str) -> bool:
    """A method call on the map: sync.Map's removals, or any method of a named map type.

    A method called on the struct that holds a map field (`cache.Lock()`) is judged by
    `_fields_reset_anywhere`, which reads the methods' bodies for resets of the field.
    """
    if candidate.field is not None and on_whole_var:
        return False
    if candidate.is_sync:
        return method in _SYNC_MAP_REMOVALS
    return True


def _fields_reset_anywhere(package: Package, startup: semantic.StartupAnalysis) -> set[str]:
    """Field names some code deletes from, clears or reassigns, through any value."""
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


def _keys_are_fixed(package: Package, candidate: _GlobalMap, settled: set[str]) -> bool:
    """Every write uses a fixed key: a constant, a package-level name, a parameter every
    caller in the package fills with a constant (`newConn("server", c)`), or a key ranged
    from a package map that nothing writes after start-up (`for name := range defaults`)."""
    fixed_names = semantic.package_constants(package) | {
        v.name for v in semantic.package_vars(package)
    }
    return all(
        write.key is not None
        and (
            _is_fixed_value(write.go_file, write.key, fixed_names)
            or _parameter_fixed_by_callers(package, write.go_file, write.key, fixed_names)
            or _ranged_from_settled_map(write.go_file, write.key, settled)
        )
        for write in candidate.writes
    )


def _ranged_from_settled_map(go_file: GoFile, key: Node, settled: set[str]) -> bool:
    """`for name := range defaults { overrides[name] = ... }` over a settled package map."""
    source = semantic.range_key_source(go_file, key) if key.type == "identifier" else None
    return (
        source is not None
        and source.type == "identifier"
        and go_file.text(source) in settled
        and not semantic.is_shadowed(go_file, source, go_file.root)
    )


def _is_fixed_value(go_file: GoFile, value: Node, fixed_names: set[str]) -> bool:
    """A literal, a package-level constant or variable, or another package's (`http.MethodGet`)."""
    if value.type in _CONSTANT_KEYS:
        return True
    if value.type == "identifier":
        return go_file.text(value) in fixed_names and not semantic.is_shadowed(
            go_file, value, go_file.root
        )
    if value.type == "selector_expression":
        operand = value.child_by_field_name("operand")
        return operand is not None and go_file.text(operand) in go_file.imports
    return False


def _parameter_fixed_by_callers(
    package: Package, go_file: GoFile, key: Node, fixed_names: set[str]
) -> bool:
    """The key is a parameter of an unexported function that every call in the package's
    non-test files passes a fixed value (other packages cannot call it)."""
    if key.type != "identifier":
        return False
    function = semantic.enclosing_function(key)
    if function is None or function.type != "function_declaration":
        return False
    name = semantic.function_name(go_file, function)
    names = [p for p, _, _ in semantic.parameters(go_file, function)]
    text = go_file.text(key)
    if name[:1].isupper() or text not in names or semantic.is_shadowed(go_file, key, function):
        return False
    if _reassigned(go_file, function, text):
        return False
    index = names.index(text)
    callers = [
        (caller_file, ref)
        for caller_file, ref in semantic.global_references(package, name)
        if not caller_file.is_test
    ]
    if not callers:
        return False
    for caller_file, ref in callers:
        call = ref.parent
        arguments = call.child_by_field_name("arguments") if call is not None else None
        if call is None or call.type != "call_expression" or arguments is None:
            return False  # used as a value: called from places we cannot see
        values = [a for a in arguments.named_children if a.type != "comment"]
        if index >= len(values) or not _is_fixed_value(caller_file, values[index], fixed_names):
            return False
    return True


def _reassigned(go_file: GoFile, function: Node, name: str) -> bool:
    body = function.child_by_field_name("body")
    for ref in semantic.references(go_file, body, name) if body is not None else []:
        holder = ref.parent.parent if ref.parent is not None else None
        if (
            holder is not None
            and holder.type == "assignment_statement"
            and holder.child_by_field_name("left") == ref.parent
        ):
            return True
    return False


def _keyed_by_type(candidate: _GlobalMap) -> bool:
    """Caches keyed by reflect.Type are bounded by the program's types (encoding/json style)."""
    if candidate.key_type is not None:
        return _is_reflect_type(candidate.var.go_file, candidate.key_type)
    if not candidate.is_sync or not candidate.writes:
        return False
    return all(_is_type_value(w.go_file, w.key) for w in candidate.writes)


def _is_reflect_type(go_file: GoFile, type_node: Node) -> bool:
    if type_node.type != "qualified_type":
        return False
    package = type_node.child_by_field_name("package")
    name_node = type_node.child_by_field_name("name")
    return (
        package is not None
        and name_node is not None
        and go_file.imports.get(go_file.text(package)) == "reflect"
        and go_file.text(name_node) == "Type"
    )


def _is_type_value(go_file: GoFile, key: Node | None, depth: int = 0) -> bool:
    """`reflect.TypeOf(v)`, `v.Type()`, `t.Elem()`, a `reflect.Type` parameter, or a local
    assigned one of those (`t := v.Type()`)."""
    if key is None or depth > 4:
        return False
    if key.type == "call_expression":
        if semantic.qualified_call_name(go_file, key) in ("reflect.TypeOf", "reflect.TypeFor"):
            return True
        callee = key.child_by_field_name("function")
        if callee is None or callee.type != "selector_expression":
            return False
        method = go_file.text(callee.child_by_field_name("field"))
        if method == "Type":
            return True
        return method in ("Elem", "Key") and _is_type_value(
            go_file, callee.child_by_field_name("operand"), depth + 1
        )
    if key.type != "identifier":
        return False
    declared = semantic.parameter_type(go_file, key)
    if declared is not None:
        return _is_reflect_type(go_file, declared)
    function = semantic.enclosing_function(key)
    body = function.child_by_field_name("body") if function is not None else None
    if body is None:
        return False
    values = [
        semantic.assigned_value(go_file, ref)[1]
        for ref in semantic.references(go_file, body, go_file.text(key))
        if ref.start_byte < key.start_byte
    ]
    values = [v for v in values if v is not None]
    return bool(values) and all(_is_type_value(go_file, v, depth + 1) for v in values)


# ---------------------------------------------------------------------------------------------
# Report

_MAX_RELATED = 10


def _finding(candidate: _GlobalMap) -> Finding:
    var = candidate.var
    writes = sorted(candidate.writes, key=lambda w: (w.go_file.display_path, w.node.start_byte))
    notes = [
        related(
            w.go_file,
            w.node,
            f"{candidate.label} grows here, in {semantic.function_label(w.go_file, w.node)} "
            f"({w.reason})",
        )
        for w in writes[:_MAX_RELATED]
    ]
    if candidate.is_sync:
        what = f"package-level sync.Map {candidate.label}"
        fix = "Delete entries when they are done with, or bound and expire them"
        never = "never deleted from"
    else:
        what = f"package-level map {candidate.label}"
        fix = "delete entries when they are done with, bound its size, or give it an owner"
        never = "never deleted from, cleared or replaced"
    count = len(writes)
    return report(
        var.go_file,
        var.node,
        f"{what} gains entries at runtime ({count} write{'s' if count != 1 else ''}) but is "
        f"{never} anywhere in the package: it grows for the life of the process; {fix}",
        related=notes,
    )
