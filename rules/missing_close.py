"""## What it does
Flags a resource opened in a function that is neither released on every path out of it
(called or deferred, also `defer func() { _ = f.Close() }()`) nor handed over (returned,
stored, sent, given to a goroutine, or passed to a function that may take ownership).
Resources: files (`os.Open`, `OpenFile`, `Create`, `CreateTemp`), connections and listeners
(`net.Dial*`, `net.Listen*`, `tls.Dial`, `(&net.Dialer{}).DialContext`), HTTP responses
(`http.Get/Post/PostForm`, `client.Do/Get/Post`: the `Body` must be closed or read to its
end), `database/sql` rows (`Query`), prepared statements (`Prepare`), transactions (`Begin`:
Commit or Rollback) and connections (`db.Conn(ctx)`), `zip.OpenReader`, test servers
(`httptest.NewServer`); by import path, gRPC client connections (`grpc.Dial`, `DialContext`,
`NewClient`), pgx connections (`pgx.Connect`), rows (`Query`), transactions (`Begin`) and
pooled connections (`pool.Acquire`: `Release`), sqlx rows, statements and transactions
(`Queryx`, `Preparex`, `PrepareNamed`, `Beginx`); and the package's own functions that
return one of these (`func openLog(...) (*os.File, error)`), wherever the package calls them.

Not flagged:
- the error guard before the close (`if err != nil { return }`, also `os.IsNotExist(err)`,
  `errors.Is(err, ...)`, `if resp == nil { return }`), `return f, nil`, `return tx.Commit()`;
- a body read to its end (`io.ReadAll(resp.Body)`, `io.Copy(io.Discard, resp.Body)`: the
  connection goes back); rows that are exhausted, by a `for rows.Next()` loop run to its end
  or a test's `require.False(t, rows.Next())`; rows or a transaction from `QueryContext` or
  `BeginTx` whose context is cancelled (`defer cancel()`: database/sql closes the rows and
  rolls the transaction back);
- a release handed on as a method value (`t.Cleanup(srv.Close)`, `return url, srv.Close`),
  or left to a deferred closure registered before the value was bound (`defer func() { if f
  != nil { f.Close() } }()`);
- a value passed to a function of the package that closes or keeps it (judged by its
  summary, through the calls it makes; `summarize(resp)`, which only reads the status, leaves
  it with the caller), or to a call we cannot see into; but formatting, logging, `errors` and
  `strings` functions and the standard library's readers and writers (`io.Copy`,
  `bufio.NewScanner`, `json.NewDecoder`, ...) only borrow it, as does `_ = f`, while
  `log.New(f, ...)` keeps it. Where the function closes the value itself, only a wrapper that
  is handed over in turn (`conn := tls.Client(raw, cfg)`, then `return conn, nil`) takes it;
- what a package function closes before returning it (`defer f.Close()` before `return f,
  nil`, for callers that only read `f.Name()` or `resp.Header`; a test helper's
  `t.Cleanup(func() { f.Close() })`);
- exits from `main` (the process ends); a value whose function never leaves after opening it
  (a worker whose `for { ... }` ends only in a `panic`); what `init`, or a function only run
  through a package-level `sync.Once`, opens and keeps for the process; the error returns of
  a package function whose every caller ends the program or test on its error (`if err :=
  writeKey(p); err != nil { log.Fatal(err) }`);
- `gzip`/`zlib` readers (their Close releases nothing), HEAD responses (no body), a result
  discarded where the code goes on only if the call failed (`_, err := os.Open(p); if err ==
  nil { t.Fatal(...) }`), a call in a closure given to `require.Panics`, and paths named as
  missing (`os.Open("nonexistent")`).

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
from linter.source import GoFile, Package

code = "GLK501"
name = "missing-close"
summary = "file, connection, response body, rows or transaction never closed"
level = "warning"
precision = "medium"
default = False
tags = ("resource-leak", "file-descriptor")

Resource = semantic.Resource  # what was opened, how it is released, and the words for it

# A path that names its own absence: tests open it only to look at the error.
_MISSING_PATH = re.compile(
    r"non[-_]?exist|not[-_]?exist|does[-_]?not[-_]?exist|doesnt[-_]?exist|no[-_]?such", re.I
)


def check(package: Package) -> Iterator[Finding]:
    for go_file in package.files:
        for opening in semantic.resources_opened(package, go_file):
            finding = _check_resource(package, go_file, opening)
            if finding is not None:
                yield finding


def _check_resource(package: Package, go_file: GoFile, opening: semantic.Opening) -> Finding | None:
    call, kind = opening.call, opening.resource
    function = semantic.enclosing_function(call)
    if function is None:
        return None  # a package-level resource lives as long as the program
    if kind is Resource.FILE and _names_missing_path(go_file, call):
        return None  # `os.Open("no-such-file")`: opened to get the error, there is no file
    binding = semantic.binding_of(go_file, call)
    if semantic.fills_outer_variable(go_file, function, binding):
        return None  # a closure fills a variable of its enclosing function, which owns it
    overwrite = _rebound_before_release(go_file, binding)
    if overwrite is not None:
        return _overwritten(go_file, opening, binding, overwrite)
    cancels = semantic.cancels_ending(go_file, function, call, kind)
    if any(semantic.is_deferred(c) for c in cancels):
        return None  # `defer cancel()` of its context ends the rows or transaction
    check = _release_check(package, go_file, function, binding, kind, cancels)
    in_main = semantic.is_main_function(package, go_file, function)
    once_in_main = in_main and semantic.inside_loop(call) is None
    if check.verdict is semantic.Verdict.DISCARDED:
        if once_in_main or semantic.continues_only_on_failure(go_file, function, binding):
            return None  # main's exit ends the process; or a call expected to fail
        if semantic.expected_to_panic(go_file, call):
            return None  # `require.Panics(t, func() { pgx.ConnectConfig(ctx, bad) })`
        return _discarded(go_file, opening)
    if check.verdict is semantic.Verdict.NEVER_RELEASED:
        if once_in_main or not check.exits:
            return None  # main's exit ends the process; or nothing leaves after it: held
        if semantic.inside_loop(call) is None and _held_for_the_process(package, go_file, function):
            return None  # opened once (init, a package sync.Once) and held for the process
        return _never_closed(go_file, opening, binding)
    exits = _exits_left_open(package, go_file, function, binding, check.exits, in_main)
    return _not_always_closed(go_file, opening, binding, exits) if exits else None


def _release_check(
    package: Package,
    go_file: GoFile,
    function: Node,
    binding: semantic.Binding,
    kind: Resource,
    cancels: list[Node],
) -> semantic.ReleaseCheck:
    """Where the value goes and which exits leave it unreleased: released by `_releases` or
    by cancelling its context, handed over on a path, or (rows) exhausted by a loop."""
    through = "Body" if kind.body else None
    return semantic.release_check(
        go_file,
        function,
        binding,
        lambda refs: _releases(go_file, function, binding, kind, refs) + cancels,
        hands_over=lambda ref, owned: semantic.hands_over_on_path(
            package, go_file, function, ref, owned, kind.releases, through
        ),
        ends=(lambda refs: semantic.exhausting_loops(go_file, refs, binding.statement))
        if kind is Resource.ROWS
        else None,
    )


def _releases(
    go_file: GoFile,
    function: Node,
    binding: semantic.Binding,
    kind: Resource,
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
    if kind is Resource.ROWS:
        closes += semantic.asserted_exhausted(go_file, refs)
    return closes + semantic.nil_guards_around(go_file, closes, handle)


def _exits_left_open(
    package: Package,
    go_file: GoFile,
    function: Node,
    binding: semantic.Binding,
    exits: list[semantic.Exit],
    in_main: bool,
) -> list[semantic.Exit]:
    """The exits that leave the value open and outlive it: in `main` only the next loop
    iteration (its other exits end the process); not the error returns every caller ends the
    program on; not the next iteration when the value may outlive it (kept by a goroutine)."""
    next_iteration = semantic.ExitKind.NEXT_ITERATION
    exits = [e for e in exits if not in_main or e.kind is next_iteration]
    exits = semantic.exits_outlived(package, go_file, function, exits)
    if any(e.kind is next_iteration for e in exits) and semantic.may_outlive_iteration(
        package, go_file, binding.statement
    ):
        exits = [e for e in exits if e.kind is not next_iteration]
    return exits


# ---------------------------------------------------------------------------------------------
# Idioms


def _names_missing_path(go_file: GoFile, call: Node) -> bool:
    """`os.Open("testdata/nonexistent")`: the path names its own absence."""
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
    """`func init()`, or a function only run through a package-level `sync.Once`: what it
    opens and keeps is meant to last as long as the process (a shared test server, a debug
    listener)."""
    return semantic.is_init_function(go_file, function) or semantic.run_by_package_once(
        package, go_file, function
    )


# ---------------------------------------------------------------------------------------------
# Messages


def _discarded(go_file: GoFile, opening: semantic.Opening) -> Finding:
    kind = opening.resource
    return report(
        go_file,
        opening.call,
        f"the {kind.noun} from {opening.opener} is discarded, so it can never be {kind.closed}",
    )


def _never_closed(go_file: GoFile, opening: semantic.Opening, binding: semantic.Binding) -> Finding:
    kind, var = opening.resource, binding.name
    when = " (one per loop iteration)" if semantic.inside_loop(opening.call) is not None else ""
    return report(
        go_file,
        opening.call,
        f"the {kind.noun} {kind.handle(var)!r} from {opening.opener} is never {kind.closed}"
        f"{when}; add {kind.fix.format(var)}{_after_check(binding, '')}",
    )


def _overwritten(
    go_file: GoFile, opening: semantic.Opening, binding: semantic.Binding, overwrite: Node
) -> Finding:
    kind, var = opening.resource, binding.name
    line = overwrite.start_point[0] + 1
    return report(
        go_file,
        opening.call,
        f"the {kind.noun} {kind.handle(var)!r} from {opening.opener} is lost when {var} is "
        f"assigned again at line {line}, before it is {kind.closed}; add "
        f"{kind.fix.format(var)} before reusing {var}",
        [related(go_file, overwrite, f"{var} gets another value here")],
    )


def _not_always_closed(
    go_file: GoFile,
    opening: semantic.Opening,
    binding: semantic.Binding,
    exits: list[semantic.Exit],
) -> Finding:
    kind, var = opening.resource, binding.name
    handle = kind.handle(var)
    return report(
        go_file,
        opening.call,
        f"the {kind.noun} {handle!r} from {opening.opener} is not {kind.closed} on every path; "
        f"add {kind.fix.format(var)}{_after_check(binding, 'right ')}",
        [related(go_file, e.node, f"{e.how} leaves {handle!r} open") for e in exits],
    )


def _after_check(binding: semantic.Binding, right: str) -> str:
    """Where the fix goes: after the error check, when the opener returns an error."""
    if binding.extra_names and binding.extra_names[-1] != "_":
        return f" {right}after the error check"
    return " right after opening it"
