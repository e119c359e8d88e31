"""Channels: identity across bindings, fields and globals; what a use does; callees."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from tree_sitter import Node

from linter.semantic.bindings import _declared_locally, declared_names
from linter.semantic.core import (
    _IDENTIFIERS,
    case_statements,
    enclosing_function,
    file_selectors,
    is_no_return_call,
    nodes_at_matches,
    specs_of,
)
from linter.semantic.escapes import references
from linter.semantic.facts import file_fact, package_fact
from linter.semantic.scopes import _parameter_names
from linter.source import GoFile, Package, captures, matches, query

UNBOUNDED = float("inf")

_KEYED_FIELDS = query(
    "(keyed_element key: (literal_element (identifier) @key) value: (literal_element (_) @value))"
)

# Byte-level prefilters: a file without these cannot hold what the queries look for.
_MAKE_CHAN_BYTES = re.compile(rb"make\(\s*(?:chan\b|<-\s*chan\b)")

_SPACE_CHAN_BYTES = re.compile(rb" chan\b")

_TAB_CHAN_BYTES = re.compile(rb"\tchan\b")

_BINDING_HOLDERS = (
    "short_var_declaration",
    "assignment_statement",
    "range_clause",
    "receive_statement",
)


class ChannelUse(Enum):
    """What one use of a channel expression does with it (see `channel_use`)."""

    SEND = "send"  # ch <- v
    RECEIVE = "receive"  # <-ch, select cases included
    RANGE = "range"  # for v := range ch
    CLOSE = "close"  # close(ch)
    INSPECT = "inspect"  # len(ch), cap(ch), ch == nil: harmless
    ARGUMENT = "argument"  # passed to some other call
    BIND = "bind"  # on the left of =, :=, var, or a parameter
    LABEL = "label"  # a composite-literal key spelled like it
    ESCAPE = "escape"  # returned, assigned to something else, stored, sent, address taken

    @property
    def is_receiving(self) -> bool:
        return self in (ChannelUse.RECEIVE, ChannelUse.RANGE)

    @property
    def is_harmless(self) -> bool:
        """Neither an operation on the channel nor a way for it to go elsewhere."""
        return self in (ChannelUse.INSPECT, ChannelUse.LABEL)


# Method calls that end a goroutine or the process (testing.T, log-like loggers).
_RECEIVES = query('(unary_expression operator: "<-") @receive')

_TERMINATING_METHODS = frozenset(
    {
        "Fatal",
        "Fatalf",
        "Fatalln",
        "Panic",
        "Panicf",
        "Panicln",
        "FailNow",
        "SkipNow",
        "Skip",
        "Skipf",
        "Goexit",
        "Exit",
    }
)


@file_fact
def channel_makes(go_file: GoFile) -> list[Node]:
    """Every `make(chan T[, n])` call in the file, in source order."""
    # Found from the bytes, then checked on the tree: no walk over the whole file.
    found = nodes_at_matches(go_file, _MAKE_CHAN_BYTES, "call_expression", depth=2)
    return [n for n in found if channel_make(go_file, n) is not None]


def channel_make(go_file: GoFile, expr: Node | None) -> Node | None:
    """`expr` itself when it is a `make(chan T[, n])` call (through parentheses), else None."""
    while expr is not None and expr.type == "parenthesized_expression":
        expr = expr.named_children[0] if expr.named_children else None
    if expr is None or expr.type != "call_expression":
        return None
    function = expr.child_by_field_name("function")
    arguments = expr.child_by_field_name("arguments")
    if function is None or arguments is None or go_file.text(function) != "make":
        return None
    first = arguments.named_children[0] if arguments.named_children else None
    return expr if first is not None and first.type == "channel_type" else None


def channel_capacity(go_file: GoFile, make: Node) -> float | None:
    """The buffer of a `make(chan T, n)`: 0 without n, n for an integer literal, else None.

    None means "sized at run time" (`len(jobs)`, a constant): the caller cannot compare it with
    a count of sends, and such buffers are usually sized to fit on purpose.
    """
    arguments = make.child_by_field_name("arguments")
    values = [a for a in arguments.named_children if a.type != "comment"] if arguments else []
    if len(values) < 2:
        return 0
    size = values[1]
    if size.type != "int_literal":
        return None
    try:
        return int(go_file.text(size).replace("_", ""), 0)
    except ValueError:
        return None


def channel_element_type(go_file: GoFile, make: Node) -> str:
    """`*Response` for `make(chan *Response)`, for messages that suggest a fix."""
    arguments = make.child_by_field_name("arguments")
    kind = arguments.named_children[0] if arguments is not None else None
    value = kind.child_by_field_name("value") if kind is not None else None
    return go_file.text(value) if value is not None else "T"


def _unparenthesized_use(node: Node) -> Node:
    while node.parent is not None and node.parent.type == "parenthesized_expression":
        node = node.parent
    return node


def channel_use(go_file: GoFile, ref: Node) -> ChannelUse:
    """What the expression `ref` (a channel's identifier or `x.field` selector) is used for
    (see `ChannelUse`); ESCAPE when unsure."""
    node = _unparenthesized_use(ref)
    parent = node.parent
    if parent is None:
        return ChannelUse.ESCAPE
    kind = parent.type
    if kind == "send_statement":
        channel = parent.child_by_field_name("channel")
        sent_on = channel is not None and channel.id == node.id
        return ChannelUse.SEND if sent_on else ChannelUse.ESCAPE
    if kind == "unary_expression":
        operator = parent.children[0].type if parent.children else ""
        if operator == "<-":
            return ChannelUse.RECEIVE
        return ChannelUse.ESCAPE if operator == "&" else ChannelUse.INSPECT
    if kind == "range_clause":
        right = parent.child_by_field_name("right")
        ranged = right is not None and right.id == node.id
        return ChannelUse.RANGE if ranged else ChannelUse.BIND
    if kind == "argument_list":
        call = parent.parent
        callee = call.child_by_field_name("function") if call is not None else None
        name = go_file.text(callee) if callee is not None else ""
        if name == "close":
            return ChannelUse.CLOSE
        if name in ("len", "cap", "print", "println"):
            return ChannelUse.INSPECT
        return ChannelUse.ARGUMENT
    if kind == "binary_expression":
        return ChannelUse.INSPECT
    if kind == "expression_list":
        holder = parent.parent
        if holder is None:
            return ChannelUse.ESCAPE
        left = holder.child_by_field_name("left")
        if holder.type in _BINDING_HOLDERS and left is not None and left.id == parent.id:
            return ChannelUse.BIND
        return ChannelUse.ESCAPE
    if kind in ("var_spec", "parameter_declaration", "variadic_parameter_declaration"):
        return ChannelUse.BIND if node.type == "identifier" else ChannelUse.ESCAPE
    if kind == "literal_element":
        keyed = parent.parent
        key = keyed.child_by_field_name("key") if keyed is not None else None
        if keyed is not None and keyed.type == "keyed_element" and key is not None:
            return ChannelUse.LABEL if key.id == parent.id else ChannelUse.ESCAPE
        return ChannelUse.ESCAPE
    if kind in ("selector_expression", "expression_switch_statement", "expression_case"):
        return ChannelUse.INSPECT
    return ChannelUse.ESCAPE


def assigned_value(go_file: GoFile, target: Node) -> tuple[bool, Node | None]:
    """For a BIND use, (is a plain assignment or declaration, the value assigned or None).

    `ch := make(...)`, `ch = make(...)`, `var ch = make(...)` give (True, the make call);
    `var ch chan T` gives (True, None); a range variable or a receive target gives (False,
    None): its value is not an expression we can read.
    """
    node = _unparenthesized_use(target)
    parent = node.parent
    if parent is None:
        return False, None
    if parent.type == "var_spec":
        names = parent.children_by_field_name("name")
        values = parent.child_by_field_name("value")
        index = next((i for i, n in enumerate(names) if n.id == node.id), -1)
        if values is None:
            return index >= 0, None
        items = values.named_children
        return index >= 0, items[index] if 0 <= index < len(items) else None
    if parent.type != "expression_list" or parent.parent is None:
        return False, None
    holder = parent.parent
    if holder.type not in ("short_var_declaration", "assignment_statement"):
        return False, None
    operator = holder.child_by_field_name("operator")
    if operator is not None and go_file.text(operator) not in ("=", ":="):
        return False, None
    right = holder.child_by_field_name("right")
    lefts = parent.named_children
    rights = right.named_children if right is not None else []
    if len(lefts) != len(rights):
        return True, None
    index = next((i for i, n in enumerate(lefts) if n.id == node.id), -1)
    return True, rights[index] if index >= 0 else None


def parameters(go_file: GoFile, function: Node) -> list[tuple[str, Node | None, bool]]:
    """(name, type node, variadic) of each parameter in order; `a, b chan T` gives two."""
    result: list[tuple[str, Node | None, bool]] = []
    part = function.child_by_field_name("parameters")
    for declaration in part.named_children if part is not None else []:
        if declaration.type not in ("parameter_declaration", "variadic_parameter_declaration"):
            continue
        variadic = declaration.type == "variadic_parameter_declaration"
        type_node = declaration.child_by_field_name("type")
        names = declaration.children_by_field_name("name")
        if not names:
            result.append(("", type_node, variadic))
        for name in names:
            result.append((go_file.text(name), type_node, variadic))
    return result


def is_receive_only_channel_type(go_file: GoFile, type_node: Node | None) -> bool:
    """`<-chan T`: a channel its holder can only receive from, never close."""
    return (
        type_node is not None
        and type_node.type == "channel_type"
        and go_file.text(type_node).startswith("<-")
    )


def is_bidirectional_channel_type(go_file: GoFile, type_node: Node | None) -> bool:
    """`chan T` (not `<-chan T`, not `chan<- T`)."""
    if type_node is None or type_node.type != "channel_type":
        return False
    text = re.sub(r"\s+", "", go_file.text(type_node))
    return text.startswith("chan") and not text.startswith("chan<-")


@dataclass(frozen=True)
class LocalChannel:
    """A channel held in a local variable: the function declaring it and its `make` bindings."""

    owner: Node
    name: str
    makes: tuple[Node, ...]
    bindings: tuple[Node, ...]


def local_channel(go_file: GoFile, ident: Node) -> LocalChannel | None:
    """The local channel `ident` names, if every assignment to that variable is a `make(chan)`.

    None for a parameter, a package-level variable, or a variable that is ever assigned
    something else (a channel from elsewhere: its producer is not ours to see).
    """
    name = go_file.text(ident)
    function = enclosing_function(ident)
    while function is not None:
        if name in _parameter_names(go_file, function):
            return None
        if name in declared_names(go_file, function):
            break
        function = enclosing_function(function)
    body = function.child_by_field_name("body") if function is not None else None
    if body is None:
        return None
    makes: list[Node] = []
    bindings: list[Node] = []
    for ref in references(go_file, body, name):
        if channel_use(go_file, ref) is not ChannelUse.BIND:
            continue
        plain, value = assigned_value(go_file, ref)
        if not plain:
            return None
        if value is None and ref.parent is not None and ref.parent.type == "var_spec":
            continue  # `var ch chan T`: declared here, made by a later assignment
        make = channel_make(go_file, value)
        if make is None:
            return None
        makes.append(make)
        bindings.append(ref)
    if not makes:
        return None
    return LocalChannel(function, name, tuple(makes), tuple(bindings))


_STRUCT_KEYWORD = re.compile(rb"struct\s*\{")


@file_fact
def struct_field_names(go_file: GoFile) -> list[Node]:
    """The field names of every struct type in the file, found from the `struct {` bytes."""
    names = []
    for struct in nodes_at_matches(go_file, _STRUCT_KEYWORD, "struct_type", depth=1):
        for field_list in struct.named_children:
            if field_list.type != "field_declaration_list":
                continue
            for declaration in field_list.named_children:
                if declaration.type == "field_declaration":
                    names.extend(declaration.children_by_field_name("name"))
    return names


def _may_declare_channels(data: bytes) -> bool:
    """`jobs chan Job` (a field, parameter or var) or `make(chan ...)` (a var's value).

    Plain substring tests first: a regex alternation scans every byte and costs more than
    the query it saves on the standard library."""
    return (
        (b" chan" in data and _SPACE_CHAN_BYTES.search(data) is not None)
        or (b"\tchan" in data and _TAB_CHAN_BYTES.search(data) is not None)
        or b"make(chan" in data
    )


@file_fact
def file_identifiers(go_file: GoFile) -> dict[str, list[Node]]:
    """Every identifier of the file by name, computed once per file."""
    table: dict[str, list[Node]] = {}
    for ident in captures(_IDENTIFIERS, go_file.root).get("id", []):
        table.setdefault(go_file.text(ident), []).append(ident)
    return table


@package_fact
def package_mentions_channels(package: Package) -> bool:
    """Does any file of the package spell `chan`? Without it there is no channel to judge."""
    return any(b"chan" in f.data for f in package.files)


@package_fact
def package_declarations(package: Package) -> dict[str, list[tuple[GoFile, Node]]]:
    """Top-level functions by name (`run`) and methods by `.name` (`.run`), over all files."""
    table: dict[str, list[tuple[GoFile, Node]]] = {}
    for go_file in package.files:
        # Top-level children only: cheaper than a query over the whole tree.
        for declaration in go_file.root.named_children:
            name_node = declaration.child_by_field_name("name")
            if name_node is None:
                continue
            name = go_file.text(name_node)
            if declaration.type == "function_declaration":
                table.setdefault(name, []).append((go_file, declaration))
            elif declaration.type == "method_declaration":
                table.setdefault(f".{name}", []).append((go_file, declaration))
    return table


def callee_declarations(package: Package, go_file: GoFile, call: Node) -> list[tuple[GoFile, Node]]:
    """The declarations in this package a call may run: `f(...)` -> func f; `x.m(...)` -> every
    method m (no types: any receiver). Empty for other packages, function values, closures."""
    callee = call.child_by_field_name("function")
    if callee is None:
        return []
    table = package_declarations(package)
    if callee.type == "identifier":
        name = go_file.text(callee)
        function = enclosing_function(call)
        while function is not None:
            if name in declared_names(go_file, function):
                return []  # a local function value shadows the package function
            function = enclosing_function(function)
        return table.get(name, [])
    if callee.type == "selector_expression":
        operand = callee.child_by_field_name("operand")
        field = callee.child_by_field_name("field")
        if operand is None or field is None or go_file.text(operand) in go_file.imports:
            return []
        return table.get(f".{go_file.text(field)}", [])
    return []


def argument_index(ref: Node) -> tuple[Node, int] | None:
    """(the call, the argument position) for an expression passed directly to a call."""
    node = _unparenthesized_use(ref)
    parent = node.parent
    if parent is None or parent.type != "argument_list" or parent.parent is None:
        return None
    arguments = [a for a in parent.named_children if a.type != "comment"]
    index = next((i for i, a in enumerate(arguments) if a.id == node.id), -1)
    return (parent.parent, index) if index >= 0 else None


def parameter_for_argument(
    go_file: GoFile, function: Node, index: int
) -> tuple[str, Node | None] | None:
    """(name, type) of the parameter that receives argument `index`; None when unknowable
    (variadic, method expression, arity mismatch)."""
    params = parameters(go_file, function)
    if index >= len(params) or params[index][2]:
        return None
    name, type_node, _ = params[index]
    return name, type_node


@dataclass(frozen=True)
class PackageChannel:
    """A channel a package-wide name denotes: an unexported struct field or package variable.

    `uses` are every expression in the package that names it (`x.jobs` selectors, or the
    variable's identifiers), across files.
    """

    name: str
    is_field: bool  # a struct field (`x.jobs`), else a package variable (`jobs`)
    uses: tuple[tuple[GoFile, Node], ...]


@package_fact
def package_channel_field_names(package: Package) -> frozenset[str]:
    """Unexported struct fields declared `chan T` in this package, and under no other type in
    any struct of it (without types, `x.jobs` must mean the same field everywhere)."""
    channel_names: set[str] = set()
    other_names: set[str] = set()
    for go_file in package.files:
        if not _may_declare_channels(go_file.data):
            continue  # no channel field declared here; other files are checked below
        for name_node in struct_field_names(go_file):
            declaration = name_node.parent
            type_node = declaration.child_by_field_name("type") if declaration else None
            name = go_file.text(name_node)
            if is_bidirectional_channel_type(go_file, type_node) and not name[:1].isupper():
                channel_names.add(name)
            else:
                other_names.add(name)
    candidates = channel_names - other_names
    for go_file in package.files if candidates else []:
        if _may_declare_channels(go_file.data) or not any(
            n.encode() in go_file.data for n in candidates
        ):
            continue  # already scanned, or cannot declare a field of a candidate's name
        for name_node in struct_field_names(go_file):
            candidates.discard(go_file.text(name_node))
    return frozenset(candidates)


@package_fact
def package_channel_field(package: Package, name: str) -> PackageChannel | None:
    """The channel field `name` (see `package_channel_field_names`) with every `x.name` of
    the package, if it is only ever set to a `make(chan ...)` made here (by assignment or
    in a composite literal); None otherwise. Computed on demand, once per name."""
    if name not in package_channel_field_names(package):
        return None
    uses: list[tuple[GoFile, Node]] = []
    made = rejected = False
    spelled = name.encode()
    for go_file in package.files:
        if spelled not in go_file.data:
            continue
        for selector in file_selectors(go_file).get(name, ()):
            operand = selector.child_by_field_name("operand")
            if operand is None or go_file.text(operand) in go_file.imports:
                continue
            uses.append((go_file, selector))
            if channel_use(go_file, selector) is ChannelUse.BIND:
                plain, value = assigned_value(go_file, selector)
                if plain and channel_make(go_file, value) is not None:
                    made = True
                elif not (plain and value is not None and go_file.text(value) == "nil"):
                    rejected = True
        for key, value in _keyed_fields(go_file):
            if go_file.text(key) != name:
                continue
            if channel_make(go_file, value) is not None:
                made = True
            elif go_file.text(value) != "nil":
                rejected = True
    return PackageChannel(name, True, tuple(uses)) if made and not rejected else None


@file_fact
def _keyed_fields(go_file: GoFile) -> list[tuple[Node, Node]]:
    """(key, value) of every `key: value` element of the file's composite literals, paired
    per match: the capture lists of a query are not in a common order."""
    pairs = []
    for _, found in matches(_KEYED_FIELDS, go_file.root):
        keys, values = found.get("key", []), found.get("value", [])
        if len(keys) == 1 and len(values) == 1:
            pairs.append((keys[0], values[0]))
    return pairs


def _top_level_var_specs(go_file: GoFile) -> list[Node]:
    """`var` specs at package level: only the root's children need looking at."""
    return [
        spec
        for declaration in go_file.root.children
        if declaration.type == "var_declaration"
        for spec in specs_of(declaration, "var_spec")
    ]


@package_fact
def package_channel_global_names(package: Package) -> frozenset[str]:
    """Unexported package-level variables declared `chan T` or `= make(chan ...)`."""
    names: set[str] = set()
    for go_file in package.files:
        if not _may_declare_channels(go_file.data):
            continue
        for spec in _top_level_var_specs(go_file):
            type_node = spec.child_by_field_name("type")
            values = spec.child_by_field_name("value")
            items = values.named_children if values is not None else []
            for index, name_node in enumerate(spec.children_by_field_name("name")):
                name = go_file.text(name_node)
                if name[:1].isupper() or name == "_":
                    continue
                value = items[index] if index < len(items) else None
                if channel_make(go_file, value) is not None or (
                    value is None and is_bidirectional_channel_type(go_file, type_node)
                ):
                    names.add(name)
    return frozenset(names)


@package_fact
def package_channel_global(package: Package, name: str) -> PackageChannel | None:
    """The package-variable channel `name` with every use of it in the package (identifiers
    that a local declaration shadows are left out), computed on demand."""
    if name not in package_channel_global_names(package):
        return None
    uses = [
        (go_file, ident)
        for go_file in package.files
        if name.encode() in go_file.data
        for ident in file_identifiers(go_file).get(name, ())
        if not _declared_locally(go_file, ident, name)
    ]
    return PackageChannel(name, False, tuple(uses))


def package_channel_of(package: Package, go_file: GoFile, expr: Node) -> PackageChannel | None:
    """The field or package-variable channel `expr` (`s.jobs`, `jobs`) names, if any."""
    if expr.type == "selector_expression":
        operand = expr.child_by_field_name("operand")
        field = expr.child_by_field_name("field")
        if operand is None or field is None or go_file.text(operand) in go_file.imports:
            return None
        return package_channel_field(package, go_file.text(field))
    if expr.type == "identifier":
        name = go_file.text(expr)
        if _declared_locally(go_file, expr, name):
            return None
        return package_channel_global(package, name)
    return None


def is_terminating_call(go_file: GoFile, call: Node) -> bool:
    """A call after which this goroutine does not go on: panic, os.Exit, log.Fatal, and the
    methods that end a test or a process (`t.Fatal`, `logger.Fatalf`, `t.SkipNow`)."""
    if is_no_return_call(go_file, call):
        return True
    callee = call.child_by_field_name("function")
    if callee is None or callee.type != "selector_expression":
        return False
    field = callee.child_by_field_name("field")
    return field is not None and go_file.text(field) in _TERMINATING_METHODS


def select_case_of(op: Node) -> Node | None:
    """The select case whose communication `op` (a send statement or a `<-ch` receive) is:
    `case <-ch:`, `case v, ok := <-ch:`, `case out <- v:`; None elsewhere."""
    node = op
    while node.parent is not None and node.parent.type in (
        "receive_statement",
        "expression_list",
        "parenthesized_expression",
    ):
        node = node.parent
    parent = node.parent
    if parent is not None and parent.type == "communication_case":
        communication = parent.child_by_field_name("communication")
        if communication is not None and communication.id == node.id:
            return parent
    return None


def closed_checks(go_file: GoFile, scope: Node, name: str) -> list[Node]:
    """The `if !ok { ... }` statements right after a comma-ok receive from `name` below
    `scope`: their body runs only once `name` is closed and drained.

        v, ok := <-results          // or `v, ok = <-results`
        if !ok { return total }     // <- this if
        case v, ok := <-results:    // in a select: the case's first statement
                if !ok { return total }

    Only `!ok` and `ok == false` count; an `if !ok || other` is not a closed check.
    """
    checks = []
    for receive in captures(_RECEIVES, scope).get("receive", []):
        operand = receive.child_by_field_name("operand")
        if operand is None or go_file.text(operand) != name:
            continue
        holder = receive.parent
        statement = (
            holder.parent if holder is not None and holder.type == "expression_list" else holder
        )
        left = statement.child_by_field_name("left") if statement is not None else None
        if left is None or len(left.named_children) != 2:
            continue
        following = _statement_after(statement)
        ok = go_file.text(left.named_children[1])
        condition = following.child_by_field_name("condition") if following is not None else None
        if (
            following is not None
            and following.type == "if_statement"
            and following.child_by_field_name("initializer") is None
            and condition is not None
            and re.sub(r"\s+", "", go_file.text(condition)) in (f"!{ok}", f"{ok}==false")
        ):
            checks.append(following)
    return checks


def _statement_after(statement: Node) -> Node | None:
    """The statement run right after `statement`: its next sibling, or for the receive of a
    select case, the case's first statement."""
    parent = statement.parent
    if parent is not None and parent.type == "communication_case":
        body = case_statements(parent)
        return body[0] if body else None
    sibling = statement.next_named_sibling
    while sibling is not None and sibling.type == "comment":
        sibling = sibling.next_named_sibling
    return sibling


def select_of(op: Node) -> Node | None:
    """The select statement whose case `op` (a send statement or a `<-ch` receive) is."""
    case = select_case_of(op)
    return case.parent if case is not None else None


def communication_channel(go_file: GoFile, case: Node) -> str | None:
    """The channel expression text a select case sends on or receives from."""
    comm = case.child_by_field_name("communication")
    if comm is None:
        return None
    if comm.type == "send_statement":
        channel = comm.child_by_field_name("channel")
        return go_file.text(channel) if channel is not None else None
    expr = comm.child_by_field_name("right") if comm.type == "receive_statement" else comm
    if expr is not None and expr.type == "unary_expression":
        operand = expr.child_by_field_name("operand")
        return go_file.text(operand) if operand is not None else None
    return None


def is_committed_channel_op(go_file: GoFile, op: Node, channel: str) -> bool:
    """Does the send/receive `op` on `channel` wait for a partner with no way around it?

    True outside a select, or in a select (without default) whose every case is on the same
    channel; a select with a `ctx.Done()`, timeout or default case can leave instead.
    """
    select = select_of(op)
    if select is None:
        return True
    for case in select.named_children:
        if case.type == "default_case":
            return False
        if case.type == "communication_case" and communication_channel(go_file, case) != channel:
            return False
    return True
