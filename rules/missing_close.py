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
connection back), a `for rows.Next()` loop run to its end (Next closes the rows when it
returns false), a helper that receives `resp`, `resp.Body` or the file and closes it, `return
tx.Commit()`. Passing the value to a function counts as a hand-over only when the function
itself never closes it, or when what the call returns is handed over in turn (`conn :=
tls.Client(raw, cfg)`, then `return conn, nil`); the readers and writers of the standard
library (`io.Copy`, `bufio.NewScanner`, `json.NewDecoder`, ...) only borrow it. A deferred
closure registered before the value was bound (`defer func() { if f != nil { f.Close() }
}()`) is trusted with it, and so is a test helper that registers the close with
`t.Cleanup`. Exits from `main` are not flagged: the process ends. Not flagged either:
`gzip`/`zlib` readers (their Close releases nothing), HEAD responses (no body), a discarded
result when the code goes on only if the call failed (`_, err := os.Open(p); if err == nil {
t.Fatal(...) }`), and paths named as missing (`os.Open("nonexistent")`).

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
from linter.findings import Finding, Related
from linter.reporting import related, report
from linter.source import GoFile, Package

code = "GLK501"
name = "missing-close"
summary = "file, connection, response body, rows or transaction never closed"
level = "warning"
precision = "low"
tags = ("resource-leak", "file-descriptor")


@dataclass(frozen=True)
class Kind:
    """What was opened and how it is released. `body`: the release is on `v.Body`."""

    noun: str
    releases: tuple[str, ...] = ("Close",)
    body: bool = False

    def fix(self, var: str) -> str:
        if self.body:
            return f"defer {var}.Body.Close()"
        if "Rollback" in self.releases:
            return f"defer {var}.Rollback() (a no-op after Commit)"
        return f"defer {var}.{self.releases[0]}()"

    def closed(self) -> str:
        return "committed or rolled back" if "Rollback" in self.releases else "closed"


FILE = Kind("file")
CONNECTION = Kind("connection")
LISTENER = Kind("listener")
RESPONSE = Kind("response body", body=True)
ROWS = Kind("rows")
STATEMENT = Kind("prepared statement")
TRANSACTION = Kind("transaction", releases=("Commit", "Rollback"))
ARCHIVE = Kind("zip archive")
# Not gzip/zlib readers: their Close releases nothing and only repeats the error a Read
# already returned, so leaving one unclosed leaks nothing.

_PACKAGE_OPENERS = {
    **dict.fromkeys(("os.Open", "os.OpenFile", "os.Create", "os.CreateTemp"), FILE),
    "io/ioutil.TempFile": FILE,
    **dict.fromkeys(
        (
            "net.Dial",
            "net.DialTimeout",
            "net.DialTCP",
            "net.DialUDP",
            "net.DialUnix",
            "net.DialIP",
            "crypto/tls.Dial",
            "crypto/tls.DialWithDialer",
        ),
        CONNECTION,
    ),
    **dict.fromkeys(
        (
            "net.Listen",
            "net.ListenPacket",
            "net.ListenTCP",
            "net.ListenUDP",
            "net.ListenUnix",
            "net.ListenUnixgram",
            "net.ListenIP",
            "net.ListenMulticastUDP",
            "crypto/tls.Listen",
        ),
        LISTENER,
    ),
    # Not http.Head: a HEAD response has no body, and the transport recycles its
    # connection as soon as the headers are read.
    **dict.fromkeys(("net/http.Get", "net/http.Post", "net/http.PostForm"), RESPONSE),
    "archive/zip.OpenReader": ARCHIVE,
}

_OPENER_PACKAGES = frozenset(q.rpartition(".")[0] for q in _PACKAGE_OPENERS)

# Types whose values the package's own functions may return for the caller to close.
_RESOURCE_TYPES = {
    "os.File": FILE,
    **dict.fromkeys(
        (
            "net.Conn",
            "net.TCPConn",
            "net.UDPConn",
            "net.UnixConn",
            "net.IPConn",
            "crypto/tls.Conn",
            "database/sql.Conn",
        ),
        CONNECTION,
    ),
    **dict.fromkeys(
        ("net.Listener", "net.TCPListener", "net.UnixListener", "net.PacketConn"), LISTENER
    ),
    "net/http.Response": RESPONSE,
    "database/sql.Rows": ROWS,
    "database/sql.Stmt": STATEMENT,
    "database/sql.Tx": TRANSACTION,
    "archive/zip.ReadCloser": ARCHIVE,
}
# Not io.ReadCloser and friends: functions returning them are as often wrappers whose Close
# releases nothing (io.NopCloser, http.MaxBytesReader, httputil.NewChunkedWriter).

# Functions that use a reader or writer without taking it over (they never close it).
_BORROWERS = frozenset(
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
        *(f"fmt.{n}" for n in ("Fprint", "Fprintf", "Fprintln", "Fscan", "Fscanf", "Fscanln")),
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
_HANDLE_FREE_CALLS = frozenset({"len", "cap", "print", "println"})

_METHOD_CALL = re.compile(
    rb"\.(Dial|DialContext|Listen|ListenPacket|Do|Get|Post|PostForm|Query|QueryContext"
    rb"|Prepare|PrepareContext|Begin|BeginTx)\("
)
_FUNCTION_DECLARATION = re.compile(rb"^func[ \t]+(\w+)", re.M)

# Cheap byte-level hints: files without them cannot hold a candidate, so the tree is not
# walked for one (the rule must stay near the parse floor on large trees).
_DIAL_HINT = re.compile(rb"\.(?:Dial|DialContext|Listen|ListenPacket)\(")
_HTTP_HINT = re.compile(rb"\.(?:Do|Get|Post|PostForm)\(")
_SQL_HINT = re.compile(rb"\.(?:Query|QueryContext|Prepare|PrepareContext|Begin|BeginTx)\(")
_RESOURCE_TYPE_HINT = re.compile(
    rb"\.(?:File|Conn|TCPConn|UDPConn|UnixConn|IPConn|Listener|TCPListener|UnixListener"
    rb"|PacketConn|Response|Rows|Stmt|Tx|ReadCloser)\b"
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
        for qualified, call in semantic.calls_to(go_file, _PACKAGE_OPENERS):
            yield call, _PACKAGE_OPENERS[qualified], _short(qualified)
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
        return CONNECTION if receiver_is("net.Dialer", "crypto/tls.Dialer") else None
    if method in ("Listen", "ListenPacket"):
        return LISTENER if receiver_is("net.ListenConfig") else None
    if method in ("Do", "Get", "Post", "PostForm"):
        if var is None and not discarded:
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
    A test helper that registers the close itself (`t.Cleanup(func() { f.Close() })`), or
    returns what such a helper made, leaves its caller nothing to close."""
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
            kind = _RESOURCE_TYPES.get(semantic.type_name(go_file, first) or "")
            if kind is not None:
                found[semantic.function_name(go_file, function)] = (kind, go_file, function)
    cleaned = {n for n, (_, f, function) in found.items() if _closes_in_cleanup(f, function)}
    delegates = {n: _returned_callees(f, function) for n, (_, f, function) in found.items()}
    while True:
        more = {n for n, callees in delegates.items() if n not in cleaned and callees & cleaned}
        if not more:
            break
        cleaned |= more
    return {n: kind for n, (kind, _, _) in found.items() if n not in cleaned}


_CLEANUP = re.compile(rb"\.Cleanup\(")


def _closes_in_cleanup(go_file: GoFile, function: Node) -> bool:
    body = function.child_by_field_name("body")
    if body is None:
        return False
    text = go_file.data[body.start_byte : body.end_byte]
    for match in _CLEANUP.finditer(text):
        start = body.start_byte + match.start()
        node = go_file.root.descendant_for_byte_range(start + 1, start + 8)
        while node is not None and node.type != "call_expression":
            node = node.parent
        if node is not None and b".Close(" in go_file.data[node.start_byte : node.end_byte]:
            return True
    return False


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
    owned = bool(closes)
    handovers = [ref for ref in refs if _hands_over(package, go_file, function, ref, kind, owned)]
    releases = closes + handovers + semantic.nil_guards_around(go_file, closes, handle)
    exhausting = _exhausting_loops(go_file, refs, binding.statement) if kind is ROWS else []
    if not releases and not exhausting:
        if in_main and semantic.inside_loop(call) is None:
            return None
        when = " (one per loop iteration)" if semantic.inside_loop(call) is not None else ""
        return _report(
            go_file,
            call,
            f"the {kind.noun} {handle!r} from {opener} is never {kind.closed()}{when}; "
            f"add {kind.fix(var)} after the error check",
        )
    error_name = binding.extra_names[-1] if binding.extra_names else None
    if error_name == "_":
        error_name = None
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
    if any(e.kind is semantic.ExitKind.NEXT_ITERATION for e in exits) and _may_outlive_iteration(
        go_file, binding.statement
    ):
        exits = [e for e in exits if e.kind is not semantic.ExitKind.NEXT_ITERATION]
    if not exits:
        return None
    return _report(
        go_file,
        call,
        f"the {kind.noun} {handle!r} from {opener} is not {kind.closed()} on every path; "
        f"add {kind.fix(var)} right after the error check",
        [related(go_file, e.node, f"{e.how} leaves {handle!r} open") for e in exits],
    )


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
    """`for rows.Next() { ... }` with no break, on the straight path after the binding: when
    Next returns false the rows close themselves, so the loop's normal end releases them."""
    loops = []
    for ref in refs:
        selector = ref.parent
        call = selector.parent if selector is not None else None
        loop = call.parent if call is not None else None
        if (
            loop is None
            or loop.type != "for_statement"
            or call.type != "call_expression"
            or go_file.text(selector.child_by_field_name("field")) != "Next"
            or loop.child_by_field_name("body") == call
        ):
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


def _may_outlive_iteration(go_file: GoFile, binding: Node) -> bool:
    """The path walk cannot follow a `break` out of the loop, nor a variable declared outside
    the loop into the next iteration (`if w != nil { w.Close() }; w = open(...)`): with either,
    the value may be closed or handed over after the iteration, so "the next iteration leaves
    it open" is not claimed. Nor in a loop of a handful of literal iterations."""
    loop = semantic.inside_loop(binding)
    if loop is None:
        return False
    count = semantic.constant_iterations(go_file, loop)
    if count is not None and count <= semantic.SMALL_LOOP:
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
        if not (kind.body and field is not None and go_file.text(field) == "Body"):
            return False  # a method call or field read: using it, not handing it over
        node, parent = _same_value(parent)  # `rwc, ok := resp.Body.(io.ReadWriteCloser)`
        if parent is None or parent.type == "selector_expression":
            return False  # resp.Body.Read(...), resp.Body.Close()
    if parent.type == "argument_list":
        if _passed_to_owner(go_file, function, parent.parent, owned):
            return True
        return owned and _helper_closes(package, go_file, node, kind)
    if parent.type == "expression_list":
        holder = parent.parent
        if holder is None:
            return False
        if holder.type == "return_statement":
            return True
        if holder.type in ("assignment_statement", "short_var_declaration", "var_spec"):
            right = holder.child_by_field_name("right") or holder.child_by_field_name("value")
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


def _same_value(expr: Node) -> tuple[Node, Node | None]:
    """The outermost expression that is still the same value (through parentheses and
    `conn.(*tls.Conn)` assertions) and the node that uses it."""
    node = semantic.unparenthesized(expr)
    parent = node.parent
    while parent is not None and parent.type == "type_assertion_expression":
        node = semantic.unparenthesized(parent)
        parent = node.parent
    return node, parent


def _helper_closes(package: Package, go_file: GoFile, argument: Node, kind: Kind) -> bool:
    """`testPipe(t, r, w)` where the package's testPipe closes its `w` parameter: even a
    function that also closes the value itself hands it over here."""
    located = semantic.argument_index(argument)
    if located is None:
        return False
    call, index = located
    passes_body = argument.type == "selector_expression"
    for callee_file, callee in semantic.callee_declarations(package, go_file, call):
        parameter = semantic.parameter_for_argument(callee_file, callee, index)
        body = callee.child_by_field_name("body")
        if parameter is None or parameter[0] in ("", "_") or body is None:
            continue
        handle = f"{parameter[0]}.Body" if kind.body and not passes_body else parameter[0]
        if semantic.method_calls_on(callee_file, body, handle, kind.releases):
            return True
    return False


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


def _passed_to_owner(go_file: GoFile, function: Node, call: Node | None, owned: bool) -> bool:
    """A call the value is passed to may take ownership (a wrapper, a helper that closes)
    unless it is a known borrower. When the function closes the value itself, only a wrapper
    that is handed over in turn (or `append`) takes it."""
    callee = call.child_by_field_name("function") if call is not None else None
    if callee is None:
        return not owned
    if callee.type == "identifier":
        name = go_file.text(callee)
        if name == "append":
            return True
        if name in _HANDLE_FREE_CALLS:
            return False
    elif callee.type == "selector_expression":
        operand = callee.child_by_field_name("operand")
        import_path = go_file.imports.get(go_file.text(operand)) if operand is not None else None
        field = callee.child_by_field_name("field")
        if (
            import_path
            and field is not None
            and f"{import_path}.{go_file.text(field)}" in _BORROWERS
        ):
            return False
    return not owned or _wrapper_escapes(go_file, function, call)


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
