"""Resources: what a call opens that someone must close, by import path, for every rule.

One table for the standard library and the well-known third-party packages, read by the
qualified name of a package function (`os.Open`, `google.golang.org/grpc.NewClient`), by
the declared type a package's own function returns (`*os.File`), or by a method and the
declared type of its receiver (`(*pgx.Conn).Query`):

```go
f, err := os.Open(p)                    // FILE: Close
conn, err := grpc.NewClient(target)     // CONNECTION: Close
rows, err := pool.Query(ctx, q)         // ROWS: Close (pool declared *pgxpool.Pool)
c, err := pool.Acquire(ctx)             // POOLED_CONNECTION: Release
srv := httptest.NewServer(h)            // TEST_SERVER: Close
```

Import paths are the ones the file names after `source.canonical_import_path` (vendored
copies count as the package they copy).
"""

from __future__ import annotations

from enum import Enum


class Resource(Enum):
    """What was opened, the methods that release it (any one; called on `v.Body` when
    `body`), and the words for it: `closed` for messages, `fix` formatted with the
    variable's name."""

    FILE = ("file",)
    CONNECTION = ("connection",)
    LISTENER = ("listener",)
    RESPONSE = ("response body", ("Close",), True, "closed", "defer {}.Body.Close()")
    ROWS = ("rows",)
    STATEMENT = ("prepared statement",)
    TRANSACTION = (
        "transaction",
        ("Commit", "Rollback"),
        False,
        "committed or rolled back",
        "defer {}.Rollback() (a no-op after Commit)",
    )
    ARCHIVE = ("zip archive",)
    POOLED_CONNECTION = ("pooled connection", ("Release",), False, "released", "defer {}.Release()")
    TEST_SERVER = ("test server",)
    # Not gzip/zlib readers: their Close releases nothing and only repeats the error a Read
    # already returned, so leaving one unclosed leaks nothing.

    def __init__(
        self,
        noun: str,
        releases: tuple[str, ...] = ("Close",),
        body: bool = False,
        closed: str = "closed",
        fix: str = "defer {}.Close()",
    ) -> None:
        self.noun = noun
        self.releases = releases
        self.body = body
        self.closed = closed
        self.fix = fix

    def handle(self, var: str) -> str:
        """What is released: `resp.Body` for a response, else the variable."""
        return f"{var}.Body" if self.body else var


_PGX = ("github.com/jackc/pgx/v4", "github.com/jackc/pgx/v5")
_PGXPOOL = tuple(f"{p}/pgxpool" for p in _PGX)
_SQLX = "github.com/jmoiron/sqlx"

# Package functions that open a resource.
OPENERS: dict[str, Resource] = {
    **dict.fromkeys(("os.Open", "os.OpenFile", "os.Create", "os.CreateTemp"), Resource.FILE),
    "io/ioutil.TempFile": Resource.FILE,
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
            *(f"google.golang.org/grpc.{f}" for f in ("Dial", "DialContext", "NewClient")),
            *(f"{p}.{f}" for p in _PGX for f in ("Connect", "ConnectConfig")),
        ),
        Resource.CONNECTION,
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
        Resource.LISTENER,
    ),
    # Not http.Head: a HEAD response has no body, and the transport recycles its
    # connection as soon as the headers are read.
    **dict.fromkeys(("net/http.Get", "net/http.Post", "net/http.PostForm"), Resource.RESPONSE),
    "archive/zip.OpenReader": Resource.ARCHIVE,
    **dict.fromkeys(
        (f"net/http/httptest.{f}" for f in ("NewServer", "NewTLSServer", "NewUnstartedServer")),
        Resource.TEST_SERVER,
    ),
    # Not sql.Open, pgxpool.New or sqlx.Connect: a pool is made once and lives with the
    # program; the leak is in what is taken from it.
}

# Types whose values the package's own functions may return for the caller to release.
RESOURCE_TYPES: dict[str, Resource] = {
    "os.File": Resource.FILE,
    **dict.fromkeys(
        (
            "net.Conn",
            "net.TCPConn",
            "net.UDPConn",
            "net.UnixConn",
            "net.IPConn",
            "crypto/tls.Conn",
            "database/sql.Conn",
            "google.golang.org/grpc.ClientConn",
            *(f"{p}.Conn" for p in _PGX),
        ),
        Resource.CONNECTION,
    ),
    **dict.fromkeys(
        ("net.Listener", "net.TCPListener", "net.UnixListener", "net.PacketConn"),
        Resource.LISTENER,
    ),
    "net/http.Response": Resource.RESPONSE,
    **dict.fromkeys(
        ("database/sql.Rows", *(f"{p}.Rows" for p in _PGX), f"{_SQLX}.Rows"), Resource.ROWS
    ),
    **dict.fromkeys(
        ("database/sql.Stmt", f"{_SQLX}.Stmt", f"{_SQLX}.NamedStmt"), Resource.STATEMENT
    ),
    **dict.fromkeys(
        ("database/sql.Tx", *(f"{p}.Tx" for p in _PGX), f"{_SQLX}.Tx"), Resource.TRANSACTION
    ),
    "archive/zip.ReadCloser": Resource.ARCHIVE,
    **dict.fromkeys((f"{p}.Conn" for p in _PGXPOOL), Resource.POOLED_CONNECTION),
    "net/http/httptest.Server": Resource.TEST_SERVER,
}
# Not io.ReadCloser and friends: functions returning them are as often wrappers whose Close
# releases nothing (io.NopCloser, http.MaxBytesReader, httputil.NewChunkedWriter).

_PGX_QUERIERS = (
    *(f"{p}.{t}" for p in _PGX for t in ("Conn", "Tx")),
    *(f"{p}.{t}" for p in _PGXPOOL for t in ("Pool", "Conn", "Tx")),
)
_SQLX_HANDLES = tuple(f"{_SQLX}.{t}" for t in ("DB", "Tx", "Conn"))

# Methods that open a resource, by method name and the declared type of the receiver.
METHOD_OPENERS: dict[str, dict[str, Resource]] = {
    "Query": dict.fromkeys(_PGX_QUERIERS, Resource.ROWS),
    "Begin": dict.fromkeys(_PGX_QUERIERS, Resource.TRANSACTION),
    "BeginTx": dict.fromkeys(_PGX_QUERIERS, Resource.TRANSACTION),
    "Acquire": dict.fromkeys((f"{p}.Pool" for p in _PGXPOOL), Resource.POOLED_CONNECTION),
    "Conn": {"database/sql.DB": Resource.CONNECTION},
    **dict.fromkeys(
        ("Queryx", "QueryxContext", "NamedQuery", "NamedQueryContext"),
        dict.fromkeys(_SQLX_HANDLES, Resource.ROWS),
    ),
    **dict.fromkeys(
        ("Preparex", "PreparexContext", "PrepareNamed", "PrepareNamedContext"),
        dict.fromkeys(_SQLX_HANDLES, Resource.STATEMENT),
    ),
    **dict.fromkeys(
        ("Beginx", "BeginTxx", "MustBegin", "MustBeginTx"),
        dict.fromkeys((f"{_SQLX}.DB", f"{_SQLX}.Conn"), Resource.TRANSACTION),
    ),
}
