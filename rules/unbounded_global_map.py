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

Also silent: maps keyed by `reflect.Type` or by a type's name (`fmt.Sprintf("%T", v)`, also
through a package function returning one: bounded by the program's types) or by a type with
few values (`bool`, `uint8`, `uint16`, or an enum: a named integer or string type of the
package with constants declared of it, `map[Phase]T`), maps whose size
is checked against a limit (`len(m) >= max`), and maps handed to code we cannot follow
(passed to a function of the package or a method, assigned to another variable, returned,
or their address taken), which may delete from them.

**Default and scope (measured, docs/precision-audit.md).** Opt-in: on eleven held-out
projects none of 14 decided findings was a leak (registries keyed by configured names, key
sets fixed in other packages). Heap growth at its writes (`--heap`, `--pprof`) confirms a
candidate, which is then reported even when the rule is not enabled.

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

from tree_sitter import Node

from linter import semantic
from linter.findings import Finding
from linter.reporting import related, report
from linter.source import GoFile, Package

code = "GLK301"
name = "unbounded-global-map"
summary = "package-level map that grows at runtime and is never deleted from"
level = "warning"
precision = "low"
default = False
tags = ("memory-leak", "global-state")

_SYNC_MAP_REMOVALS = frozenset({"Delete", "LoadAndDelete", "CompareAndDelete", "Clear"})


@dataclass(frozen=True)
class _Write:
    """One runtime write: where, the key written, and why it runs repeatedly."""

    go_file: GoFile
    node: Node
    key: Node | None
    reason: str


@dataclass
class _Candidate:
    """A package-level map and its writes that run again and again after start-up."""

    map: semantic.PackageMap
    writes: list[_Write] = field(default_factory=list)


def check(package: Package) -> Iterator[Finding]:
    candidates = {(m.var.name, m.field): _Candidate(m) for m in semantic.package_maps(package)}
    if not candidates:
        return
    startup = semantic.StartupAnalysis(package)
    _collect_runtime_writes(package, candidates, startup, semantic.is_command_package(package))
    growing = [c for c in candidates.values() if c.writes]
    if not growing:
        return
    reset_fields = (
        semantic.fields_reset_anywhere(package, startup)
        if any(c.map.field is not None for c in growing)
        else set()
    )
    settled = {name for (name, field), c in candidates.items() if field is None and not c.writes}
    for candidate in growing:
        if _is_bounded(package, candidate, startup, reset_fields, settled):
            continue
        yield _finding(candidate)


# ---------------------------------------------------------------------------------------------
# Writes


def _collect_runtime_writes(
    package: Package,
    candidates: dict[tuple[str, str | None], _Candidate],
    startup: semantic.StartupAnalysis,
    command: bool,
) -> None:
    names = {name.encode() for name, _ in candidates}
    kinds = {c.map.is_sync for c in candidates.values()}
    for go_file in package.files:
        if go_file.is_test or not any(n in go_file.data for n in names):
            continue  # tests fill globals in a short-lived process; the rest never names them
        for stores in sorted(kinds):
            for write in semantic.map_writes(go_file, stores):
                candidate = candidates.get(semantic.written_global(go_file, write.target))
                if candidate is not None and candidate.map.is_sync == stores:
                    _record_write(go_file, write, candidate, startup, command)


def _record_write(
    go_file: GoFile,
    write: semantic.MapWrite,
    candidate: _Candidate,
    startup: semantic.StartupAnalysis,
    command: bool,
) -> None:
    """Keep a write that runs after start-up in code a long-running program repeats."""
    if startup.runs_at_startup(go_file, write.node):
        return
    is_store = candidate.map.is_sync
    reason = semantic.runs_in_long_lived_code(go_file, write.node)
    if reason is None and not is_store:
        return  # unsynchronised batch code: its tables end with the process
    serving = semantic.serves_requests(go_file, write.node)
    if command and serving is None:
        return  # a command that serves no clients is a batch tool: its tables end with the run
    if is_store and serving is None and semantic.fills_cache_miss(go_file, write):
        return  # sync.Map's documented grow-only cache, keyed by what the program asks for
    if semantic.rejects_duplicates(go_file, write.node, go_file.text(write.target)):
        return  # each key may be written once: a registry of names fixed by the program
    why = serving or reason
    words = why.words if why is not None else "into a sync.Map"
    candidate.writes.append(_Write(go_file, write.node, write.key, words))


# ---------------------------------------------------------------------------------------------
# What bounds a map


def _is_bounded(
    package: Package,
    candidate: _Candidate,
    startup: semantic.StartupAnalysis,
    reset_fields: set[str],
    settled: set[str],
) -> bool:
    if candidate.map.field is not None and candidate.map.field in reset_fields:
        return True
    if _keys_are_fixed(package, candidate, settled) or _keyed_by_type(package, candidate):
        return True
    if semantic.is_small_key_type(package, candidate.map.var.go_file, candidate.map.key_type):
        return True  # `map[Phase]T` over an enum, `map[uint16]T`: only so many keys exist
    for go_file, ref in semantic.global_references(package, candidate.map.var.name):
        if go_file.is_test:
            continue
        expr = ref
        if candidate.map.field is not None:
            selector = ref.parent
            field_node = selector.child_by_field_name("field") if selector is not None else None
            if (
                selector is not None
                and selector.type == "selector_expression"
                and field_node is not None
                and go_file.text(field_node) == candidate.map.field
            ):
                expr = selector
        kind, detail = semantic.global_use(go_file, expr)
        if kind is semantic.GlobalUse.ASSIGN and startup.runs_at_startup(go_file, ref):
            continue  # `func init() { m = make(...) }` initialises, it does not reset
        if kind.bounds_growth:
            return True
        if kind is semantic.GlobalUse.METHOD and _method_may_remove(candidate, expr is ref, detail):
            return True
    return False


def _method_may_remove(candidate: _Candidate, on_whole_var: bool, method: str) -> bool:
    """A method call on the map: sync.Map's removals, or any method of a named map type.

    A method called on the struct that holds a map field (`cache.Lock()`) is judged by
    `semantic.fields_reset_anywhere`, which reads the methods' bodies for resets of the field.
    """
    if candidate.map.field is not None and on_whole_var:
        return False
    if candidate.map.is_sync:
        return method in _SYNC_MAP_REMOVALS
    return True


def _keys_are_fixed(package: Package, candidate: _Candidate, settled: set[str]) -> bool:
    """Every write uses a fixed key: a constant, a package-level name, a parameter every
    caller in the package fills with a constant (`newConn("server", c)`), or a key ranged
    from a package map that nothing writes after start-up (`for name := range defaults`)."""
    return all(
        write.key is not None
        and (
            semantic.is_fixed_value(package, write.go_file, write.key)
            or semantic.is_fixed_by_callers(package, write.go_file, write.key)
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


def _keyed_by_type(package: Package, candidate: _Candidate) -> bool:
    """Caches keyed by reflect.Type (encoding/json style) or by a type's name (`m[fmt.Sprintf(
    "%T", v)]`) are bounded by the program's types."""
    key_type = candidate.map.key_type
    if key_type is not None and semantic.is_reflect_type(candidate.map.var.go_file, key_type):
        return True
    return bool(candidate.writes) and all(
        (candidate.map.is_sync and semantic.is_type_value(w.go_file, w.key))
        or semantic.is_type_name_value(package, w.go_file, w.key)
        for w in candidate.writes
    )


# ---------------------------------------------------------------------------------------------
# Report

_MAX_RELATED = 10


def _finding(candidate: _Candidate) -> Finding:
    var = candidate.map.var
    writes = sorted(candidate.writes, key=lambda w: (w.go_file.display_path, w.node.start_byte))
    notes = [
        related(
            w.go_file,
            w.node,
            f"{candidate.map.label} grows here, in {semantic.function_label(w.go_file, w.node)} "
            f"({w.reason})",
        )
        for w in writes[:_MAX_RELATED]
    ]
    if candidate.map.is_sync:
        what = f"package-level sync.Map {candidate.map.label}"
        fix = "Delete entries when they are done with, or bound and expire them"
        never = "never deleted from"
    else:
        what = f"package-level map {candidate.map.label}"
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
