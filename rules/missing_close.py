"""## What it does
Flags a resource opened in a function that is neither closed (called or deferred, including
`defer func() { _ = f.Close() }()`) on every path out of the function, nor handed over
(returned, stored, sent, given to a goroutine, or passed to a function that may take
ownership). Resources: files (`os.Open`, `OpenFile`, `Create`, `CreateTemp`), connections and
listeners (`net.Dial*`, `net.Listen*`, `tls.Dial`, `(&net.Dialer{}).DialContext`), HTTP
responses (`http.Get/Post/PostForm`, `client.Do/Get/Post`: the `Body` must be closed or read
to its end), `database/sql` rows (`Query`), prepared statements (`Prepare`) and transactions
(`Begin`: Commit or Rollback) and connections (`db.Conn(ctx)`), `zip.OpenReader`, test
servers (`httptest.NewServer`), and well-known libraries by import path: gRPC client
connections (`grpc.Dial`, `DialContext`, `NewClient`), pgx connections (`pgx.Connect`), rows
(`Query`), transactions (`Begin`) and pooled connections (`pool.Acquire`: `Release`), sqlx
rows, statements and transactions (`Queryx`, `Preparex`, `PrepareNamed`, `Beginx`); and the
package's own functions that return one of these (`func openLog(...) (*os.File, error)`),
wherever they are called in the package.

Correct idioms are understood: the `if err != nil { return }` guard (also `os.IsNotExist(err)`,
`errors.Is(err, ...)`, `if resp == nil { return }`) before the close, `return f, nil`,
`io.ReadAll(resp.Body)` or `io.Copy(io.Discard, resp.Body)` (a body read to its end gives the
connection back), a `for rows.Next()` loop run to its end (Next closes the rows when it returns
false), a helper that receives `resp`, `resp.Body` or the file and closes it, `return
tx.Commit()`, and rows or a transaction from `QueryContext`/`BeginTx` whose context is
cancelled (`defer cancel()`: database/sql then closes the rows and rolls the transaction
back). Passing the value to a function of the package is judged by what that function does
with it (its summary, followed through the calls it makes): if it closes or keeps it, it took
it over; if it only reads it (`summarize(resp)` reading the status), the caller still owns it.
Formatting, logging, `errors` and `strings` functions, and the readers and writers of the
standard library (`io.Copy`, `bufio.NewScanner`, `json.NewDecoder`, ...), only borrow it,
and so does `_ = f`; `log.New(f, ...)` keeps it. A call we cannot see into counts as a
hand-over, unless the function closes the value itself, when only a wrapper that is handed
over in turn (`conn := tls.Client(raw, cfg)`, then `return conn, nil`) takes it. A deferred
closure registered before the value was bound (`defer func() { if f != nil { f.Close() } }()`)
is trusted with it, and so is a package function that closes what it returns itself (`defer
f.Close()` before `return f, nil`, for callers that only read `f.Name()` or `resp.Header`; a
test helper's `t.Cleanup(func() { f.Close() })`). Exits from `main` are not flagged: the
process ends; nor is a value whose function never leaves after opening it (a worker whose `for
{ ... }` ends only in a `panic`): it is held for as long as the worker runs. Nor are the error
returns of a package function whose every caller ends the program or test on its error (`if err
:= writeKey(p); err != nil { log.Fatal(err) }`): the process does not outlive that path. Not
flagged either: `gzip`/`zlib` readers (their Close releases nothing), HEAD responses (no body),
a discarded result when the code goes on only if the call failed (`_, err := os.Open(p); if err
== nil { t.Fatal(...) }`), and paths named as missing (`os.Open("nonexistent")`).

A release handed on as a method value counts (`t.Cleanup(srv.Close)`, `return url,
srv.Close`), so does a test's check that `rows.Next()` is false (`require.False(t,
rows.Next())`: the rows close then), and a call in a closure given to `require.Panics` opens
nothing. A value opened once per process and kept (in `init`, or a function run through a
package-level `sync.Once`) is held for the process by design.

Where this policy differs on purpose from other linters: a `Close` on every path counts
whether or not it is deferred (sqlclosecheck asks for `defer`); a `for rows.Next()` loop run
to its end closes the rows, as database/sql documents, even without `rows.Err()` or `Close`
(sqlclosecheck reports it); a closed body need not be drained first (bodyclose's consumption
check): an unread, closed body frees its connection, it is only not reused.

## Why is this bad
Each unclosed file or socket holds a file descriptor until the garbage collector happens to
run a finalizer, if ever; under load the process hits its descriptor limit ("too many open
files"). An unclosed HTTP response body keeps its connection out of the client's pool, so
every request dials anew and idle connections pile up. Unclosed `sql.Rows` and transactions
hold a pooled database connection each, until the pool is exhausted and every query blocks.

## Example
```go
func fetch(url string) ([]byte, error) {
        resp, err := http.Get(url)
        if err != nil {
                return nil, err
        }
        if resp.StatusCode != http.StatusOK {
                return nil, fmt.Errorf("GET %s: %s", url, resp.Status) // body left open
        }
        defer resp.Body.Close()
        return io.ReadAll(resp.Body)
}
```

## Use instead
```go
func fetch(url string) ([]byte, error) {
        resp, err := http.Get(url)
        if err != nil {
                return nil, err
        }
        defer resp.Body.Close()
        if resp.StatusCode != http.StatusOK {
                return nil, fmt.Errorf("GET %s: %s", url, resp.Status)
        }
        return io.ReadAll(resp.Body)
}
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tree_sitter import Node

from linter import semantic
from linter.findings import Finding, Related
from linter.reporting import related, report
from linter.source import GoFile, Package, default_package_name

code = "GLK501"
name = "missing-close"
summary = "file, connection, response body, rows or transaction never closed"
level = "warning"
precision = "low"
tags = ("resource-leak", "file-descriptor")


Kind = semantic.Resource  # what was opened and how it is released
_OPENER_PACKAGES = frozenset(q.rpartition(".")[0] for q in semantic.OPENERS)


_METHOD_CALL = re.compile(
    rb"\.(Dial|DialContext|Listen|ListenPacket|Do|Get|Post|PostForm|Query|QueryContext"
    rb"|Prepare|PrepareContext|Begin|BeginTx|"
    + b"|".join(m.encode() for m in sorted(semantic.METHOD_OPENERS))
    + rb")\("
)
_FUNCTION_DECLARATION = re.compile(rb"^func[ \t]+(\w+)", re.M)

# Cheap byte-level hints: files without them cannot hold a candidate, so the tree is not
# walked for one (the rule must stay near the parse floor on large trees).
_DIAL_HINT = re.compile(rb"\.(?:Dial|DialContext|Listen|ListenPacket)\(")
_HTTP_HINT = re.compile(rb"\.(?:Do|Get|Post|PostForm)\(")
_SQL_HINT = re.compile(
    rb"\.(?:Query|QueryContext|Prepare|PrepareContext|Begin|BeginTx|Acquire|Conn|Queryx"
    rb"|QueryxContext|NamedQuery|NamedQueryContext|Preparex|PreparexContext|PrepareNamed"
    rb"|PrepareNamedContext|Beginx|BeginTxx|MustBegin|MustBeginTx)\("
)
_RESOURCE_TYPE_HINT = re.compile(
    rb"\.(?:File|Conn|TCPConn|UDPConn|UnixConn|IPConn|Listener|TCPListener|UnixListener"
    rb"|PacketConn|Response|Rows|Stmt|NamedStmt|Tx|ReadCloser|ClientConn|Server)\b"
)
_SQL_HANDLES = ("database/sql.DB", "database/sql.Tx", "database/sql.Conn")


def check(package: Package) -> Iterator[Finding]:
    constructors = _constructor_calls(package)
    for go_file in package.files:
        for call, kind, opener in _openers(package, go_file, constructors):
            finding = _check_resource(package, go_file, call, kind, opener)
            if finding is not None:
                yield finding


# ---------------------------------------------------------------------------------------------
# Finding the calls that open something


def _openers(
    package: Package, go_file: GoFile, constructors: re.Pattern[bytes] | None
) -> Iterator[tuple[Node, Kind, str]]:
    imported = {*go_file.imports.values(), *go_file.dot_imports}
    if imported & _OPENER_PACKAGES:
        for qualified, call in semantic.calls_to(go_file, semantic.OPENERS):
            yield call, semantic.OPENERS[qualified], _short(qualified)
    if _may_open_through_methods(go_file):
        for call in semantic.nodes_at_matches(go_file, _METHOD_CALL, "call_expression", 1):
            selector = call.child_by_field_name("function")
            receiver = selector.child_by_field_name("operand") if selector else None
            if receiver is None or selector.type != "selector_expression":
                continue  # `f(x.Query)(...)`: the method value is not what is called
            if go_file.text(receiver) in go_file.imports:
                continue  # `http.Get(...)`: a package function, handled above
            method = go_file.text(selector.child_by_field_name("field"))
            kind = _method_kind(package, go_file, call, receiver, method)
            if kind is not None:
                yield call, kind, f"{go_file.text(receiver)}.{method}"
    if constructors is not None:
        for call in semantic.nodes_at_matches(go_file, constructors, "call_expression", 1, 1):
            callee = call.child_by_field_name("function")
            name = go_file.text(callee) if callee is not None else ""
            if callee.type == "identifier" and name in _package_constructors(package):
                yield call, _package_constructors(package)[name], name


def _may_open_through_methods(go_file: GoFile) -> bool:
    data = go_file.data
    if _DIAL_HINT.search(data):
        return True
    if _HTTP_HINT.search(data) and (b".Body" in data or "net/http" in go_file.imports.values()):
        return True
    return bool(_SQL_HINT.search(data))


def _method_kind(
    package: Package, go_file: GoFile, call: Node, receiver: Node, method: str
) -> Kind | None:
    """A method call opens a resource only with evidence: how the result is used
    (`resp.Body`, `rows.Next()` and `rows.Scan`, `tx.Commit()`), or the receiver's declared
    type. Cheap evidence is looked at first; only a `(value, err)` result (or a discarded
    one, for HTTP) is a candidate at all."""
    binding = semantic.binding_of(go_file, call)
    var = binding.name if binding.kind == "local" and len(binding.extra_names) == 1 else None
    discarded = binding.kind == "blank" or (
        binding.kind == "none"
        and call.parent is not None
        and call.parent.type == "expression_statement"
    )
    function = semantic.enclosing_function(call)
    scope = function.child_by_field_name("body") if function is not None else None

    def used(*methods: str) -> bool:
        return bool(var and scope and semantic.method_calls_on(go_file, scope, var, methods))

    def receiver_is(*types: str) -> bool:
        if go_file.text(receiver).endswith(".DefaultClient") and "net/http.Client" in types:
            return True
        return semantic.value_type_name(go_file, package, receiver) in types

    if method in ("Dial", "DialContext"):
        return Kind.CONNECTION if receiver_is("net.Dialer", "crypto/tls.Dialer") else None
    if method in ("Listen", "ListenPacket"):
        return Kind.LISTENER if receiver_is("net.ListenConfig") else None
    if method in ("Do", "Get", "Post", "PostForm"):
        if var is None and not discarded:
            return None
        if var is not None and scope is not None and _body_referenced(go_file, scope, var):
            return Kind.RESPONSE
        return Kind.RESPONSE if receiver_is("net/http.Client") else None
    if var is None:
        return None
    by_receiver = semantic.METHOD_OPENERS.get(method)
    if by_receiver:
        declared = semantic.value_type_name(go_file, package, receiver)
        if declared in by_receiver:
            return by_receiver[declared]  # `pool.Acquire(ctx)`, `tx.Query(ctx, q)`: pgx, sqlx
    if method in ("Query", "QueryContext"):
        if used("Next") and used("Scan"):
            return Kind.ROWS
        return Kind.ROWS if receiver_is(*_SQL_HANDLES, "database/sql.Stmt") else None
    if method in ("Prepare", "PrepareContext"):
        statement_use = used("Exec", "ExecContext", "Query", "QueryContext", "QueryRow")
        if statement_use and "database/sql" in go_file.imports.values():
            return Kind.STATEMENT
        return Kind.STATEMENT if receiver_is(*_SQL_HANDLES) else None
    if method in ("Begin", "BeginTx"):
        if used("Commit", "Rollback"):
            return Kind.TRANSACTION
        return Kind.TRANSACTION if receiver_is(*_SQL_HANDLES) else None
    return None


def _body_referenced(go_file: GoFile, scope: Node, var: str) -> bool:
    for ref in semantic.references(go_file, scope, var):
        parent = ref.parent
        if parent is not None and parent.type == "selector_expression":
            field = parent.child_by_field_name("field")
            if field is not None and go_file.text(field) == "Body":
                return True
    return False


@semantic.package_fact
def _package_constructors(package: Package) -> dict[str, Kind]:
    """The package's functions whose first result is a resource the caller must close,
    found from `func name(` at the start of a line (a descent per declaration, not a walk).
    A function that closes what it returns itself (`defer f.Close()`, or a test helper's
    `t.Cleanup(func() { f.Close() })`), or returns what such a function made, leaves its
    caller nothing to close."""
    found: dict[str, tuple[Kind, GoFile, Node]] = {}
    for go_file in package.files:
        if not _RESOURCE_TYPE_HINT.search(go_file.data):
            continue
        for function in semantic.nodes_at_matches(
            go_file, _FUNCTION_DECLARATION, "function_declaration", 1, 1
        ):
            results = function.child_by_field_name("result")
            if results is None:
                continue
            first = results
            if results.type == "parameter_list":
                declarations = results.named_children
                first = declarations[0].child_by_field_name("type") if declarations else None
            kind = semantic.RESOURCE_TYPES.get(semantic.type_name(go_file, first) or "")
            if kind is not None:
                found[semantic.function_name(go_file, function)] = (kind, go_file, function)
    cleaned = {
        n
        for n, (kind, f, function) in found.items()
        if semantic.closes_what_it_returns(f, function, kind.releases, "Body" if kind.body else "")
    }
    delegates = {n: _returned_callees(f, function) for n, (_, f, function) in found.items()}
    while True:
        more = {n for n, callees in delegates.items() if n not in cleaned and callees & cleaned}
        if not more:
            break
        cleaned |= more
    return {n: kind for n, (kind, _, _) in found.items() if n not in cleaned}


def _returned_callees(go_file: GoFile, function: Node) -> set[str]:
    """`return newPipe(t, name)`: the names of the functions whose result is returned."""
    names = set()
    for ret in semantic.own_returns(function):
        values = ret.named_children[0] if ret.named_children else None
        if values is not None and values.type == "expression_list":
            values = values.named_children[0] if values.named_children else None
        callee = values.child_by_field_name("function") if values is not None else None
        if values is not None and values.type == "call_expression" and callee is not None:
            names.add(go_file.text(callee))
    return names


def _constructor_calls(package: Package) -> re.Pattern[bytes] | None:
    names = _package_constructors(package)
    if not names:
        return None
    alternatives = b"|".join(re.escape(n.encode()) for n in sorted(names))
    return re.compile(rb"(" + alternatives + rb")\s*\(")


def _short(qualified: str) -> str:
    """`pgx.Connect` for github.com/jackc/pgx/v5.Connect: the name the package goes by."""
    path, _, name = qualified.rpartition(".")
    return f"{default_package_name(path)}.{name}"


# ---------------------------------------------------------------------------------------------
# Judging one opened resource


def _check_resource(
    package: Package, go_file: GoFile, call: Node, kind: Kind, opener: str
) -> Finding | None:
    function = semantic.enclosing_function(call)
    if function is None:
        return None  # a package-level resource lives as long as the program
    if kind is Kind.FILE and _names_missing_path(go_file, call):
        return None  # `os.Open("no-such-file")`: opened to get the error, there is no file
    in_main = _is_main(package, go_file, function)
    binding = semantic.binding_of(go_file, call)
    discarded = binding.kind == "blank" or (
        binding.kind == "none"
        and call.parent is not None
        and call.parent.type == "expression_statement"
    )
    if discarded:
        if in_main and semantic.inside_loop(call) is None:
            return None
        if _exists_only_on_failure(go_file, function, binding):
            return None
        if _expected_to_panic(go_file, call):
            return None  # `require.Panics(t, func() { pgx.ConnectConfig(ctx, bad) })`
        return _report(
            go_file,
            call,
            f"the {kind.noun} from {opener} is discarded, so it can never be {kind.closed()}",
        )
    if binding.kind != "local" or not semantic.is_block_statement(binding.statement):
        return None  # stored, returned, passed on, or bound in an if/switch header
    var = binding.name
    if var in _named_results(go_file, function):
        return None  # `f, err = os.Open(p)` into a named result: returned to the caller
    if _assigns_captured_variable(go_file, function, binding):
        return None  # a closure fills a variable of its enclosing function, which owns it
    body = function.child_by_field_name("body")
    refs = [
        r
        for r in semantic.references(go_file, body, var)
        if r.start_byte > binding.statement.end_byte
    ]
    if any(_in_outliving_closure(ref, function) or _in_go_statement(ref) for ref in refs):
        return None  # a goroutine or callback uses it: it decides when to close
    handle = f"{var}.Body" if kind.body else var
    closes = _closes_of_this_value(go_file, body, handle, kind, binding.statement)
    closes += _descriptor_closes(go_file, refs)
    if kind.body:
        closes += _drains(go_file, refs)
    if semantic.used_by_earlier_deferred_closure(go_file, function, var, binding.statement):
        return None  # `defer func() { if f != nil { f.Close() } }()` above: sees the last value
    cancels = _cancels_releasing(go_file, function, call, kind)
    if any(c.parent is not None and c.parent.type == "defer_statement" for c in cancels):
        return None  # `defer cancel()` of its context ends the rows or transaction on every path
    closes += cancels
    owned = bool(closes)
    handovers = [ref for ref in refs if _hands_over(package, go_file, function, ref, kind, owned)]
    releases = closes + handovers + semantic.nil_guards_around(go_file, closes, handle)
    exhausting = _exhausting_loops(go_file, refs, binding.statement) if kind is Kind.ROWS else []
    if kind is Kind.ROWS:
        releases += _asserted_exhausted(go_file, refs)
    error_name = binding.extra_names[-1] if binding.extra_names else None
    if error_name == "_":
        error_name = None
    if not releases and not exhausting:
        if semantic.inside_loop(call) is None and (
            in_main or semantic.runs_once_per_process(package, go_file, function)
        ):
            return None  # opened once and held for the life of the process
        if not semantic.exits_without_release(go_file, function, binding.statement, [], error_name):
            return None  # nothing leaves after the binding (`for { ... panic(err) }`): held
        when = " (one per loop iteration)" if semantic.inside_loop(call) is not None else ""
        return _report(
            go_file,
            call,
            f"the {kind.noun} {handle!r} from {opener} is never {kind.closed()}{when}; "
            f"add {kind.fix(var)}{_after_check(error_name, '')}",
        )
    exits = semantic.exits_without_release(
        go_file, function, binding.statement, releases, error_name
    )
    exits = [
        e
        for e in exits
        if not _inside_nil_check(go_file, e.node, var)
        and not any(_passes_through(e, loop) for loop in exhausting)
    ]
    if in_main:
        exits = [e for e in exits if e.kind is semantic.ExitKind.NEXT_ITERATION]
    exits = _outlived_exits(package, go_file, function, exits)
    if any(e.kind is semantic.ExitKind.NEXT_ITERATION for e in exits) and _may_outlive_iteration(
        package, go_file, binding.statement
    ):
        exits = [e for e in exits if e.kind is not semantic.ExitKind.NEXT_ITERATION]
    if not exits:
        return None
    return _report(
        go_file,
        call,
        f"the {kind.noun} {handle!r} from {opener} is not {kind.closed()} on every path; "
        f"add {kind.fix(var)}{_after_check(error_name, 'right ')}",
        [related(go_file, e.node, f"{e.how} leaves {handle!r} open") for e in exits],
    )


def _after_check(error_name: str | None, right: str) -> str:
    """Where the fix goes: after the error check, when the opener returns an error."""
    return f" {right}after the error check" if error_name else " right after opening it"


def _outlived_exits(
    package: Package, go_file: GoFile, function: Node, exits: list[semantic.Exit]
) -> list[semantic.Exit]:
    """The exits the program or test outlives: all of them, unless every caller ends it on
    this function's errors (`if err := writeKey(p); err != nil { log.Fatal(err) }`), where
    the error returns go."""
    failing = [
        e
        for e in exits
        if e.kind is semantic.ExitKind.RETURN and semantic.returns_an_error(go_file, e.node)
    ]
    if not failing or function.type != "function_declaration":
        return exits
    if not semantic.errors_end_every_caller(package, semantic.function_name(go_file, function)):
        return exits
    return [e for e in exits if e not in failing]


def _closes_of_this_value(
    go_file: GoFile, body: Node, handle: str, kind: Kind, binding: Node
) -> list[Node]:
    """Release calls that can reach this value: after the binding, or anywhere in the loop
    that re-binds it (the top of the next iteration closes the last one). A `c.Close()`
    earlier in the function closed some other value that had the same name."""
    loop = semantic.inside_loop(binding)
    return [
        c
        for c in semantic.method_calls_on(go_file, body, handle, kind.releases)
        if c.start_byte > binding.end_byte or (loop is not None and semantic.is_inside(c, loop))
    ]


# database/sql ends what these calls open when their context is cancelled: the rows close,
# the transaction rolls back.
_CONTEXT_BOUND = {"QueryContext": Kind.ROWS, "BeginTx": Kind.TRANSACTION}


def _cancels_releasing(go_file: GoFile, function: Node, call: Node, kind: Kind) -> list[Node]:
    """`ctx, cancel := context.WithCancel(parent); defer cancel()` then `db.QueryContext(ctx,
    ...)`: the calls of `cancel`, which close the rows (or roll the transaction back)."""
    callee = call.child_by_field_name("function")
    method = callee.child_by_field_name("field") if callee is not None else None
    arguments = call.child_by_field_name("arguments")
    if method is None or _CONTEXT_BOUND.get(go_file.text(method)) is not kind or not arguments:
        return []
    context = arguments.named_children[0] if arguments.named_children else None
    if context is None or context.type != "identifier":
        return []
    cancel = semantic.cancel_of_context(go_file, function, go_file.text(context))
    if cancel is None:
        return []
    body = function.child_by_field_name("body")
    return [
        ref.parent
        for ref in semantic.references(go_file, body, cancel)
        if ref.parent is not None
        and ref.parent.type == "call_expression"
        and ref.parent.child_by_field_name("function") == ref
    ]


def _report(
    go_file: GoFile, call: Node, message: str, where: list[Related] | None = None
) -> Finding:
    return report(go_file, call, message, where or [])


# A path that names its own absence: tests open it only to look at the error.
_MISSING_PATH = re.compile(
    r"non[-_]?exist|not[-_]?exist|does[-_]?not[-_]?exist|doesnt[-_]?exist|no[-_]?such", re.I
)


def _names_missing_path(go_file: GoFile, call: Node) -> bool:
    arguments = call.child_by_field_name("arguments")
    first = arguments.named_children[0] if arguments and arguments.named_children else None
    return first is not None and bool(_MISSING_PATH.search(go_file.text(first)))


def _exists_only_on_failure(go_file: GoFile, function: Node, binding: semantic.Binding) -> bool:
    """`_, err := c.Get(u); if err == nil { t.Fatal("want an error") }`, or the same bound in
    the if header (`if _, err := tls.Dial(...); err == nil {`): the code goes on only when
    the call failed, and a failed call returned nothing to close."""
    error_name = binding.extra_names[-1] if binding.extra_names else None
    if binding.kind != "blank" or error_name in (None, "_"):
        return False
    return not semantic.exits_without_release(go_file, function, binding.statement, [], error_name)


def _assigns_captured_variable(go_file: GoFile, function: Node, binding: semantic.Binding) -> bool:
    return (
        function.type == "func_literal"
        and binding.statement is not None
        and binding.statement.type == "assignment_statement"
        and binding.name not in semantic.declared_names(go_file, function)
    )


def _in_go_statement(ref: Node) -> bool:
    """`go c.Close()`, `go srv.Serve(ln)`: the goroutine has it now."""
    node = ref.parent
    while node is not None and node.type not in semantic.FUNCTION_TYPES:
        if node.type == "go_statement":
            return True
        node = node.parent
    return False


_DESCRIPTOR_WRAPPERS = ("int", "uintptr")
_CLOSER_NAME = re.compile(r"^[Cc]lose|Close$")


def _descriptor_closes(go_file: GoFile, refs: list[Node]) -> list[Node]:
    """`defer syscall.Close(int(f.Fd()))`: closing the descriptor itself releases it."""
    found = []
    for ref in refs:
        selector = ref.parent
        if selector is None or selector.type != "selector_expression":
            continue
        field = selector.child_by_field_name("field")
        call = selector.parent
        if field is None or go_file.text(field) != "Fd" or call is None:
            continue
        while call.parent is not None and call.parent.type == "argument_list":
            outer = call.parent.parent
            callee = outer.child_by_field_name("function") if outer is not None else None
            if callee is None:
                break
            name = go_file.text(callee).rpartition(".")[2]
            if _CLOSER_NAME.search(name):
                found.append(outer)
                break
            if name not in _DESCRIPTOR_WRAPPERS:
                break
            call = outer
    return found


# Reading a response body to its end (or to an error) gives the connection back: at EOF the
# transport returns it to the idle pool, on an error it closes it.
_DRAINS = {"io.ReadAll": 0, "io/ioutil.ReadAll": 0, "io.Copy": 1, "io.CopyBuffer": 1}


def _drains(go_file: GoFile, refs: list[Node]) -> list[Node]:
    found = []
    for ref in refs:
        selector = semantic.unparenthesized(ref).parent
        if selector is None or selector.type != "selector_expression":
            continue
        field = selector.child_by_field_name("field")
        if field is None or go_file.text(field) != "Body":
            continue
        located = semantic.argument_index(selector)
        if located is None:
            continue
        call, index = located
        if _DRAINS.get(semantic.qualified_call_name(go_file, call) or "") == index:
            found.append(call)
    return found


def _exhausting_loops(go_file: GoFile, refs: list[Node], binding: Node) -> list[Node]:
    """`for rows.Next() { ... }` (or `for i := 0; rows.Next(); i++`) with no break, on the
    straight path after the binding: when Next returns false the rows close themselves, so
    the loop's normal end releases them."""
    loops = []
    for ref in refs:
        selector = ref.parent
        call = selector.parent if selector is not None else None
        if (
            call is None
            or selector.type != "selector_expression"
            or call.type != "call_expression"
            or go_file.text(selector.child_by_field_name("field")) != "Next"
        ):
            continue
        loop = semantic.loop_conditioned_on(call)
        if loop is None:
            continue
        container = loop.parent
        if (
            container is not None
            and semantic.is_inside(binding, container)
            and not semantic.loop_has_break(go_file, loop)
            and not _jumps_between(binding, loop, container)
        ):
            loops.append(loop)
    return loops


def _asserted_exhausted(go_file: GoFile, refs: list[Node]) -> list[Node]:
    """`require.False(t, rows.Next())`: the test checks that Next returned false, which
    closes the rows (or stops there, failed)."""
    found = []
    for ref in refs:
        selector = ref.parent
        call = selector.parent if selector is not None else None
        if call is None or call.type != "call_expression" or selector.type != "selector_expression":
            continue
        if go_file.text(selector.child_by_field_name("field")) != "Next":
            continue
        located = semantic.argument_index(call)
        if located is None:
            continue
        check = located[0].child_by_field_name("function")
        if (
            check is not None
            and check.type == "selector_expression"
            and go_file.text(check.child_by_field_name("field")) == "False"
        ):
            found.append(located[0])
    return found


def _expected_to_panic(go_file: GoFile, call: Node) -> bool:
    """The call sits in a function literal handed to `require.Panics(...)`,
    `assert.PanicsWithValue(...)` and the like: it is meant to panic, returning nothing."""
    literal = semantic.enclosing_function(call)
    located = semantic.argument_index(literal) if literal is not None else None
    if literal is None or literal.type != "func_literal" or located is None:
        return False
    check = located[0].child_by_field_name("function")
    name = go_file.text(check).rpartition(".")[2] if check is not None else ""
    return name.startswith("Panics")


_JUMPS = ("break_statement", "continue_statement", "goto_statement")


def _jumps_between(binding: Node, loop: Node, container: Node) -> bool:
    """A jump between the binding and the loop could leave without running the loop."""
    stack = [
        c
        for c in container.named_children
        if binding.end_byte <= c.start_byte and c.end_byte <= loop.start_byte
    ]
    stack += [c for c in container.named_children if semantic.is_inside(binding, c)]
    while stack:
        node = stack.pop()
        if node.type in _JUMPS and binding.end_byte <= node.start_byte < loop.start_byte:
            return True
        if node.type not in semantic.FUNCTION_TYPES:
            stack.extend(node.named_children)
    return False


def _passes_through(exit: semantic.Exit, loop: Node) -> bool:
    """Does every path to this exit go through the end of the exhausting loop?"""
    if exit.kind is semantic.ExitKind.NEXT_ITERATION:
        return semantic.is_inside(loop, exit.node) and loop.id != exit.node.id
    return exit.node.start_byte >= loop.end_byte


def _inside_nil_check(go_file: GoFile, node: Node, var: str) -> bool:
    """A return under `if resp == nil { ... }`: there is nothing to close on that branch."""
    if node.type != "return_statement":
        return False
    current = node.parent
    while current is not None and current.type not in semantic.FUNCTION_TYPES:
        parent = current.parent
        if parent is not None and parent.type == "if_statement":
            condition = parent.child_by_field_name("condition")
            text = go_file.text(condition).replace(" ", "") if condition is not None else ""
            if parent.child_by_field_name("consequence") == current and text in (
                f"{var}==nil",
                f"nil=={var}",
            ):
                return True
        current = parent
    return False


def _named_results(go_file: GoFile, function: Node) -> set[str]:
    results = function.child_by_field_name("result")
    if results is None or results.type != "parameter_list":
        return set()
    return {
        go_file.text(n)
        for declaration in results.named_children
        for n in declaration.children_by_field_name("name")
    }


def _may_outlive_iteration(package: Package, go_file: GoFile, binding: Node) -> bool:
    """The path walk cannot follow a `break` out of the loop, nor a variable declared outside
    the loop into the next iteration (`if w != nil { w.Close() }; w = open(...)`): with either,
    the value may be closed or handed over after the iteration, so "the next iteration leaves
    it open" is not claimed. Nor in a loop of a handful of iterations (semantic.is_small_loop)."""
    loop = semantic.inside_loop(binding)
    if loop is None:
        return False
    if semantic.is_small_loop(package, go_file, loop):
        return True  # a handful of iterations: bounded, not a leak
    return binding.type == "assignment_statement" or semantic.loop_has_break(go_file, loop)


def _hands_over(
    package: Package, go_file: GoFile, function: Node, ref: Node, kind: Kind, owned: bool
) -> bool:
    """Does this use give the value (or, for a response, its Body) to someone else?"""
    node, parent = _same_value(ref)
    if parent is None:
        return False
    if parent.type == "selector_expression":
        field = parent.child_by_field_name("field")
        if _registers_release(go_file, parent, kind):
            return True  # `t.Cleanup(srv.Close)`: whoever holds the method value releases it
        if not (kind.body and field is not None and go_file.text(field) == "Body"):
            return False  # a method call or field read: using it, not handing it over
        node, parent = _same_value(parent)  # `rwc, ok := resp.Body.(io.ReadWriteCloser)`
        if parent is None or parent.type == "selector_expression":
            return False  # resp.Body.Read(...), resp.Body.Close()
    if parent.type == "argument_list":
        return _passed_to_owner(package, go_file, function, node, kind, owned)
    if parent.type == "expression_list":
        holder = parent.parent
        if holder is None:
            return False
        if holder.type == "return_statement":
            return True
        if holder.type in ("assignment_statement", "short_var_declaration", "var_spec"):
            right = holder.child_by_field_name("right") or holder.child_by_field_name("value")
            left = holder.child_by_field_name("left") or holder.child_by_field_name("name")
            if left is not None and go_file.text(left) == "_":
                return False  # `_ = resp`: mentioned to silence the compiler, nothing more
            return right is not None and right.id == parent.id
        return False
    if parent.type == "return_statement":
        return True
    if parent.type in ("literal_element", "keyed_element", "literal_value"):
        return True
    if parent.type == "send_statement":
        value = parent.child_by_field_name("value")
        return value is not None and value.id == node.id
    return parent.type == "unary_expression" and go_file.text(parent).startswith("&")


def _registers_release(go_file: GoFile, selector: Node, kind: Kind) -> bool:
    """`srv.Close` as a method value, not called here: handed to a call (`t.Cleanup(srv.Close)`),
    returned (`return cli, ts.Close`) or stored as a shutdown hook, the release runs when its
    holder decides."""
    field = selector.child_by_field_name("field")
    holder = semantic.unparenthesized(selector).parent
    called = holder is not None and holder.type == "call_expression"
    return field is not None and go_file.text(field) in kind.releases and not called


def _same_value(expr: Node) -> tuple[Node, Node | None]:
    """The outermost expression that is still the same value (through parentheses and
    `conn.(*tls.Conn)` assertions) and the node that uses it."""
    node = semantic.unparenthesized(expr)
    parent = node.parent
    while parent is not None and parent.type == "type_assertion_expression":
        node = semantic.unparenthesized(parent)
        parent = node.parent
    return node, parent


def _wrapper_escapes(go_file: GoFile, function: Node, call: Node) -> bool:
    """`conn := tls.Client(raw, cfg)` then `return conn, nil`: the value went into a wrapper
    that is handed over, so whoever owns the wrapper closes both."""
    binding = semantic.binding_of(go_file, call)
    if binding.kind in ("field", "index", "global"):
        return True
    holder = binding.statement
    if binding.kind == "none" and holder is not None:
        return holder.type == "return_statement" or (
            holder.type == "expression_list"
            and holder.parent is not None
            and holder.parent.type == "return_statement"
        )
    if binding.kind != "local" or binding.statement is None:
        return False
    return semantic.escape_of(go_file, function, binding.name, binding.statement) is not None


def _passed_to_owner(
    package: Package, go_file: GoFile, function: Node, argument: Node, kind: Kind, owned: bool
) -> bool:
    """Does the call `argument` is passed to take the value over? What the package's own
    callee does with it is known (its summary): it closes it or keeps it (a hand-over),
    or only reads it (`process(resp)` that reads the body; formatting, logging, the io
    readers): then the caller still owns it. A call we cannot see into may take it over,
    unless the function closes the value itself, when only a wrapper that is handed over in
    turn (`conn := tls.Client(raw, cfg)`, then `return conn, nil`) takes it."""
    use = semantic.argument_use(package, go_file, argument)
    if use is not None:
        field = "Body" if kind.body and argument.type != "selector_expression" else ""
        return not use.only_borrows(kind.releases, field)
    call = argument.parent.parent if argument.parent is not None else None
    return not owned or (call is not None and _wrapper_escapes(go_file, function, call))


def _in_outliving_closure(ref: Node, function: Node) -> bool:
    owner = semantic.enclosing_function(ref)
    if owner is None or owner.id == function.id:
        return False
    while owner is not None and owner.id != function.id:
        call = owner.parent
        deferred = (
            call is not None and call.parent is not None and call.parent.type == "defer_statement"
        )
        if not deferred:
            return True
        owner = semantic.enclosing_function(owner)
    return False


def _is_main(package: Package, go_file: GoFile, function: Node) -> bool:
    return (
        package.name == "main"
        and function.type == "function_declaration"
        and semantic.function_name(go_file, function) == "main"
    )
