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
from collections.abc import Iterable
from dataclasses import dataclass

from tree_sitter import Node

from linter.semantic.bindings import _declared_locally, declared_names
from linter.semantic.channels import (
    ChannelUse,
    argument_index,
    channel_use,
    is_receive_only_channel_type,
    is_terminating_call,
    package_declarations,
    parameters,
)
from linter.semantic.core import (
    enclosing_function,
    function_name,
    is_deferred,
    nodes_at_matches,
    qualified_call_name,
    statements,
    unparenthesized,
    unparenthesized_inner,
)
from linter.semantic.escapes import method_calls_on, references
from linter.semantic.exits import ExitKind
from linter.semantic.facts import package_fact
from linter.semantic.globals import _is_called, global_references
from linter.semantic.ownership import _INSPECTING_BUILTINS, Runs, closure_runs
from linter.semantic.paths import Exit, Unusable, error_guard, own_returns
from linter.semantic.scopes import declaring_scope
from linter.semantic.types import first_result_type, methods_of, type_name, value_type_name
from linter.source import GoFile, Package

MAX_DEPTH = 3

# Packages whose functions only look at their arguments: formatting, logging, errors and
# string handling never keep or close what they are given (but see `borrows`).
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


@dataclass(frozen=True)
class ParameterUse:
    """What a function does with one parameter, through the calls it makes.

    `calls` are the member calls made on it, as paths: `p.Close()` is "Close",
    `p.Body.Close()` is "Body.Close", `p.cancel()` is "cancel", and `p()` (a function value
    run) is "". `channel` holds the SEND, RECEIVE (a range too) and CLOSE done on it.
    `kept`: it may be held past the call or go where we cannot see (see the module docstring).
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
    return _parameter_use(package, file_index(package, go_file), function, index, MAX_DEPTH)


@package_fact
def _parameter_use(
    package: Package, position: int, function: Node, index: int, depth: int
) -> ParameterUse:
    go_file = package.files[position]
    params = parameters(go_file, function)
    if index >= len(params) and params and params[-1][2]:
        index = len(params) - 1
    body = function.child_by_field_name("body")
    if index >= len(params) or body is None:
        return KEPT
    name, type_node, _ = params[index]
    if name in ("", "_"):
        return IGNORED
    use = _uses_of(package, go_file, function, body, name, depth)
    if is_receive_only_channel_type(go_file, type_node):
        # `<-chan T`: whoever holds it, here or later, can only receive from it
        receives = use.kept or ChannelUse.RECEIVE in use.channel
        return ParameterUse(use.calls, frozenset({ChannelUse.RECEIVE}) if receives else frozenset())
    return use


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
        if is_callee(holder, parent):
            return ParameterUse(frozenset({field}))
        if in_field:
            return IGNORED  # `p.a.b`: a field of a field is read, not handed over
        return _expression_use(package, go_file, parent, depth, in_field=True).through(field)
    if is_callee(parent, node):
        return ParameterUse(frozenset({""}))
    channel = channel_use(go_file, node)
    if channel == ChannelUse.RANGE:
        elements = _range_elements(package, go_file, parent, depth)
        return elements.merged(ParameterUse(channel=frozenset({ChannelUse.RECEIVE})))
    if channel in (ChannelUse.SEND, ChannelUse.RECEIVE, ChannelUse.CLOSE):
        return IGNORED if in_field else ParameterUse(channel=frozenset({channel}))
    if channel == ChannelUse.INSPECT:
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
        if name in _INSPECTING_BUILTINS and not _declared_locally(go_file, callee, name):
            return IGNORED
    qualified = qualified_call_name(go_file, call)
    if qualified is not None:
        return IGNORED if borrows(qualified) else None
    functions = callee_functions(package, go_file, call)
    if not functions:
        return None
    if depth <= 0:
        return KEPT
    use = IGNORED
    for callee_file, function in functions:
        position = file_index(package, callee_file)
        use = use.merged(_parameter_use(package, position, function, index, depth - 1))
    return use


def borrows(qualified: str) -> bool:
    """Does this function of another package only look at its arguments? The known
    borrowers, and formatting, logging, errors and strings functions but their
    constructors and setters (`log.New(f, ...)` and `log.SetOutput(f)` keep f)."""
    package, _, function = qualified.rpartition(".")
    if qualified in BORROWERS:
        return True
    return package in _BORROWING_PACKAGES and not function.startswith(("New", "Set"))


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
        if not _declared_locally(go_file, call, name):
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


def is_callee(call: Node | None, node: Node) -> bool:
    """Is `node` what `call` calls (`node(...)`)?"""
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
        if not is_callee(call, literal):
            return True
        literal = enclosing_function(literal)
    return False


def file_index(package: Package, go_file: GoFile) -> int:
    """The position of `go_file` in its package: how facts name a file (files are not
    hashable)."""
    return next(i for i, f in enumerate(package.files) if f is go_file)


# ---------------------------------------------------------------------------------------------
# Results


_FUNCTION_DECLARATION = re.compile(rb"^func[ \t]+(\w+)", re.M)


@package_fact
def functions_returning(
    package: Package, releasers: frozenset[tuple[str, tuple[str, ...], str]]
) -> dict[str, str]:
    """The package's functions whose first result is a value its caller must release, by
    name, with that value's type. `releasers` are (type, release methods, field) triples:
    (`os.File`, ("Close",), "") or (`net/http.Response`, ("Close",), "Body").

    ```go
    func openLog(dir string) (*os.File, error)  // "openLog": "os.File"
    ```
    A function that releases what it returns itself (see `closes_what_it_returns`), or
    returns what such a function made (`return newPipe(t, name)`), leaves its caller nothing
    to release and is left out. Found from `func name(` at the start of a line, in files
    that spell one of the types: a descent per declaration, not a walk.
    """
    how = {spelled: (methods, field) for spelled, methods, field in releasers}
    names = sorted({spelled.rpartition(".")[2].encode() for spelled in how})
    hint = re.compile(rb"\.(?:" + b"|".join(names) + rb")\b")
    found: dict[str, tuple[str, GoFile, Node]] = {}
    for go_file in package.files:
        if not hint.search(go_file.data):
            continue
        for function in nodes_at_matches(
            go_file, _FUNCTION_DECLARATION, "function_declaration", 1, 1
        ):
            spelled = type_name(go_file, first_result_type(function)) or ""
            if spelled in how:
                found[function_name(go_file, function)] = (spelled, go_file, function)
    cleaned = {
        n
        for n, (spelled, f, function) in found.items()
        if closes_what_it_returns(f, function, *how[spelled])
    }
    delegates = {n: _returned_callees(f, function) for n, (_, f, function) in found.items()}
    while True:
        more = {n for n, callees in delegates.items() if n not in cleaned and callees & cleaned}
        if not more:
            break
        cleaned |= more
    return {n: spelled for n, (spelled, _, _) in found.items() if n not in cleaned}


def _returned_callees(go_file: GoFile, function: Node) -> set[str]:
    """`return newPipe(t, name)`: the names of the functions whose result is returned."""
    names = set()
    for ret in own_returns(function):
        values = _first_result(ret)
        callee = values.child_by_field_name("function") if values is not None else None
        if values is not None and values.type == "call_expression" and callee is not None:
            names.add(go_file.text(callee))
    return names


def closes_what_it_returns(
    go_file: GoFile, function: Node, methods: Iterable[str] = ("Close",), field: str = ""
) -> bool:
    """Does `function` arrange the release of every value it returns, before or as it
    returns, so its callers get something already released?

        func writeScratch(dir string, b []byte) (*os.File, error) {
                f, err := os.CreateTemp(dir, "x")
                if err != nil { return nil, err }
                defer f.Close()        // or t.Cleanup(func() { f.Close() }) in a test helper
                ...
                return f, nil          // good for f.Name() only
        }

    The release is one of `methods` on the returned variable (on its `field`, for
    `defer resp.Body.Close()`), or on a variable it was built on (`c := tls.Client(raw,
    cfg)` where raw is released), deferred in `function` itself or registered with a
    `Cleanup` callback (`t.Cleanup(func() { f.Close() })`, or the method value:
    `t.Cleanup(srv.Close)`). Every return must give back such a variable or nil; errs toward False
    (a return of anything else, a release on some paths only).
    """
    body = function.child_by_field_name("body")
    returned = set()
    for ret in own_returns(function):
        first = _first_result(ret)
        if first is None or first.type not in ("identifier", "nil"):
            return False
        if first.type == "identifier":
            returned.add(go_file.text(first))
    if body is None or not returned:
        return False
    for name in returned:
        target = f"{name}.{field}" if field else name
        if _released_at_return(go_file, function, body, target, methods):
            continue
        if not any(
            _released_at_return(go_file, function, body, inner, methods)
            for inner in _wrapped_by(go_file, body, name)
        ):
            return False
    return True


def _released_at_return(
    go_file: GoFile, function: Node, body: Node, target: str, methods: Iterable[str]
) -> bool:
    releases = method_calls_on(go_file, body, target, methods)
    if any(_runs_at_return(release, function) for release in releases):
        return True
    return any(
        _is_cleanup_call(call) and enclosing_function(call) == function
        for call in _method_values_passed(go_file, body, target, methods)
    )


def _method_values_passed(
    go_file: GoFile, body: Node, target: str, methods: Iterable[str]
) -> list[Node]:
    """`t.Cleanup(srv.Close)`: the calls that `target.M` (M one of `methods`) is passed to
    as a method value, not called."""
    wanted = {f"{target}.{m}" for m in methods}
    calls = []
    for ref in references(go_file, body, target.partition(".")[0]):
        value = ref
        while value.parent is not None and value.parent.type == "selector_expression":
            value = value.parent
        arguments = value.parent
        if go_file.text(value) not in wanted or arguments is None:
            continue
        if arguments.type == "argument_list" and arguments.parent is not None:
            calls.append(arguments.parent)
    return calls


def _is_cleanup_call(call: Node) -> bool:
    """`t.Cleanup(...)`, `b.Cleanup(...)`: run when the test (or benchmark) ends."""
    callee = call.child_by_field_name("function")
    field = callee.child_by_field_name("field") if callee is not None else None
    return (
        callee is not None
        and callee.type == "selector_expression"
        and field is not None
        and field.text == b"Cleanup"
    )


def _wrapped_by(go_file: GoFile, body: Node, name: str) -> list[str]:
    """`tlsClient := tls.Client(clientConn, cfg)`: the local variables passed to the call
    `name` is bound from, which it may wrap (closing the inner one frees the wrapper's)."""
    wrapped = []
    for ref in references(go_file, body, name):
        values = ref.parent
        holder = values.parent if values is not None else None
        if holder is None or holder.type != "short_var_declaration":
            continue
        if holder.child_by_field_name("left") != values or len(values.named_children) != 1:
            continue
        right = holder.child_by_field_name("right")
        call = right.named_children[0] if right is not None and right.named_children else None
        arguments = call.child_by_field_name("arguments") if call is not None else None
        if call is None or call.type != "call_expression" or arguments is None:
            continue
        wrapped += [go_file.text(a) for a in arguments.named_children if a.type == "identifier"]
    return wrapped


def _first_result(ret: Node) -> Node | None:
    values = ret.named_children[0] if ret.named_children else None
    if values is not None and values.type == "expression_list":
        return values.named_children[0] if values.named_children else None
    return values


def _runs_at_return(call: Node, function: Node) -> bool:
    """`defer f.Close()`, `defer func() { f.Close() }()`, `t.Cleanup(func() { f.Close() })`:
    the release runs when `function` (or the test it helps) ends, on every path."""
    owner = enclosing_function(call)
    if owner is not None and owner.id == function.id:
        return is_deferred(call)
    if owner is None or owner.type != "func_literal" or enclosing_function(owner) != function:
        return False
    if closure_runs(owner) is Runs.DEFERRED:
        return True
    arguments = owner.parent
    return (
        arguments.type == "argument_list"
        and arguments.parent is not None
        and _is_cleanup_call(arguments.parent)
    )


@package_fact
def errors_end_every_caller(package: Package, name: str) -> bool:
    """Does every call of the package function `name` end the program or test when it
    returns an error?

        if err := writeKey(p, k); err != nil { log.Fatal(err) }
        err := writeKey(p, k)
        if err != nil { panic(err) }

    A value the function leaks only on its error returns then lives no longer than the
    process (or the failed test). False when any call does something else with the error,
    when there is no call in the package, or when other packages may call it (an exported
    name outside package main).
    """
    if name[:1].isupper() and package.name != "main":
        return False
    calls = [(f, ref) for f, ref in global_references(package, name) if _is_called(ref)]
    return bool(calls) and all(_error_ends_caller(f, ref.parent) for f, ref in calls)


def exits_outlived(
    package: Package, go_file: GoFile, function: Node, exits: list[Exit]
) -> list[Exit]:
    """The exits of `function` the program or test outlives: all of them, unless every
    caller ends it on this function's errors (`if err := writeKey(p); err != nil {
    log.Fatal(err) }`, see `errors_end_every_caller`), where the error returns go."""
    failing = [e for e in exits if e.kind is ExitKind.RETURN and returns_an_error(go_file, e.node)]
    if not failing or function.type != "function_declaration":
        return exits
    if not errors_end_every_caller(package, function_name(go_file, function)):
        return exits
    return [e for e in exits if e not in failing]


def returns_an_error(go_file: GoFile, ret: Node) -> bool:
    """`return fmt.Errorf(...)`, `return nil, err`: a return whose last result is not `nil`
    in a function whose last result is an `error`."""
    function = enclosing_function(ret)
    results = function.child_by_field_name("result") if function is not None else None
    if results is not None and results.type == "parameter_list":
        declared = results.named_children
        results = declared[-1].child_by_field_name("type") if declared else None
    if results is None or go_file.text(results) != "error":
        return False
    values = ret.named_children[0] if ret.named_children else None
    if values is not None and values.type == "expression_list":
        values = values.named_children[-1] if values.named_children else None
    return values is not None and go_file.text(values) != "nil"


def _error_ends_caller(go_file: GoFile, call: Node) -> bool:
    """`if err := f(); err != nil { panic(err) }`, or `err := f()` / `err = f()` followed at
    once by such an if: the caller's error path ends in a terminating call."""
    holder = call.parent
    statement = holder.parent if holder is not None and holder.type == "expression_list" else None
    if statement is None or statement.type not in ("short_var_declaration", "assignment_statement"):
        return False
    left = statement.child_by_field_name("left")
    error_name = go_file.text(left.named_children[-1]) if left is not None else ""
    check = statement.parent
    if check is None or check.type != "if_statement":
        check = statement.next_named_sibling  # `err := f()` then `if err != nil {`
    if check is None or check.type != "if_statement":
        return False
    condition = check.child_by_field_name("condition")
    body = statements(check.child_by_field_name("consequence"))
    last = body[-1].named_children[0] if body and body[-1].type == "expression_statement" else None
    return (
        condition is not None
        and error_guard(go_file, condition, error_name) is Unusable.THEN
        and last is not None
        and last.type == "call_expression"
        and is_terminating_call(go_file, last)
    )
