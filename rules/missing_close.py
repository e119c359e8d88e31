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
nothing. A value opened and kept by `init`, or by a function only run through a
package-level `sync.Once`, is held for the process by design.

Where this policy differs on purpose from other linters: a `Close` on every path counts
whether or not it is deferred (sqlclosecheck asks for `defer`); a `for rows.Next()` loop run
to its end closes the rows, as database/sql documents, even without `rows.Err()` or `Close`
(sqlclosecheck reports it); a closed body need not be drained first (bodyclose's consumption
check): an unread, closed body frees its connection, it is only not reused.

**Default and scope (measured, docs/precision-audit.md).** Opt-in: on eleven held-out
projects 12 of 21 decided production findings and 26 of 33 test findings were real, short
of the 90 % bar; most false positives are values closed by an owner the analysis cannot
see (a struct that closes it later, a helper in another package).

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
from linter.findings import Finding
from linter.reporting import related, report
from linter.source import GoFile, Package, default_package_name

code = "GLK501"
name = "missing-close"
summary = "file, connection, response body, rows or transaction never closed"
level = "warning"
precision = "medium"
default = False
tags = ("resource-leak", "file-descriptor")


Kind = semantic.Resource  # what was opened and how it is released
_OPENER_PACKAGES = frozenset(q.rpartition(".")[0] for q in semantic.OPENERS)


_METHOD_CALL = re.compile(
    rb"\.(Dial|DialContext|Listen|ListenPacket|Do|Get|Post|PostForm|Query|QueryContext"
    rb"|Prepare|PrepareContext|Begin|BeginTx|"
    + b"|".join(m.encode() for m in sorted(semantic.METHOD_OPENERS))
    + rb")\("
)

# Cheap byte-level hints: files without them cannot hold a candidate, so the tree is not
# walked for one (the rule must stay near the parse floor on large trees).
_DIAL_HINT = re.compile(rb"\.(?:Dial|DialContext|Listen|ListenPacket)\(")
_HTTP_HINT = re.compile(rb"\.(?:Do|Get|Post|PostForm)\(")
_SQL_HINT = re.compile(
    rb"\.(?:Query|QueryContext|Prepare|PrepareContext|Begin|BeginTx|Acquire|Conn|Queryx"
    rb"|QueryxContext|NamedQuery|NamedQueryContext|Preparex|PreparexContext|PrepareNamed"
    rb"|PrepareNamedContext|Beginx|BeginTxx|MustBegin|MustBeginTx)\("
)
_SQL_HANDLES = ("database/sql.DB", "database/sql.Tx", "database/sql.Conn")
# How each resource type is released, for the package's functions that return one.
_RELEASERS = frozenset(
    (spelled, kind.releases, "Body" if kind.body else "")
    for spelled, kind in semantic.RESOURCE_TYPES.items()
)


def check(package: Package) -> Iterator[Finding]:
    constructors = {
        name: semantic.RESOURCE_TYPES[spelled]
        for name, spelled in semantic.functions_returning(package, _RELEASERS).items()
    }
    for go_file in package.files:
        for call, kind, opener in _openers(package, go_file, constructors):
            finding = _check_resource(package, go_file, call, kind, opener)
            if finding is not None:
                yield finding


# ---------------------------------------------------------------------------------------------
# Finding the calls that open something


def _openers(
    package: Package, go_file: GoFile, constructors: dict[str, Kind]
) -> Iterator[tuple[Node, Kind, str]]:
    imported = {*go_file.imports.values(), *go_file.dot_imports}
    if imported & _OPENER_PACKAGES:
        for qualified, call in semantic.calls_to(go_file, semantic.OPENERS):
            yield call, semantic.OPENERS[qualified], _short(qualified)
    if _may_open_through_methods(go_file):
        for call, receiver, method in semantic.method_calls_at(go_file, _METHOD_CALL):
            kind = _method_kind(package, go_file, call, receiver, method)
            if kind is not None:
                yield call, kind, f"{go_file.text(receiver)}.{method}"
    if constructors:
        for qualified, call in semantic.calls_to_own(go_file, constructors):
            yield call, constructors[qualified], qualified


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
    var = binding.name if binding.is_local and len(binding.extra_names) == 1 else None
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
        if var is None and not binding.is_discarded:
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
    """`resp.Body` somewhere: the result is an HTTP response."""
    uses = (semantic.use_of(go_file, ref) for ref in semantic.references(go_file, scope, var))
    return any(use.kind is semantic.UseKind.FIELD and use.name == "Body" for use in uses)


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
    binding = semantic.binding_of(go_file, call)
    if semantic.fills_outer_variable(go_file, function, binding):
        return None  # a closure fills a variable of its enclosing function, which owns it
    overwrite = _rebound_before_release(go_file, binding)
    if overwrite is not None:
        return _overwritten(go_file, call, kind, opener, binding.name, overwrite)
    cancels = semantic.cancels_ending(go_file, function, call, kind)
    if any(c.parent is not None and c.parent.type == "defer_statement" for c in cancels):
        return None  # `defer cancel()` of its context ends the rows or transaction
    through = "Body" if kind.body else None
    check = semantic.release_check(
        package,
        go_file,
        function,
        binding,
        lambda refs: _releases(go_file, function, binding, kind, refs) + cancels,
        hands_over=lambda ref, owned: semantic.hands_over_on_path(
            package, go_file, function, ref, owned, kind.releases, through
        ),
        ends=(lambda refs: semantic.exhausting_loops(go_file, refs, binding.statement))
        if kind is Kind.ROWS
        else None,
    )
    in_main = semantic.is_main_function(package, go_file, function)
    once_in_main = in_main and semantic.inside_loop(call) is None
    if check.verdict is semantic.Verdict.DISCARDED:
        if once_in_main or semantic.continues_only_on_failure(package, go_file, function, binding):
            return None  # main's exit ends the process; or a call expected to fail
        if semantic.expected_to_panic(go_file, call):
            return None  # `require.Panics(t, func() { pgx.ConnectConfig(ctx, bad) })`
        return _discarded(go_file, call, kind, opener)
    if check.verdict is semantic.Verdict.NEVER_RELEASED:
        if once_in_main or not check.exits:
            return None  # main's exit ends the process; or nothing leaves after it: held
        if semantic.inside_loop(call) is None and _held_for_the_process(package, go_file, function):
            return None  # opened once (init, a package sync.Once) and held for the process
        return _never_closed(go_file, call, kind, opener, binding.name, binding)
    next_iteration = semantic.ExitKind.NEXT_ITERATION
    exits = [e for e in check.exits if not in_main or e.kind is next_iteration]  # main ends it
    exits = semantic.exits_outlived(package, go_file, function, exits)
    if any(e.kind is next_iteration for e in exits) and semantic.may_outlive_iteration(
        package, go_file, binding.statement
    ):
        exits = [e for e in exits if e.kind is not next_iteration]
    if not exits:
        return None
    return _not_always_closed(go_file, call, kind, opener, binding, exits)


def _releases(
    go_file: GoFile,
    function: Node,
    binding: semantic.Binding,
    kind: Kind,
    refs: list[Node],
) -> list[Node]:
    """Closing calls on this value, closing its descriptor, reading a body to its end, a
    test's check that the rows are exhausted, and the nil checks that guard a close (`if
    resp != nil { resp.Body.Close() }`)."""
    handle = kind.handle(binding.name)
    closes = semantic.releases_reaching(go_file, function, handle, kind.releases, binding.statement)
    closes += semantic.descriptor_closes(go_file, refs)
    if kind.body:
        closes += semantic.body_drains(go_file, refs)
    if kind is Kind.ROWS:
        closes += semantic.asserted_exhausted(go_file, refs)
    return closes + semantic.nil_guards_around(go_file, closes, handle)


# A path that names its own absence: tests open it only to look at the error.
_MISSING_PATH = re.compile(
    r"non[-_]?exist|not[-_]?exist|does[-_]?not[-_]?exist|doesnt[-_]?exist|no[-_]?such", re.I
)


def _names_missing_path(go_file: GoFile, call: Node) -> bool:
    arguments = call.child_by_field_name("arguments")
    first = arguments.named_children[0] if arguments and arguments.named_children else None
    return first is not None and bool(_MISSING_PATH.search(go_file.text(first)))


def _rebound_before_release(go_file: GoFile, binding: semantic.Binding) -> Node | None:
    """`resp, err = http.Get(next)` later in the block, before anything used `resp`: the
    first response is lost with its body open."""
    if not binding.is_local or not semantic.is_block_statement(binding.statement):
        return None
    return semantic.rebound_before_use(go_file, binding.statement, binding.name)


def _held_for_the_process(package: Package, go_file: GoFile, function: Node) -> bool:
    """`init`, or a function only run through a package-level `sync.Once`: what it opens and
    keeps is meant to last as long as the process (a shared test server, a debug listener)."""
    if function.type != "function_declaration":
        return False
    name_ = semantic.function_name(go_file, function)
    return name_ == "init" or semantic.run_by_package_once(package, go_file, function)


# ---------------------------------------------------------------------------------------------
# Messages


def _discarded(go_file: GoFile, call: Node, kind: Kind, opener: str) -> Finding:
    return report(
        go_file,
        call,
        f"the {kind.noun} from {opener} is discarded, so it can never be {kind.closed}",
    )


def _never_closed(
    go_file: GoFile, call: Node, kind: Kind, opener: str, var: str, binding: semantic.Binding
) -> Finding:
    handle = kind.handle(var)
    when = " (one per loop iteration)" if semantic.inside_loop(call) is not None else ""
    return report(
        go_file,
        call,
        f"the {kind.noun} {handle!r} from {opener} is never {kind.closed}{when}; "
        f"add {kind.fix.format(var)}{_after_check(binding, '')}",
    )


def _after_check(binding: semantic.Binding, right: str) -> str:
    """Where the fix goes: after the error check, when the opener returns an error."""
    if binding.extra_names and binding.extra_names[-1] != "_":
        return f" {right}after the error check"
    return " right after opening it"


def _overwritten(
    go_file: GoFile, call: Node, kind: Kind, opener: str, var: str, overwrite: Node
) -> Finding:
    handle = kind.handle(var)
    line = overwrite.start_point[0] + 1
    return report(
        go_file,
        call,
        f"the {kind.noun} {handle!r} from {opener} is lost when {var} is assigned again at "
        f"line {line}, before it is {kind.closed}; add {kind.fix.format(var)} before "
        f"reusing {var}",
        [related(go_file, overwrite, f"{var} gets another value here")],
    )


def _not_always_closed(
    go_file: GoFile,
    call: Node,
    kind: Kind,
    opener: str,
    binding: semantic.Binding,
    exits: list[semantic.Exit],
) -> Finding:
    var = binding.name
    handle = kind.handle(var)
    return report(
        go_file,
        call,
        f"the {kind.noun} {handle!r} from {opener} is not {kind.closed} on every path; "
        f"add {kind.fix.format(var)}{_after_check(binding, 'right ')}",
        [related(go_file, e.node, f"{e.how} leaves {handle!r} open") for e in exits],
    )
