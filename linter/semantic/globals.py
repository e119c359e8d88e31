"""Package-level state: globals, the code that touches them, start-up-only code."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum

from tree_sitter import Node

from linter.semantic.core import (
    _IDENTIFIERS,
    enclosing_function,
    function_name,
    inside_loop,
    int_literal_value,
    is_inside,
    qualified_call_name,
    specs_of,
    top_level_function,
    unparenthesized_inner,
)
from linter.semantic.facts import file_fact, package_fact
from linter.semantic.ownership import Runs, UseKind, closure_runs, use_of
from linter.semantic.scopes import is_shadowed
from linter.source import GoFile, Package, captures, query

_ONCE_WRAPPERS = frozenset({"sync.OnceFunc", "sync.OnceValue", "sync.OnceValues"})

# `Register`, `MustRegister`, `registerCodec`, `Publish`: by Go convention called from init
# functions (database/sql.Register, image.RegisterFormat, gob.Register, expvar.Publish,
# prometheus.MustRegister).
_REGISTER_RE = re.compile(r"^(Must)?([Rr]egister|[Pp]ublish)")


@dataclass(frozen=True)
class PackageVar:
    """One name of a package-level `var` spec in a non-test file."""

    go_file: GoFile
    name: str
    node: Node  # the name identifier
    type: Node | None
    value: Node | None


def package_vars(package: Package) -> list[PackageVar]:
    """Package-level variables of the package's non-test files, in source order."""
    found = []
    for go_file in package.files:
        if go_file.is_test:
            continue
        for spec in _top_level_specs(go_file, "var_declaration", "var_spec"):
            names = spec.children_by_field_name("name")
            values_node = spec.child_by_field_name("value")
            values = values_node.named_children if values_node is not None else []
            type_node = spec.child_by_field_name("type")
            for index, name_node in enumerate(names):
                value = values[index] if len(values) == len(names) else None
                found.append(
                    PackageVar(go_file, go_file.text(name_node), name_node, type_node, value)
                )
    found.sort(key=lambda v: (v.go_file.display_path, v.node.start_byte))
    return found


def _top_level_specs(go_file: GoFile, declaration: str, *spec_types: str) -> Iterator[Node]:
    """Specs of the file's top-level declarations, grouped or not (no walk below top level)."""
    for top in go_file.root.named_children:
        if top.type == declaration:
            yield from specs_of(top, *spec_types)


@package_fact
def package_types(package: Package) -> dict[str, tuple[GoFile, Node]]:
    """Declared types of the package by name: the file and the type expression it names."""
    table: dict[str, tuple[GoFile, Node]] = {}
    for go_file in package.files:
        for spec in _top_level_specs(go_file, "type_declaration", "type_spec", "type_alias"):
            name, type_node = spec.child_by_field_name("name"), spec.child_by_field_name("type")
            if name is not None and type_node is not None:
                table.setdefault(go_file.text(name), (go_file, type_node))
    return table


def underlying_type(package: Package, go_file: GoFile, type_node: Node | None) -> Node | None:
    """Follow package-declared type names (`type Cache map[K]V`) to the type literal."""
    seen = 0
    while type_node is not None and type_node.type == "type_identifier" and seen < 8:
        entry = package_types(package).get(go_file.text(type_node))
        if entry is None:
            return type_node
        go_file, type_node = entry
        seen += 1
    return type_node


@package_fact
def package_constants(package: Package) -> frozenset[str]:
    """The names of the package's constants, over all its files."""
    return frozenset(
        go_file.text(n)
        for go_file in package.files
        for spec in _top_level_specs(go_file, "const_declaration", "const_spec")
        for n in spec.children_by_field_name("name")
    )


@file_fact
def identifiers_named(go_file: GoFile, name: str) -> list[Node]:
    """Every identifier spelled `name` in the file, found from the bytes (no tree walk)."""
    found = []
    root = go_file.root
    pattern = re.compile(re.escape(name.encode()) + rb"(?!\w)")
    for match in pattern.finditer(go_file.data):
        node = root.descendant_for_byte_range(match.start(), match.end())
        if node is not None and node.type == "identifier" and node.start_byte == match.start():
            found.append(node)
    return found


def global_references(package: Package, name: str) -> list[tuple[GoFile, Node]]:
    """Uses of the package-level `name` in every file of the package.

    Declarations (`var m`, `func f`), struct literal keys (`{m: 1}`) and identifiers a local
    declaration shadows are left out.
    """
    found = []
    encoded = name.encode()
    for go_file in package.files:
        if encoded not in go_file.data:
            continue  # cheaper than capturing the file's identifiers
        for ident in identifiers_named(go_file, name):
            parent = ident.parent
            if parent is None:
                continue
            if parent.type in ("var_spec", "const_spec", "function_declaration") and any(
                n.id == ident.id for n in parent.children_by_field_name("name")
            ):
                continue
            if _is_struct_literal_key(parent):
                continue
            if not is_shadowed(go_file, ident, go_file.root):
                found.append((go_file, ident))
    return found


class StartupAnalysis:
    """Which code runs only while the package initialises, or only once.

    Start-up code: `init` functions, package-level initialisers (`var m = build()`), closures
    called in place from start-up code, bodies given to `sync.Once.Do` / `sync.OnceFunc`
    from anywhere (they run once), and functions whose every caller in the package's
    non-test files is start-up code. An exported function's callers may live in other
    packages, so it is start-up code only if named like a registration function
    (`Register`, `Publish`): by Go convention those are called from init functions,
    and no in-package caller may contradict it.
    """

    def __init__(self, package: Package) -> None:
        self.package = package
        self._memo: dict[int, bool] = {}

    def runs_at_startup(self, go_file: GoFile, node: Node) -> bool:
        function = enclosing_function(node)
        while function is not None and function.type == "func_literal":
            if _is_once_body(go_file, function):
                return True
            if closure_runs(function) not in (Runs.IN_PLACE, Runs.DEFERRED):
                return False
            function = enclosing_function(function)
        if function is None:
            return True  # a package-level initialiser
        return self._function_at_startup(go_file, function)

    def _function_at_startup(self, go_file: GoFile, function: Node) -> bool:
        if function.type != "function_declaration":
            return False  # methods are called through values we cannot follow
        name = function_name(go_file, function)
        if name == "init":
            return True
        known = self._memo.get(function.id)
        if known is not None:
            return known
        self._memo[function.id] = False  # recursion is not start-up evidence
        callers = [
            (caller_file, ref)
            for caller_file, ref in global_references(self.package, name)
            if not caller_file.is_test
        ]
        registration = bool(_REGISTER_RE.match(name))
        if name[:1].isupper() and not registration:
            result = False
        elif not callers:
            result = registration
        else:
            result = all(
                _is_called(ref) and self.runs_at_startup(caller_file, ref)
                for caller_file, ref in callers
            )
        self._memo[function.id] = result
        return result


def _is_struct_literal_key(element: Node) -> bool:
    holder = element.parent
    if element.type != "literal_element" or holder is None or holder.type != "keyed_element":
        return False
    key = holder.child_by_field_name("key")
    return key is not None and key.id == element.id


def _is_called(ref: Node) -> bool:
    parent = ref.parent
    return (
        parent is not None
        and parent.type == "call_expression"
        and parent.child_by_field_name("function") == ref
    )


def _is_once_body(go_file: GoFile, literal: Node) -> bool:
    """`once.Do(func() { ... })`, `sync.OnceFunc(func() { ... })`: runs once per process."""
    parent = literal.parent
    if parent is None or parent.type != "argument_list" or len(parent.named_children) != 1:
        return False
    call = parent.parent
    callee = call.child_by_field_name("function") if call is not None else None
    if callee is None:
        return False
    if callee.type == "selector_expression":
        field = callee.child_by_field_name("field")
        return field is not None and go_file.text(field) == "Do"
    return qualified_call_name(go_file, call) in _ONCE_WRAPPERS


class GlobalUse(Enum):
    """What one use of a package-level variable does with it (see `global_use`)."""

    DELETE = "delete"  # delete(m, k), clear(m), maps.DeleteFunc(m, f)
    ASSIGN = "assign"  # m = ..., s = s[:0] (the whole variable is replaced)
    ADDRESS = "address"  # &m
    HANDED = "handed"  # passed to this package's function or a method, returned, assigned
    #                   to another variable, stored in a literal, sent
    BOUND = "bound"  # len(m) compared with a limit
    METHOD = "method"  # m.Name(...): a method call (sync.Map.Delete, ...)
    READ = "read"  # anything else: indexing, ranging, len, other packages' functions

    @property
    def bounds_growth(self) -> bool:
        """Removes from it, replaces it, limits its size, or hands it to code that may."""
        return self in (
            GlobalUse.DELETE,
            GlobalUse.ASSIGN,
            GlobalUse.ADDRESS,
            GlobalUse.HANDED,
            GlobalUse.BOUND,
        )


_BOUND_OPERATORS = frozenset({"<", "<=", ">", ">="})

_READ_ONLY_BUILTINS = frozenset({"len", "cap", "print", "println", "min", "max"})


def global_use(go_file: GoFile, expr: Node) -> tuple[GlobalUse, str]:
    """(kind, method) for one use of a package-level variable (an identifier or `g.field`).

    `method` is the method name for METHOD, else "". Calls into other packages (`fmt.Println(m)`,
    `json.Marshal(m)`) are reads: they cannot delete from the variable's own map, except
    `maps.DeleteFunc`. A call of a function of this package or a method may, so it is
    HANDED and the rules stay silent.
    """
    use = use_of(go_file, expr)
    kind = use.kind
    if kind is UseKind.PASSED:
        return _argument_use(go_file, use.holder, use.node)
    if kind is UseKind.ADDRESS_TAKEN:
        return GlobalUse.ADDRESS, ""
    if kind is UseKind.METHOD:
        return GlobalUse.METHOD, use.name
    if kind is UseKind.BOUND and use.holder.type == "assignment_statement":
        return GlobalUse.ASSIGN, ""
    if kind in (UseKind.BOUND, UseKind.ASSIGNED, UseKind.RETURNED, UseKind.STORED, UseKind.SENT):
        return GlobalUse.HANDED, ""
    return GlobalUse.READ, ""


def _argument_use(go_file: GoFile, call: Node, node: Node) -> tuple[GlobalUse, str]:
    callee = call.child_by_field_name("function")
    arguments = call.child_by_field_name("arguments")
    first = bool(arguments is not None and arguments.named_children) and (
        arguments.named_children[0].id == node.id
    )
    if callee is not None and callee.type == "identifier":
        name = go_file.text(callee)
        if name in ("delete", "clear") and first:
            return GlobalUse.DELETE, ""
        if name == "len" and _is_limit_check(go_file, call):
            return GlobalUse.BOUND, ""
        if name in _READ_ONLY_BUILTINS or name in ("append", "copy"):
            return GlobalUse.READ, ""
        return GlobalUse.HANDED, ""
    qualified = qualified_call_name(go_file, call)
    if qualified == "maps.DeleteFunc" and first:
        return GlobalUse.DELETE, ""
    if qualified is not None:
        return GlobalUse.READ, ""
    return GlobalUse.HANDED, ""


def _is_limit_check(go_file: GoFile, len_call: Node) -> bool:
    """`len(m) >= maxEntries`: an ordered comparison with something other than 0."""
    comparison = len_call.parent
    while comparison is not None and comparison.type == "parenthesized_expression":
        comparison = comparison.parent
    if comparison is None or comparison.type != "binary_expression":
        return False
    operator = comparison.child_by_field_name("operator")
    if operator is None or go_file.text(operator) not in _BOUND_OPERATORS:
        return False
    other = [
        c
        for c in (comparison.child_by_field_name("left"), comparison.child_by_field_name("right"))
        if c is not None and not is_inside(len_call, c)
    ]
    return not (other and go_file.text(other[0]) in ("0", "1"))


def function_label(go_file: GoFile, node: Node) -> str:
    """Where `node` runs, for messages: `handle`, `method ServeHTTP`, `a function literal`."""
    top = top_level_function(node)
    name_node = top.child_by_field_name("name") if top is not None else None
    if top is None or name_node is None:
        return "a function literal"
    if top.type == "method_declaration":
        return f"method {go_file.text(name_node)}"
    return go_file.text(name_node)


def identifiers(node: Node) -> list[Node]:
    """Every identifier below `node` (names, not field names), in source order."""
    return captures(_IDENTIFIERS, node).get("id", [])


_LOCK_CALLS = query(
    """
    (call_expression
       function: (selector_expression field: (field_identifier) @method (#eq? @method "Lock"))
    ) @lock
    """
)

# Parameters that mark a function as per-request / per-event code.
_PER_EVENT_PARAMETERS = frozenset(
    {
        ("net/http", "Request"),
        ("net/http", "ResponseWriter"),
        ("context", "Context"),
        ("net", "Conn"),
    }
)


class Recurrence(Enum):
    """Why code runs over and over in a long-running program, with the words messages use
    for it (`f"grows here ({recurrence.words})"`). Rules branch on the member, never on the
    words."""

    UNDER_LOCK = "under a lock"
    GOROUTINE = "in a goroutine"
    EVENT_LOOP = "in an event loop"
    PER_REQUEST = "per request"
    PER_CONNECTION = "per connection"

    @property
    def words(self) -> str:
        return self.value


def runs_in_long_lived_code(go_file: GoFile, node: Node) -> Recurrence | None:
    """Why `node` looks like code a long-running, concurrent program runs over and over.

    Returns the reason (UNDER_LOCK, GOROUTINE, EVENT_LOOP, PER_REQUEST), or None when there
    is none. Used to tell a server's shared state apart from the tables of a
    single-goroutine batch program (a compiler pass, a code generator, a CLI), whose globals
    die with the process: shared state written by concurrent code must hold a mutex (or it is
    already a data race), and request handlers, goroutines and event loops run repeatedly.
    """
    function = enclosing_function(node)
    while function is not None:
        if function.type == "func_literal" and closure_runs(function) is Runs.GOROUTINE:
            return Recurrence.GOROUTINE
        name = function_name(go_file, function)
        if name.endswith(("Locked", "locked")):
            return Recurrence.UNDER_LOCK
        body = function.child_by_field_name("body")
        if body is not None and any(
            lock.start_byte < node.start_byte
            for lock in captures(_LOCK_CALLS, body).get("lock", [])
            if enclosing_function(lock) is not None and enclosing_function(lock).id == function.id
        ):
            return Recurrence.UNDER_LOCK
        if _has_per_event_parameter(go_file, function):
            return Recurrence.PER_REQUEST
        loop = inside_loop(node, stop_at=function)
        while loop is not None:
            if not loop_has_exit_condition(loop) and _waits_for_events(go_file, loop):
                return Recurrence.EVENT_LOOP
            loop = inside_loop(loop, stop_at=function)
        function = enclosing_function(function)
    return None


_EVENT_WAITS = query(
    """
    (select_statement) @wait
    (unary_expression operator: "<-") @wait
    (call_expression
       function: (selector_expression field: (field_identifier) @method (#eq? @method "Accept"))
    ) @wait
    """
)


def _waits_for_events(go_file: GoFile, loop: Node) -> bool:
    """The loop blocks for the next event: a select, a channel receive, a listener's Accept."""
    body = loop.child_by_field_name("body")
    return body is not None and bool(captures(_EVENT_WAITS, body).get("wait"))


def loop_has_exit_condition(loop: Node) -> bool:
    """A `for` with a condition, clause or range header (it can end without a break)."""
    body = loop.child_by_field_name("body")
    return any(c.type != "comment" and c != body for c in loop.named_children)


def _has_per_event_parameter(
    go_file: GoFile, function: Node, kinds: frozenset[tuple[str, str]] = _PER_EVENT_PARAMETERS
) -> bool:
    parameters_node = function.child_by_field_name("parameters")
    if parameters_node is None:
        return False
    for declaration in parameters_node.named_children:
        type_node = declaration.child_by_field_name("type")
        if type_node is not None and type_node.type == "pointer_type" and type_node.named_children:
            type_node = type_node.named_children[0]
        if type_node is None or type_node.type != "qualified_type":
            continue
        package = type_node.child_by_field_name("package")
        type_name = type_node.child_by_field_name("name")
        if package is None or type_name is None:
            continue
        key = (go_file.imports.get(go_file.text(package), ""), go_file.text(type_name))
        if key in kinds:
            return True
    return False


def constant_duration(go_file: GoFile, call: Node) -> int | None:
    """The first argument of a `time` call when it is a bare integer literal, in nanoseconds:
    `NewTimer(0)`, `NewTicker(-1)`, `After(1)`. None for anything else (`5 * time.Second`)."""
    arguments = call.child_by_field_name("arguments")
    values = [a for a in arguments.named_children if a.type != "comment"] if arguments else []
    if not values:
        return None
    value = unparenthesized_inner(values[0])
    sign = 1
    if value.type == "unary_expression" and go_file.text(value).startswith("-"):
        operand = value.child_by_field_name("operand")
        value, sign = (operand, -1) if operand is not None else (value, 1)
    if value.type != "int_literal":
        return None
    number = int_literal_value(go_file, value)
    return None if number is None else sign * number
