"""Function summaries: what a function of the package does with what it is given.

Without types, passing a value to a call reads as handing it over: `process(resp)` may close
the body, keep the response, or only read it. For the package's own functions (and function
literals) a summary answers it, from their bodies and the bodies of the package functions
they call in turn, up to MAX_DEPTH calls deep (which also ends recursion):

```go
func process(res *http.Response) { io.ReadAll(res.Body) }   // res: only borrowed
func drain(res *http.Response) {                            // res: calls Body.Close
        io.Copy(io.Discard, res.Body)
        res.Body.Close()
}
func track(s *server, c net.Conn) { s.conns = append(s.conns, c) }  // c: kept
func wait(done chan struct{}) { <-done }                            // done: RECEIVE
func helper() { run(context.TODO()) }        // makes a context root that flows into work
```

When unsure (a call out of the package that is not a known borrower, a value stored,
returned, aliased, captured by a closure that runs later, a parameter reassigned, the depth
reached) a parameter is *kept*: rules read that as handed over, and stay silent. Answers are
package facts: computed once per check of a package, whichever rule asks first.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from tree_sitter import Node

from linter.semantic.bindings import declared_names
from linter.semantic.channels import (
    CLOSE,
    INSPECT,
    RANGE,
    RECEIVE,
    SEND,
    argument_index,
    channel_use,
    package_declarations,
    parameters,
)
from linter.semantic.core import (
    FUNCTION_TYPES,
    calls_to,
    enclosing_function,
    is_inside,
    nodes_at_matches,
    qualified_call_name,
    top_level_function,
    unparenthesized,
    unparenthesized_inner,
)
from linter.semantic.escapes import references
from linter.semantic.facts import file_fact, package_fact
from linter.semantic.scopes import declaring_scope
from linter.semantic.types import methods_of, value_type_name
from linter.source import GoFile, Package

MAX_DEPTH = 3

# Packages whose functions only look at their arguments: formatting, logging, errors and
# string handling never keep or close what they are given.
_BORROWING_PACKAGES = frozenset({"fmt", "log", "log/slog", "errors", "strings", "strconv"})
# Functions that use a reader or writer without taking it over (they never close it).
BORROWERS = frozenset(
    {
        *(f"io.{n}" for n in ("ReadAll", "Copy", "CopyN", "CopyBuffer", "ReadFull")),
        *(f"io.{n}" for n in ("ReadAtLeast", "WriteString", "LimitReader", "TeeReader")),
        *(f"io.{n}" for n in ("MultiReader", "MultiWriter", "NewSectionReader")),
        "io/ioutil.ReadAll",
        *(f"bufio.{n}" for n in ("NewReader", "NewReaderSize", "NewWriter", "NewWriterSize")),
        "bufio.NewScanner",
        *(
            f"encoding/{p}.{n}"
            for p in ("json", "xml", "gob")
            for n in ("NewDecoder", "NewEncoder")
        ),
        "encoding/csv.NewReader",
        "encoding/csv.NewWriter",
        "archive/tar.NewReader",
        "archive/tar.NewWriter",
        "archive/zip.NewWriter",
        "compress/gzip.NewReader",
        "compress/gzip.NewWriter",
        "compress/zlib.NewReader",
        "compress/zlib.NewWriter",
        "net/http/httputil.DumpResponse",
        "image.Decode",
        "image/png.Encode",
        "image/jpeg.Encode",
    }
)
# Builtins that only look at a value.
_INSPECTING_BUILTINS = frozenset({"len", "cap", "print", "println", "copy", "delete"})
_ROOTS = ("context.Background", "context.TODO")
# Which roots count (`root_use_of(...).cuts_off_caller` and a rule's own excuses).
RootFilter = Callable[[Package, GoFile, Node], bool]


@dataclass(frozen=True)
class ParameterUse:
    """What a function does with one parameter, through the calls it makes.

    `calls` are the member calls made on it, as paths: `p.Close()` is "Close",
    `p.Body.Close()` is "Body.Close", `p.cancel()` is "cancel", and `p()` (a function value
    run) is "". `channel` holds SEND, RECEIVE (a range too) and CLOSE done on it. `kept`:
    it may be held past the call or go where we cannot see (see the module docstring).
    """

    calls: frozenset[str] = frozenset()
    channel: frozenset[str] = frozenset()
    kept: bool = False

    def merged(self, other: ParameterUse) -> ParameterUse:
        return ParameterUse(
            self.calls | other.calls, self.channel | other.channel, self.kept or other.kept
        )

    def through(self, field: str) -> ParameterUse:
        """This use seen from a value whose `field` was passed: `drain(r.Body)` where drain
        calls Close on its parameter calls `Body.Close` on r."""
        return ParameterUse(
            frozenset(f"{field}.{c}" if c else field for c in self.calls), kept=self.kept
        )

    def releases(self, methods: Iterable[str], field: str = "") -> bool:
        """Is one of `methods` called on it (or on its `field`)?"""
        prefix = f"{field}." if field else ""
        return any(f"{prefix}{m}" in self.calls for m in methods)

    def only_borrows(self, methods: Iterable[str], field: str = "") -> bool:
        """Used without being kept or released: the caller still owns it afterwards."""
        return not self.kept and not self.releases(methods, field)

    @property
    def runs(self) -> bool:
        """A function value that is called: `cancel()`."""
        return "" in self.calls


IGNORED = ParameterUse()
KEPT = ParameterUse(kept=True)


def argument_use(package: Package, go_file: GoFile, argument: Node) -> ParameterUse | None:
    """What the call that `argument` is passed to does with that value, at full depth.

    ```go
    process(resp)               // process's summary of its parameter
    fmt.Println(resp.Status)    // IGNORED: a borrowing package
    io.ReadAll(resp.Body)       // IGNORED: a known borrower
    sink.Consume(resp)          // None: a call we cannot see into
    ```

    None when the callee is unknown, which rules take as a hand-over. For `resp.Body`
    passed, `use.through("Body")` is the same use seen from `resp`.
    """
    found = argument_index(unparenthesized(argument))
    if found is None:
        return None
    return _call_use(package, go_file, found[0], found[1], MAX_DEPTH)


def parameter_use(package: Package, go_file: GoFile, function: Node, index: int) -> ParameterUse:
    """The summary of parameter `index` of `function` (a declaration or a function literal).

    A variadic parameter answers for every argument from its position on; an index past
    the parameters, or a function without a body, answers KEPT.
    """
    return _parameter_use(package, _file_index(package, go_file), function, index, MAX_DEPTH)


@package_fact
def _parameter_use(
    package: Package, file_index: int, function: Node, index: int, depth: int
) -> ParameterUse:
    go_file = package.files[file_index]
    params = parameters(go_file, function)
    if index >= len(params) and params and params[-1][2]:
        index = len(params) - 1
    body = function.child_by_field_name("body")
    if index >= len(params) or body is None:
        return KEPT
    name = params[index][0]
    if name in ("", "_"):
        return IGNORED
    return _uses_of(package, go_file, function, body, name, depth)


def _uses_of(
    package: Package, go_file: GoFile, function: Node, scope: Node, name: str, depth: int
) -> ParameterUse:
    """Every mention of `name` below `scope`, but those of an inner declaration."""
    use = IGNORED
    for ref in references(go_file, scope, name):
        if _declares_anew(ref, function) or declaring_scope(go_file, ref, function) is not None:
            continue  # an inner declaration of the same name, or a use of one
        use = use.merged(_value_use(package, go_file, function, ref, depth))
    return use


def _declares_anew(ref: Node, function: Node) -> bool:
    """`res := 1` in a block inside the body declares another `res` (at the top of the body
    `:=` would only assign the parameter)."""
    names = ref.parent
    statement = names.parent if names is not None else None
    if statement is None or statement.type != "short_var_declaration":
        return False
    if statement.child_by_field_name("left") != names:
        return False
    block = statement.parent
    while block is not None and block.type == "statement_list":
        block = block.parent
    return block is not None and block != function.child_by_field_name("body")


def _value_use(
    package: Package, go_file: GoFile, function: Node, ref: Node, depth: int
) -> ParameterUse:
    """What one mention of a parameter (or of a field of it) does with the value."""
    later = _runs_later(ref, function)
    use = _expression_use(package, go_file, ref, depth)
    return use.merged(KEPT) if later else use


def _expression_use(
    package: Package, go_file: GoFile, ref: Node, depth: int, in_field: bool = False
) -> ParameterUse:
    """What the expression `ref` (the value, or `in_field`: a field of it) does with it."""
    node = _same_value(ref)
    parent = node.parent
    if parent is None:
        return KEPT
    if parent.type == "selector_expression" and parent.child_by_field_name("operand") == node:
        field = go_file.text(parent.child_by_field_name("field"))
        holder = parent.parent
        if _is_callee(holder, parent):
            return ParameterUse(frozenset({field}))
        if in_field:
            return IGNORED  # `p.a.b`: a field of a field is read, not handed over
        return _expression_use(package, go_file, parent, depth, in_field=True).through(field)
    if _is_callee(parent, node):
        return ParameterUse(frozenset({""}))
    channel = channel_use(go_file, node)
    if channel == RANGE:
        elements = _range_elements(package, go_file, parent, depth)
        return elements.merged(ParameterUse(channel=frozenset({RECEIVE})))
    if channel in (SEND, RECEIVE, CLOSE):
        return IGNORED if in_field else ParameterUse(channel=frozenset({channel}))
    if channel == INSPECT:
        return IGNORED
    if parent.type == "argument_list":
        found = argument_index(node)
        if found is None:
            return KEPT
        use = _call_use(package, go_file, found[0], found[1], depth)
        return KEPT if use is None else use
    if _assigned_to_blank(go_file, node, parent):
        return IGNORED
    if parent.type == "index_expression" and parent.child_by_field_name("operand") == node:
        return _expression_use(package, go_file, parent, depth, in_field)  # `files[0]`
    if parent.type in ("index_expression", "slice_expression", "if_statement"):
        return IGNORED
    return KEPT


def _range_elements(package: Package, go_file: GoFile, clause: Node, depth: int) -> ParameterUse:
    """`for _, f := range files { f.Close() }`: what the loop does with each element (the
    value variable, or the only one when ranging over a channel)."""
    left = clause.child_by_field_name("left")
    loop = clause.parent
    names = left.named_children if left is not None else []
    if not names or loop is None or loop.child_by_field_name("body") is None:
        return IGNORED
    element = go_file.text(names[-1])
    if element == "_" or names[-1].type != "identifier":
        return IGNORED
    function = enclosing_function(clause)
    body = loop.child_by_field_name("body")
    return _uses_of(package, go_file, function, body, element, depth)


def _call_use(
    package: Package, go_file: GoFile, call: Node, index: int, depth: int
) -> ParameterUse | None:
    """What `call` does with its argument `index`; None when we cannot tell."""
    callee = call.child_by_field_name("function")
    name = go_file.text(callee) if callee is not None else ""
    if callee is not None and callee.type == "identifier":
        if name == "append":
            return KEPT if index > 0 else IGNORED
        if name in _INSPECTING_BUILTINS and not _declared_here(go_file, callee, name):
            return IGNORED
    qualified = qualified_call_name(go_file, call)
    if qualified is not None:
        if qualified in BORROWERS or qualified.rpartition(".")[0] in _BORROWING_PACKAGES:
            return IGNORED
        return None
    functions = callee_functions(package, go_file, call)
    if not functions:
        return None
    if depth <= 0:
        return KEPT
    use = IGNORED
    for callee_file, function in functions:
        position = _file_index(package, callee_file)
        use = use.merged(_parameter_use(package, position, function, index, depth - 1))
    return use


def callee_functions(package: Package, go_file: GoFile, call: Node) -> list[tuple[GoFile, Node]]:
    """The functions of this package a call runs, when we can tell without types.

    ```go
    helper(x)                      // func helper, unless a local shadows the name
    closer := func(r io.Closer) {...}; closer(x)   // that literal (bound once)
    func(r io.Closer) {...}(x)     // the literal itself
    s.Flush(x)                     // (*S).Flush, s declared an *S (or the receiver)
    s.flush(x)                     // the same; of unknown type: every method flush of the
                                   // package (unexported: no other package's can be called)
    ```

    Empty when unknown: a function value, a method of another package's type, a name
    bound to something else.
    """
    callee = call.child_by_field_name("function")
    if callee is None:
        return []
    callee = unparenthesized_inner(callee)
    if callee.type == "func_literal":
        return [(go_file, callee)]
    table = package_declarations(package)
    if callee.type == "identifier":
        name = go_file.text(callee)
        if not _declared_here(go_file, call, name):
            return [(f, d) for f, d in table.get(name, []) if d.type == "function_declaration"]
        literal = _bound_literal(go_file, call, name)
        return [(go_file, literal)] if literal is not None else []
    if callee.type != "selector_expression":
        return []
    operand = callee.child_by_field_name("operand")
    method = go_file.text(callee.child_by_field_name("field"))
    if operand is None or go_file.text(operand) in go_file.imports:
        return []
    receiver = value_type_name(go_file, package, operand)
    typed = methods_of(package, receiver, method) if receiver is not None else []
    if typed or method[:1].isupper():
        return typed
    return table.get(f".{method}", [])  # unexported: no other package's method can be called


def _bound_literal(go_file: GoFile, call: Node, name: str) -> Node | None:
    """The function literal a local `name` is bound to, when that is its only binding
    (`closer := func(...) {...}`); None for anything else."""
    function = enclosing_function(call)
    while function is not None and name not in declared_names(go_file, function):
        function = enclosing_function(function)
    body = function.child_by_field_name("body") if function is not None else None
    bound = []
    for ref in references(go_file, body, name) if body is not None else []:
        parent = ref.parent
        holder = parent.parent if parent is not None else None
        if parent is None or parent.type != "expression_list" or holder is None:
            continue
        if holder.child_by_field_name("left") == parent:
            right = holder.child_by_field_name("right")
            values = right.named_children if right is not None else []
            position = parent.named_children.index(ref)
            bound.append(values[position] if position < len(values) else None)
    if len(bound) == 1 and bound[0] is not None and bound[0].type == "func_literal":
        return bound[0]
    return None


def _declared_here(go_file: GoFile, node: Node, name: str) -> bool:
    function = enclosing_function(node)
    while function is not None:
        if name in declared_names(go_file, function):
            return True
        function = enclosing_function(function)
    return False


def _is_callee(call: Node | None, node: Node) -> bool:
    return (
        call is not None
        and call.type == "call_expression"
        and call.child_by_field_name("function") == node
    )


def _same_value(expr: Node) -> Node:
    """Through parentheses and type assertions: `(p)`, `p.(io.Closer)`."""
    node = unparenthesized(expr)
    while node.parent is not None and node.parent.type == "type_assertion_expression":
        node = unparenthesized(node.parent)
    return node


def _assigned_to_blank(go_file: GoFile, node: Node, parent: Node) -> bool:
    """`_ = p`: mentioned to silence the compiler, nothing more."""
    holder = parent.parent if parent.type == "expression_list" else None
    if holder is None or holder.type != "assignment_statement":
        return False
    right = holder.child_by_field_name("right")
    left = holder.child_by_field_name("left")
    return right is not None and right.id == parent.id and go_file.text(left) == "_"


def _runs_later(ref: Node, function: Node) -> bool:
    """Is `ref` inside a function literal (within `function`) that may run after the call
    returned: anything but `defer func(){...}()`, `go func(){...}()` and `func(){...}()`?
    A goroutine's uses are summarized as the function's own: what it does, it does."""
    literal = enclosing_function(ref)
    while literal is not None and literal.id != function.id:
        call = literal.parent
        if not _is_callee(call, literal):
            return True
        literal = enclosing_function(literal)
    return False


def _file_index(package: Package, go_file: GoFile) -> int:
    return next(i for i, f in enumerate(package.files) if f is go_file)


# ---------------------------------------------------------------------------------------------
# Context roots


@dataclass(frozen=True, eq=False)
class RootMade:
    """A `context.Background()`/`TODO()` a function makes, directly or through helpers
    called without a context: the call, its file, and the helper names leading to it."""

    go_file: GoFile
    call: Node
    chain: tuple[str, ...]


def context_root_made(
    package: Package, go_file: GoFile, function: Node, flows: RootFilter
) -> RootMade | None:
    """The first context root `function` makes whose use `flows(package, go_file, call)` accepts
    (work that may block or spawn), or that a package helper it calls makes: an unexported
    function without a context parameter of its own, followed MAX_DEPTH deep.

    ```go
    func load() { fetch(context.TODO()) }   // makes one
    func warm() { load() }                  // makes one through load: chain ("load",)
    ```
    """
    return _root_made(package, _file_index(package, go_file), function, flows, MAX_DEPTH)


@package_fact
def _root_made(
    package: Package,
    file_index: int,
    function: Node,
    flows: RootFilter,
    depth: int,
) -> RootMade | None:
    go_file = package.files[file_index]
    for call in _roots_in(go_file):
        if _owned_by(call, function) and flows(package, go_file, call):
            return RootMade(go_file, call, ())
    if depth <= 0:
        return None
    for call in _calls_in(function):
        for callee_file, callee in callee_functions(package, go_file, call):
            if not _is_helper(callee_file, callee):
                continue
            made = _root_made(package, _file_index(package, callee_file), callee, flows, depth - 1)
            if made is not None:
                name = callee_file.text(callee.child_by_field_name("name"))
                return RootMade(made.go_file, made.call, (name, *made.chain))
    return None


@file_fact
def _roots_in(go_file: GoFile) -> list[Node]:
    return [call for _, call in calls_to(go_file, _ROOTS)]


def _is_helper(go_file: GoFile, function: Node) -> bool:
    """An unexported function or method that takes no context: the package's own business.
    An exported one that makes a root is an API whose callers chose it (`net.DialUDP`)."""
    name = function.child_by_field_name("name")
    return (
        name is not None
        and go_file.text(name)[:1].islower()
        and not takes_context(go_file, function)
    )


def _owned_by(node: Node, function: Node) -> bool:
    """Inside `function` and run on its goroutine before it returns: not in a literal that
    runs later, nor on a goroutine of its own (work started to outlive the call is
    detached by design)."""
    return is_inside(node, function) and not _runs_apart(node, function)


def _runs_apart(node: Node, function: Node) -> bool:
    """Is `node` in a `go` or `defer` statement, or in a function literal that runs later:
    on another goroutine, or once the function's own work is over?"""
    current = node
    while current is not None and current.id != function.id:
        if current.type in ("go_statement", "defer_statement"):
            return True
        if current.type == "func_literal" and not _is_callee(current.parent, current):
            return True
        current = current.parent
    return False


def _calls_in(function: Node) -> list[Node]:
    """Calls `function` makes on its own goroutine while it works (not deferred), in
    source order."""
    body = function.child_by_field_name("body")
    found: list[Node] = []
    stack = [body] if body is not None else []
    while stack:
        node = stack.pop()
        if node.type in ("go_statement", "defer_statement"):
            continue
        if node.type == "call_expression":
            found.append(node)
        if node.type in FUNCTION_TYPES and not _is_callee(node.parent, node):
            continue
        stack.extend(reversed(node.named_children))
    return sorted(found, key=lambda n: n.start_byte)


@dataclass(frozen=True, eq=False)
class RootHelperCall:
    """A call, where a context is at hand, of a package helper that makes its own root."""

    go_file: GoFile
    call: Node
    helper: str
    made: RootMade


def root_helper_calls(package: Package, flows: RootFilter) -> list[RootHelperCall]:
    """Calls of the package's unexported functions that take no context but make a root
    that flows into work (`context_root_made`), when every call of such a helper in the
    package has a context at hand, or is made by another such helper; only the calls with
    a context at hand are returned, in source order:

    ```go
    func load() { fetch(context.TODO()) }          // a helper making a root
    func warm() { load() }                         // a helper through load
    func (s *S) Get(ctx context.Context) { load() }  // returned: ctx is at hand
    func (s *S) Warm(ctx context.Context) { warm() } // returned, chain (warm, load)
    ```

    A helper also called from code without a context (main, a test, a callback) is not
    judged: that caller has no context to give it. Nor is a helper of a test file, nor a
    call that runs apart from its caller (`go helper()`, a callback run later): work
    started to outlive the call is detached by design. Roots a helper makes on goroutines
    of its own are left out for the same reason.
    """
    return _root_helper_calls(package, flows)


@package_fact
def _root_helper_calls(package: Package, flows: RootFilter) -> list[RootHelperCall]:
    helpers: dict[Node, tuple[str, RootMade]] = {}
    for go_file in package.files:
        for declaration in go_file.root.named_children:
            name_node = declaration.child_by_field_name("name")
            name = go_file.text(name_node) if name_node is not None else ""
            if declaration.type not in ("function_declaration", "method_declaration"):
                continue
            if name in ("main", "init") or not _is_helper(go_file, declaration):
                continue
            if go_file.is_test:
                continue  # a test's helpers make the test's contexts
            made = context_root_made(package, go_file, declaration, flows)
            if made is not None:
                helpers[declaration] = (name, made)
    sites = _helper_call_sites(package, helpers)
    judged = set(helpers)
    while True:
        dropped = {
            helper
            for helper in judged
            if not sites[helper]
            or not all(
                context_at_hand(f, call) is not None or _caller(call) in judged
                for f, call in sites[helper]
            )
        }
        if not dropped:
            break
        judged -= dropped
    found = [
        RootHelperCall(f, call, helpers[helper][0], helpers[helper][1])
        for helper in judged
        for f, call in sites[helper]
        if context_at_hand(f, call) is not None and not _runs_apart(call, _caller(call))
    ]
    order = {id(f): i for i, f in enumerate(package.files)}
    return sorted(found, key=lambda c: (order[id(c.go_file)], c.call.start_byte))


def _helper_call_sites(
    package: Package, helpers: dict[Node, tuple[str, RootMade]]
) -> dict[Node, list[tuple[GoFile, Node]]]:
    """Every call in the package that runs one of the helpers, by helper."""
    sites: dict[Node, list[tuple[GoFile, Node]]] = {helper: [] for helper in helpers}
    names = sorted({name for name, _ in helpers.values()})
    if not names:
        return sites
    pattern = re.compile(rb"(" + b"|".join(re.escape(n.encode()) for n in names) + rb")\s*\(")
    for go_file in package.files:
        for call in nodes_at_matches(go_file, pattern, "call_expression", 1, 2):
            for _, callee in callee_functions(package, go_file, call):
                if callee in sites:
                    sites[callee].append((go_file, call))
    return sites


def _caller(call: Node) -> Node | None:
    """The function or method declaration a call is made in (through literals)."""
    return top_level_function(call)


def context_at_hand(go_file: GoFile, node: Node) -> tuple[str, str] | None:
    """(name, kind) of the context parameter of the function around `node`, or of a
    function enclosing it (a closure captures it); see `context_parameter`."""
    function = enclosing_function(node)
    while function is not None:
        found = context_parameter(go_file, function)
        if found is not None:
            return found
        function = enclosing_function(function)
    return None


def takes_context(go_file: GoFile, function: Node) -> bool:
    """Does the function declare a `context.Context` or `*http.Request` parameter (or
    receiver), even one it names `_`?"""
    for part_name in ("receiver", "parameters"):
        part = function.child_by_field_name(part_name)
        for declaration in part.named_children if part is not None else []:
            if _context_kind(go_file, declaration.child_by_field_name("type")) is not None:
                return True
    return False


def context_parameter(go_file: GoFile, function: Node) -> tuple[str, str] | None:
    """(name, kind) of the function's first context parameter or receiver: kind "context"
    for a `context.Context`, "request" for an `*http.Request`; `_` and unnamed ones are
    skipped, and None when there is none."""
    for part_name in ("receiver", "parameters"):
        part = function.child_by_field_name(part_name)
        if part is None or part.type != "parameter_list":
            continue
        for declaration in part.named_children:
            kind = _context_kind(go_file, declaration.child_by_field_name("type"))
            if kind is None:
                continue
            names = [go_file.text(n) for n in declaration.children_by_field_name("name")]
            usable = [n for n in names if n != "_"]
            if usable:
                return usable[0], kind
    return None


def _context_kind(go_file: GoFile, type_node: Node | None) -> str | None:
    if type_node is None:
        return None
    if type_node.type == "qualified_type":
        return "context" if _is_qualified(go_file, type_node, "context", "Context") else None
    if type_node.type == "pointer_type" and type_node.named_children:
        pointee = type_node.named_children[0]
        if pointee.type == "qualified_type" and _is_qualified(
            go_file, pointee, "net/http", "Request"
        ):
            return "request"
    return None


def _is_qualified(go_file: GoFile, type_node: Node, import_path: str, type_name: str) -> bool:
    package = type_node.child_by_field_name("package")
    name_node = type_node.child_by_field_name("name")
    return (
        package is not None
        and name_node is not None
        and go_file.imports.get(go_file.text(package)) == import_path
        and go_file.text(name_node) == type_name
    )
