"""Openers: which calls in a file open a resource that someone must release, and what it is.

Three shapes, read from the tables in `resources`:

```go
f, err := os.Open(p)            // a package function by import path: "os.Open", FILE
rows, err := db.Query(q)        // a method, with evidence: "db.Query", ROWS
f, err := openLog(dir)          // the package's own function returning *os.File: "openLog"
```

A method opens something only with evidence: the receiver's declared type (`db` declared
`*sql.DB`, `pool` a `*pgxpool.Pool`), or how the result is used (`resp.Body`, `rows.Next()`
with `rows.Scan`, `tx.Commit()`). Unsure, it is not an opening (silence): an unknown `x.Get(u)`
whose result is never used as a response is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from tree_sitter import Node

from linter.semantic.bindings import Binding, binding_of
from linter.semantic.core import calls_to, calls_to_own, enclosing_function, method_calls_at
from linter.semantic.escapes import method_calls_on, references
from linter.semantic.facts import package_fact
from linter.semantic.ownership import UseKind, use_of
from linter.semantic.resources import METHOD_OPENERS, OPENERS, RESOURCE_TYPES, Resource
from linter.semantic.summaries import functions_returning
from linter.semantic.types import value_type_name
from linter.source import GoFile, Package, default_package_name


@dataclass(frozen=True)
class Opening:
    """A call that opens `resource`; `opener` is the name the call goes by, for messages
    (`os.Open`, `pgx.Connect` for github.com/jackc/pgx/v5, `client.Do`, `openLog`)."""

    call: Node
    resource: Resource
    opener: str


def resources_opened(package: Package, go_file: GoFile) -> Iterator[Opening]:
    """The calls in `go_file` that open a resource: package functions first, then methods,
    then the package's own functions, each in source order.

    ```go
    resp, err := http.Get(url)       // Opening(call, RESPONSE, "http.Get")
    conn, err := d.DialContext(ctx)  // CONNECTION when d is declared a net.Dialer
    ```
    """
    imported = {*go_file.imports.values(), *go_file.dot_imports}
    if imported & _OPENER_PACKAGES:
        for qualified, call in calls_to(go_file, OPENERS):
            yield Opening(call, OPENERS[qualified], _short(qualified))
    if _may_open_through_methods(go_file):
        for call, receiver, method in method_calls_at(go_file, _METHOD_CALL):
            resource = _opened_by_method(package, go_file, call, receiver, method)
            if resource is not None:
                yield Opening(call, resource, f"{go_file.text(receiver)}.{method}")
    constructors = _own_openers(package)
    if constructors:
        for name, call in calls_to_own(go_file, constructors):
            yield Opening(call, constructors[name], name)


_OPENER_PACKAGES = frozenset(q.rpartition(".")[0] for q in OPENERS)
_SQL_HANDLES = ("database/sql.DB", "database/sql.Tx", "database/sql.Conn")
_HTTP_METHODS = ("Do", "Get", "Post", "PostForm")

_METHOD_CALL = re.compile(
    rb"\.(Dial|DialContext|Listen|ListenPacket|Do|Get|Post|PostForm|Query|QueryContext"
    rb"|Prepare|PrepareContext|Begin|BeginTx|"
    + b"|".join(m.encode() for m in sorted(METHOD_OPENERS))
    + rb")\("
)

# Cheap byte-level hints: files without them cannot hold a method that opens something, so
# the tree is not walked for one (this must stay near the parse floor on large trees).
_DIAL_HINT = re.compile(rb"\.(?:Dial|DialContext|Listen|ListenPacket)\(")
_HTTP_HINT = re.compile(rb"\.(?:Do|Get|Post|PostForm)\(")
_SQL_HINT = re.compile(
    rb"\.(?:Query|QueryContext|Prepare|PrepareContext|Begin|BeginTx|Acquire|Conn|Queryx"
    rb"|QueryxContext|NamedQuery|NamedQueryContext|Preparex|PreparexContext|PrepareNamed"
    rb"|PrepareNamedContext|Beginx|BeginTxx|MustBegin|MustBeginTx)\("
)

# How each resource type is released, for the package's functions that return one.
_RELEASERS = frozenset(
    (spelled, resource.releases, "Body" if resource.body else "")
    for spelled, resource in RESOURCE_TYPES.items()
)


@package_fact
def _own_openers(package: Package) -> dict[str, Resource]:
    """The package's functions that return a resource for their caller to release, by name
    (`func openLog(...) (*os.File, error)`: "openLog")."""
    returning = functions_returning(package, _RELEASERS)
    return {name: RESOURCE_TYPES[spelled] for name, spelled in returning.items()}


def _may_open_through_methods(go_file: GoFile) -> bool:
    data = go_file.data
    if _DIAL_HINT.search(data):
        return True
    if _HTTP_HINT.search(data) and (b".Body" in data or "net/http" in go_file.imports.values()):
        return True
    return bool(_SQL_HINT.search(data))


def _opened_by_method(
    package: Package, go_file: GoFile, call: Node, receiver: Node, method: str
) -> Resource | None:
    """Dialers and listen configs by their declared type; HTTP and SQL methods by the
    receiver's type or the use of the result. Only a `(value, err)` result (or a discarded
    one, for HTTP) is a candidate at all."""
    if method in ("Dial", "DialContext"):
        dialers = ("net.Dialer", "crypto/tls.Dialer")
        return Resource.CONNECTION if _receiver_is(package, go_file, receiver, dialers) else None
    if method in ("Listen", "ListenPacket"):
        configs = ("net.ListenConfig",)
        return Resource.LISTENER if _receiver_is(package, go_file, receiver, configs) else None
    binding = binding_of(go_file, call)
    var = binding.name if binding.is_local and len(binding.extra_names) == 1 else None
    function = enclosing_function(call)
    scope = function.child_by_field_name("body") if function is not None else None
    if method in _HTTP_METHODS:
        return _response(package, go_file, receiver, binding, var, scope)
    if var is None:
        return None
    by_receiver = METHOD_OPENERS.get(method)
    if by_receiver:
        declared = value_type_name(go_file, package, receiver)
        if declared in by_receiver:
            return by_receiver[declared]  # `pool.Acquire(ctx)`, `tx.Query(ctx, q)`: pgx, sqlx
    return _sql(package, go_file, receiver, method, var, scope)


def _response(
    package: Package,
    go_file: GoFile,
    receiver: Node,
    binding: Binding,
    var: str | None,
    scope: Node | None,
) -> Resource | None:
    """`resp, err := c.Do(req)` then `resp.Body`, or `c` declared an `*http.Client`."""
    if var is None and not binding.is_discarded:
        return None
    if var is not None and scope is not None and _body_referenced(go_file, scope, var):
        return Resource.RESPONSE
    clients = ("net/http.Client",)
    return Resource.RESPONSE if _receiver_is(package, go_file, receiver, clients) else None


def _sql(
    package: Package, go_file: GoFile, receiver: Node, method: str, var: str, scope: Node | None
) -> Resource | None:
    """database/sql's rows, statements and transactions: by the receiver's declared type, or
    by what the result is used for (`rows.Next()` and `rows.Scan`, `stmt.Exec`, `tx.Commit`)."""

    def used(*methods: str) -> bool:
        return bool(var and scope and method_calls_on(go_file, scope, var, methods))

    def receiver_is(*types: str) -> bool:
        return _receiver_is(package, go_file, receiver, types)

    if method in ("Query", "QueryContext"):
        if used("Next") and used("Scan"):
            return Resource.ROWS
        return Resource.ROWS if receiver_is(*_SQL_HANDLES, "database/sql.Stmt") else None
    if method in ("Prepare", "PrepareContext"):
        statement_use = used("Exec", "ExecContext", "Query", "QueryContext", "QueryRow")
        if statement_use and "database/sql" in go_file.imports.values():
            return Resource.STATEMENT
        return Resource.STATEMENT if receiver_is(*_SQL_HANDLES) else None
    if method in ("Begin", "BeginTx"):
        if used("Commit", "Rollback"):
            return Resource.TRANSACTION
        return Resource.TRANSACTION if receiver_is(*_SQL_HANDLES) else None
    return None


def _receiver_is(package: Package, go_file: GoFile, receiver: Node, types: tuple[str, ...]) -> bool:
    """The receiver's declared type is one of `types`; `http.DefaultClient` is a client."""
    if go_file.text(receiver).endswith(".DefaultClient") and "net/http.Client" in types:
        return True
    return value_type_name(go_file, package, receiver) in types


def _body_referenced(go_file: GoFile, scope: Node, var: str) -> bool:
    """`resp.Body` somewhere: the result is an HTTP response."""
    uses = (use_of(go_file, ref) for ref in references(go_file, scope, var))
    return any(use.kind is UseKind.FIELD and use.name == "Body" for use in uses)


def _short(qualified: str) -> str:
    """`pgx.Connect` for github.com/jackc/pgx/v5.Connect: the name the package goes by."""
    path, _, name = qualified.rpartition(".")
    return f"{default_package_name(path)}.{name}"
