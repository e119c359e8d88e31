"""## What it does
Flags a resource opened in a function that is neither closed (called or deferred, including
`defer func() { _ = f.Close() }()`) on every path out of the function, nor handed over
(returned, stored, sent, given to a goroutine, or passed to a function that may take
ownership). Resources: files (`os.Open`, `OpenFile`, `Create`, `CreateTemp`), connections and
listeners (`net.Dial*`, `net.Listen*`, `tls.Dial`, `(&net.Dialer{}).DialContext`), HTTP
responses (`http.Get/Post/PostForm`, `client.Do/Get/Post`: the `Body` must be closed or read
to its end), `database/sql` rows (`Query`), prepared statements (`Prepare`) and transactions
(`Begin`: Commit or Rollback), `zip.OpenReader`, and the package's own functions that return
one of these (`func openLog(...) (*os.File, error)`), wherever they are called in the package.

Correct idioms are understood: the `if err != nil { return }` guard (also `os.IsNotExist(err)`,
`errors.Is(err, ...)`, `if resp == nil { return }`) before the close, `return f, nil`,
`io.ReadAll(resp.Body)` or `io.Copy(io.Discard, resp.Body)` (a body read to its end gives the
connection back), a `for rows.Next()` loop run to its end (Next closes the rows when it returns
false), a helper that receives `resp`, `resp.Body` or the file and closes it, `return
tx.Commit()`. Passing the value to a function counts as a hand-over only when the function
itself never closes it, or when what the call returns is handed over in turn (`conn :=
tls.Client(raw, cfg)`, then `return conn, nil`); the readers and writers of the standard
library (`io.Copy`, `bufio.NewScanner`, `json.NewDecoder`, ...) only borrow it. A deferred
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
from dataclasses import dataclass

from tree_sitter import Node

from linter import semantic
from linter.findings import Finding
from linter.reporting import related, report
from linter.source import GoFile, Package

code = "GLK501"
name = "missing-close"
summary = "file, connection, response body, rows or transaction never closed"
level = "warning"
precision = "medium"
default = False
tags = ("resource-leak", "file-descriptor")


@dataclass(frozen=True)
class Kind:
    """What was opened, the methods that release it (called on `v.Body` when `body`), and
    the words for it: `fix` is formatted with the variable's name."""

    noun: str
    releases: tuple[str, ...] = ("Close",)
    body: bool = False
    closed: str = "closed"
    fix: str = "defer {}.Close()"

    def handle(self, var: str) -> str:
        """What is released: `resp.Body` for a response, else the variable."""
        return f"{var}.Body" if self.body else var


FILE = Kind("file")
CONNECTION = Kind("connection")
LISTENER = Kind("listener")
RESPONSE = Kind("response body", body=True, fix="defer {}.Body.Close()")
ROWS = Kind("rows")
STATEMENT = Kind("prepared statement")
TRANSACTION = Kind(
    "transaction",
    ("Commit", "Rollback"),
    closed="committed or rolled back",
    fix="defer {}.Rollback() (a no-op after Commit)",
)
ARCHIVE = Kind("zip archive")
# Not gzip/zlib readers: their Close releases nothing and only repeats the error a Read
# already returned, so leaving one unclosed leaks nothing.

_PACKAGE_OPENERS = {
    **dict.fromkeys(("os.Open", "os.OpenFile", "os.Create", "os.CreateTemp"), FILE),
    "io/ioutil.TempFile": FILE,
    **dict.fromkeys(("net.Dial", "net.DialTimeout", "net.DialTCP", "net.DialUDP"), CONNECTION),
    **dict.fromkeys(("net.DialUnix", "net.DialIP", "crypto/tls.Dial"), CONNECTION),
    "crypto/tls.DialWithDialer": CONNECTION,
    **dict.fromkeys(("net.Listen", "net.ListenPacket", "net.ListenTCP"), LISTENER),
    **dict.fromkeys(("net.ListenUDP", "net.ListenUnix", "net.ListenUnixgram"), LISTENER),
    **dict.fromkeys(("net.ListenIP", "net.ListenMulticastUDP", "crypto/tls.Listen"), LISTENER),
    # Not http.Head: a HEAD response has no body, and the transport recycles its
    # connection as soon as the headers are read.
    **dict.fromkeys(("net/http.Get", "net/http.Post", "net/http.PostForm"), RESPONSE),
    "archive/zip.OpenReader": ARCHIVE,
}

_OPENER_PACKAGES = frozenset(q.rpartition(".")[0] for q in _PACKAGE_OPENERS)

# Types whose values the package's own functions may return for the caller to close.
_RESOURCE_TYPES = {
    "os.File": FILE,
    **dict.fromkeys(("net.Conn", "net.TCPConn", "net.UDPConn", "net.UnixConn"), CONNECTION),
    **dict.fromkeys(("net.IPConn", "crypto/tls.Conn", "database/sql.Conn"), CONNECTION),
    **dict.fromkeys(("net.Listener", "net.TCPListener", "net.UnixListener"), LISTENER),
    "net.PacketConn": LISTENER,
    "net/http.Response": RESPONSE,
    "database/sql.Rows": ROWS,
    "database/sql.Stmt": STATEMENT,
    "database/sql.Tx": TRANSACTION,
    "archive/zip.ReadCloser": ARCHIVE,
}
# Not io.ReadCloser and friends: functions returning them are as often wrappers whose Close
# releases nothing (io.NopCloser, http.MaxBytesReader, httputil.NewChunkedWriter).

_METHOD_CALL = re.compile(
    rb"\.(Dial|DialContext|Listen|ListenPacket|Do|Get|Post|PostForm|Query|QueryContext"
    rb"|Prepare|PrepareContext|Begin|BeginTx)\("
)

# Cheap byte-level hints: files without them cannot hold a candidate, so the tree is not
# walked for one (the rule must stay near the parse floor on large trees).
_DIAL_HINT = re.compile(rb"\.(?:Dial|DialContext|Listen|ListenPacket)\(")
_HTTP_HINT = re.compile(rb"\.(?:Do|Get|Post|PostForm)\(")
_SQL_HINT = re.compile(rb"\.(?:Query|QueryContext|Prepare|PrepareContext|Begin|BeginTx)\(")
_SQL_HANDLES = ("database/sql.DB", "database/sql.Tx", "database/sql.Conn")
# How each resource type is released, for the package's functions that return one.
_RELEASERS = frozenset(
    (spelled, kind.releases, "Body" if kind.body else "")
    for spelled, kind in _RESOURCE_TYPES.items()
)


def check(package: Package) -> Iterator[Finding]:
    constructors = {
        name: _RESOURCE_TYPES[spelled]
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
        for qualified, call in semantic.calls_to(go_file, _PACKAGE_OPENERS):
            yield call, _PACKAGE_OPENERS[qualified], _short(qualified)
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
        return CONNECTION if receiver_is("net.Dialer", "crypto/tls.Dialer") else None
    if method in ("Listen", "ListenPacket"):
        return LISTENER if receiver_is("net.ListenConfig") else None
    if method in ("Do", "Get", "Post", "PostForm"):
        if var is None and not binding.is_discarded:
            return None
        if var is not None and scope is not None and _body_referenced(go_file, scope, var):
            return RESPONSE
        return RESPONSE if receiver_is("net/http.Client") else None
    if var is None:
        return None
    if method in ("Query", "QueryContext"):
        if used("Next") and used("Scan"):
            return ROWS
        return ROWS if receiver_is(*_SQL_HANDLES, "database/sql.Stmt") else None
    if method in ("Prepare", "PrepareContext"):
        statement_use = used("Exec", "ExecContext", "Query", "QueryContext", "QueryRow")
        if statement_use and "database/sql" in go_file.imports.values():
            return STATEMENT
        return STATEMENT if receiver_is(*_SQL_HANDLES) else None
    if method in ("Begin", "BeginTx"):
        if used("Commit", "Rollback"):
            return TRANSACTION
        return TRANSACTION if receiver_is(*_SQL_HANDLES) else None
    return None


def _body_referenced(go_file: GoFile, scope: Node, var: str) -> bool:
    """`resp.Body` somewhere: the result is an HTTP response."""
    uses = (semantic.use_of(go_file, ref) for ref in semantic.references(go_file, scope, var))
    return any(use.kind is semantic.UseKind.FIELD and use.name == "Body" for use in uses)


def _short(qualified: str) -> str:
    path, _, name = qualified.rpartition(".")
    return f"{path.rsplit('/', 1)[-1]}.{name}"


# ---------------------------------------------------------------------------------------------
# Judging one opened resource


def _check_resource(
    package: Package, go_file: GoFile, call: Node, kind: Kind, opener: str
) -> Finding | None:
    function = semantic.enclosing_function(call)
    if function is None:
        return None  # a package-level resource lives as long as the program
    if kind is FILE and _names_missing_path(go_file, call):
        return None  # `os.Open("no-such-file")`: opened to get the error, there is no file
    binding = semantic.binding_of(go_file, call)
    if semantic.fills_outer_variable(go_file, function, binding):
        return None  # a closure fills a variable of its enclosing function, which owns it
    through = "Body" if kind.body else None
    check = semantic.release_check(
        go_file,
        function,
        binding,
        lambda refs: _releases(go_file, function, binding, kind, refs),
        hands_over=lambda ref, owned: semantic.hands_over_on_path(
            package, go_file, function, ref, owned, kind.releases, through
        ),
        ends=(lambda refs: semantic.exhausting_loops(go_file, refs, binding.statement))
        if kind is ROWS
        else None,
    )
    in_main = semantic.is_main_function(package, go_file, function)
    once_in_main = in_main and semantic.inside_loop(call) is None
    if check.verdict is semantic.Verdict.DISCARDED:
        if once_in_main or semantic.continues_only_on_failure(go_file, function, binding):
            return None  # main's exit ends the process; or a call expected to fail
        return _discarded(go_file, call, kind, opener)
    if check.verdict is semantic.Verdict.NEVER_RELEASED:
        if once_in_main or not check.exits:
            return None  # main's exit ends the process; or nothing leaves after it: held
        return _never_closed(go_file, call, kind, opener, binding.name)
    next_iteration = semantic.ExitKind.NEXT_ITERATION
    exits = [e for e in check.exits if not in_main or e.kind is next_iteration]  # main ends it
    exits = semantic.exits_outlived(package, go_file, function, exits)
    if any(e.kind is next_iteration for e in exits) and semantic.may_outlive_iteration(
        package, go_file, binding.statement
    ):
        exits = [e for e in exits if e.kind is not next_iteration]
    if not exits:
        return None
    return _not_always_closed(go_file, call, kind, opener, binding.name, exits)


def _releases(
    go_file: GoFile,
    function: Node,
    binding: semantic.Binding,
    kind: Kind,
    refs: list[Node],
) -> list[Node]:
    """Closing calls on this value, closing its descriptor, reading a body to its end, and
    the nil checks that guard a close (`if resp != nil { resp.Body.Close() }`)."""
    handle = kind.handle(binding.name)
    closes = semantic.releases_reaching(go_file, function, handle, kind.releases, binding.statement)
    closes += semantic.descriptor_closes(go_file, refs)
    if kind.body:
        closes += semantic.body_drains(go_file, refs)
    return closes + semantic.nil_guards_around(go_file, closes, handle)


# A path that names its own absence: tests open it only to look at the error.
_MISSING_PATH = re.compile(
    r"non[-_]?exist|not[-_]?exist|does[-_]?not[-_]?exist|doesnt[-_]?exist|no[-_]?such", re.I
)


def _names_missing_path(go_file: GoFile, call: Node) -> bool:
    arguments = call.child_by_field_name("arguments")
    first = arguments.named_children[0] if arguments and arguments.named_children else None
    return first is not None and bool(_MISSING_PATH.search(go_file.text(first)))


# ---------------------------------------------------------------------------------------------
# Messages


def _discarded(go_file: GoFile, call: Node, kind: Kind, opener: str) -> Finding:
    return report(
        go_file,
        call,
        f"the {kind.noun} from {opener} is discarded, so it can never be {kind.closed}",
    )


def _never_closed(go_file: GoFile, call: Node, kind: Kind, opener: str, var: str) -> Finding:
    handle = kind.handle(var)
    when = " (one per loop iteration)" if semantic.inside_loop(call) is not None else ""
    return report(
        go_file,
        call,
        f"the {kind.noun} {handle!r} from {opener} is never {kind.closed}{when}; "
        f"add {kind.fix.format(var)} after the error check",
    )


def _not_always_closed(
    go_file: GoFile, call: Node, kind: Kind, opener: str, var: str, exits: list[semantic.Exit]
) -> Finding:
    handle = kind.handle(var)
    return report(
        go_file,
        call,
        f"the {kind.noun} {handle!r} from {opener} is not {kind.closed} on every path; "
        f"add {kind.fix.format(var)} right after the error check",
        [related(go_file, e.node, f"{e.how} leaves {handle!r} open") for e in exits],
    )
