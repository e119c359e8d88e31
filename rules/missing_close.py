"""## What it does
Flags a resource opened in a function that is neither closed (called or deferred, including
`defer func() { _ = f.Close() }()`) on every path out of the function, nor handed over
(returned, stored, sent, captured by a goroutine, or passed to a function that may take
ownership). Resources: files (`os.Open`, `OpenFile`, `Create`, `CreateTemp`), connections and
listeners (`net.Dial*`, `net.Listen*`, `tls.Dial`, `(&net.Dialer{}).DialContext`), HTTP
responses (`http.Get/Post/PostForm/Head`, `client.Do/Get/Post`: the `Body` must be closed),
`database/sql` rows (`Query`), prepared statements (`Prepare`) and transactions (`Begin`: Commit
or Rollback), `zip.OpenReader`, `gzip.NewReader`, and the package's own functions that return
one of these (`func openLog(...) (*os.File, error)`), wherever they are called in the package.

Correct idioms are understood: the `if err != nil { return }` guard (also `os.IsNotExist(err)`,
`errors.Is(err, ...)`) before the close, `return f, nil`, `io.ReadAll(resp.Body)` followed by
the close, a helper that receives `resp` or `resp.Body` and closes it, `return tx.Commit()`.
Passing the value to a function counts as a hand-over only when the function itself never
closes it, or when what the call returns is handed over in turn (`conn := tls.Client(raw,
cfg)`, then `return conn, nil`); the readers and writers of the standard library (`io.Copy`,
`bufio.NewScanner`, `json.NewDecoder`, ...) only borrow it. A deferred closure registered
before the value was bound (`defer func() { if f != nil { f.Close() } }()`) is trusted with
it. Exits from `main` are not flagged: the process ends. An unclosed `gzip`/`zlib` reader is
a `note`: its Close releases no descriptor, it only reports a truncated stream.

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
from linter.findings import Finding, Related, related, report
from linter.source import GoFile, Package

code = "GLK501"
name = "missing-close"
summary = "file, connection, response body, rows or transaction never closed"
level = "warning"
precision = "medium"
tags = ("resource-leak", "file-descriptor")


@dataclass(frozen=True)
class Kind:
    """What was opened and how it is released. `body`: the release is on `v.Body`."""

    noun: str
    releases: tuple[str, ...] = ("Close",)
    body: bool = False
    # Set when leaving it unclosed holds no OS resource: reported as a note, saying why.
    harmless: str = ""

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
DECOMPRESSOR = Kind(
    "decompressing reader",
    harmless="its Close holds no descriptor, but reports a truncated or corrupt stream",
)

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
    **dict.fromkeys(
        ("net/http.Get", "net/http.Post", "net/http.PostForm", "net/http.Head"), RESPONSE
    ),
    "archive/zip.OpenReader": ARCHIVE,
    "compress/gzip.NewReader": DECOMPRESSOR,
    "compress/zlib.NewReader": DECOMPRESSOR,
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
    "compress/gzip.Reader": DECOMPRESSOR,
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
    rb"\.(Dial|DialContext|Listen|ListenPacket|Do|Get|Post|PostForm|Head|Query|QueryContext"
    rb"|Prepare|PrepareContext|Begin|BeginTx)\("
)
_FUNCTION_DECLARATION = re.compile(rb"^func[ \t]+(\w+)", re.M)

# Cheap byte-level hints: files without them cannot hold a candidate, so the tree is not
# walked for one (the rule must stay near the parse floor on large trees).
_DIAL_HINT = re.compile(rb"\.(?:Dial|DialContext|Listen|ListenPacket)\(")
_HTTP_HINT = re.compile(rb"\.(?:Do|Get|Post|PostForm|Head)\(")
_SQL_HINT = re.compile(rb"\.(?:Query|QueryContext|Prepare|PrepareContext|Begin|BeginTx)\(")
_RESOURCE_TYPE_HINT = re.compile(
    rb"\.(?:File|Conn|TCPConn|UDPConn|UnixConn|IPConn|Listener|TCPListener|UnixListener"
    rb"|PacketConn|Response|Rows|Stmt|Tx|ReadCloser|Reader)\b"
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
            if callee is not None and callee.type == "identifier":
                name = go_file.text(callee)
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
    if method in ("Do", "Get", "Post", "PostForm", "Head"):
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


def _package_constructors(package: Package) -> dict[str, Kind]:
    """The package's functions whose first result is a resource the caller must close,
    found from `func name(` at the start of a line (a descent per declaration, not a walk)."""
    cached = package.__dict__.get("_missing_close_constructors")
    if cached is not None:
        return cached
    result: dict[str, Kind] = {}
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
                result[semantic.function_name(go_file, function)] = kind
    package.__dict__["_missing_close_constructors"] = result
    return result


def _constructor_calls(package: Package) -> re.Pattern[bytes] | None:
    names = _package_constructors(package)
    if not names:
        return None
    alternatives = b"|".join(re.escape(n.encode()) for n in sorted(names))
    return re.compile(rb"(?<![\w.])(" + alternatives + rb")\s*\(")


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
        return _report(
            go_file,
            call,
            kind,
            f"the {kind.noun} from {opener} is discarded, so it can never be {kind.closed()}",
        )
    if binding.kind != "local" or not semantic.is_block_statement(binding.statement):
        return None  # stored, returned, passed on, or bound in an if/switch header
    var = binding.name
    if var in _named_results(go_file, function):
        return None  # `f, err = os.Open(p)` into a named result: returned to the caller
    body = function.child_by_field_name("body")
    refs = [
        r
        for r in semantic.references(go_file, body, var)
        if r.start_byte > binding.statement.end_byte
    ]
    if any(_in_outliving_closure(ref, function) for ref in refs):
        return None  # a goroutine or callback uses it: it decides when to close
    handle = f"{var}.Body" if kind.body else var
    closes = semantic.method_calls_on(go_file, body, handle, kind.releases)
    if semantic.used_by_earlier_deferred_closure(go_file, function, var, binding.statement):
        return None  # `defer func() { if f != nil { f.Close() } }()` above: sees the last value
    owned = bool(closes)
    handovers = [ref for ref in refs if _hands_over(go_file, function, ref, kind, owned)]
    releases = closes + handovers + _nil_checks_around(go_file, closes, var)
    if not releases:
        if in_main and semantic.inside_loop(call) is None:
            return None
        when = " (one per loop iteration)" if semantic.inside_loop(call) is not None else ""
        return _report(
            go_file,
            call,
            kind,
            f"the {kind.noun} {handle!r} from {opener} is never {kind.closed()}{when}; "
            f"add {kind.fix(var)} after the error check",
        )
    error_name = binding.extra_names[-1] if binding.extra_names else None
    if error_name == "_":
        error_name = None
    exits = semantic.exits_without_release(
        go_file, function, binding.statement, releases, error_name
    )
    if in_main:
        exits = [e for e in exits if e.how == "the next loop iteration"]
    if any(e.how == "the next loop iteration" for e in exits) and _may_outlive_iteration(
        go_file, binding.statement
    ):
        exits = [e for e in exits if e.how != "the next loop iteration"]
    if not exits:
        return None
    return _report(
        go_file,
        call,
        kind,
        f"the {kind.noun} {handle!r} from {opener} is not {kind.closed()} on every path; "
        f"add {kind.fix(var)} right after the error check",
        [related(go_file, e.node, f"{e.how} leaves {handle!r} open") for e in exits],
    )


def _report(
    go_file: GoFile, call: Node, kind: Kind, message: str, where: list[Related] | None = None
) -> Finding:
    if kind.harmless:
        note = f"{message} (a note: {kind.harmless})"
        return report(go_file, call, note, where or [], level="note")
    return report(go_file, call, message, where or [])


def _nil_checks_around(go_file: GoFile, closes: list[Node], var: str) -> list[Node]:
    """`if resp != nil { defer resp.Body.Close() }`: when the check fails there is nothing to
    close, so the condition itself stands for the release on both branches."""
    checks = []
    for close in closes:
        node = close.parent
        while node is not None and node.type not in ("if_statement", *semantic.FUNCTION_TYPES):
            node = node.parent
        if node is None or node.type != "if_statement":
            continue
        condition = node.child_by_field_name("condition")
        consequence = node.child_by_field_name("consequence")
        text = go_file.text(condition).replace(" ", "") if condition is not None else ""
        if (
            text in (f"{var}!=nil", f"nil!={var}")
            and consequence is not None
            and semantic.is_inside(close, consequence)
        ):
            checks.append(condition)
    return checks


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


def _hands_over(go_file: GoFile, function: Node, ref: Node, kind: Kind, owned: bool) -> bool:
    """Does this use give the value (or, for a response, its Body) to someone else?"""
    node = semantic.unparenthesized(ref)
    parent = node.parent
    while parent is not None and parent.type == "type_assertion_expression":
        node = semantic.unparenthesized(parent)  # `tlsConn := conn.(*tls.Conn)`: the same value
        parent = node.parent
    if parent is None:
        return False
    if parent.type == "selector_expression":
        field = parent.child_by_field_name("field")
        if not (kind.body and field is not None and go_file.text(field) == "Body"):
            return False  # a method call or field read: using it, not handing it over
        node = semantic.unparenthesized(parent)
        parent = node.parent
        if parent is None or parent.type == "selector_expression":
            return False  # resp.Body.Read(...), resp.Body.Close()
    if parent.type == "argument_list":
        return _passed_to_owner(go_file, function, parent.parent, owned)
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
