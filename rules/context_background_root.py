"""## What it does
Flags `context.Background()` and `context.TODO()` in a function that already has a context at
hand: a `context.Context` parameter or receiver, an `*http.Request` parameter (whose
`Context()` is the request's), or either of those captured from an enclosing function by a
closure. Not flagged in `main`, `init`, test bodies (`TestXxx`/`BenchmarkXxx`/`FuzzXxx`/
`ExampleXxx`, or a test-file function taking a `*testing.T`/`B`/`F` or a `testing.TB`
helper handle), package-level
initialisers, functions with no context in scope, or functions whose context parameter is
unnamed, `_`, or `_ctx` that the body never uses (a deliberate "I do not use it").

The same root made one call away is flagged at the call: an unexported helper that takes
no context but makes a root flowing into work (`func (c *catalog) loadPrices() error {
return c.get(context.TODO(), "/prices") }`, also through further helpers), when every
caller of it in the package has a context at hand (or is such a helper itself). The call
is reported where the context is at hand, with the root as a related location (a helper
that makes the root only through further helpers once, at its first such call, with the
number of the others: one line to fix, however many handlers reach it). A helper
also called without a context (a start-up hook, `main`, a test), an exported one (an API
its callers chose), a test file's helper, and calls that run apart from their caller (`go
c.refresh()`, a deferred call or a callback) are left alone.

Deliberate detachment for bounded clean-up work is left alone, because it is a real idiom:
- `context.WithTimeout(context.Background(), d)` / `WithDeadline`: the new root has its own
  deadline, so nothing below it can outlive the timeout (the graceful-shutdown idiom);
- code in a deferred call or deferred closure, in a `context.AfterFunc` callback, in a
  `case <-ctx.Done():` arm, or under an `if ctx.Err() != nil` / `errors.Is(err,
  context.Canceled)` check: it runs when the caller's context is over, so it cannot use it;
- `if ctx == nil { ctx = context.Background() }`: a default for a missing context;
- in a handler that hijacks its connection (`hj.Hijack()`, a websocket `Upgrade(w, r, ...)`),
  a root cancelled by a `defer` in the handler: after the hijack `r.Context()` no longer
  follows the client either, it ends when the handler returns, as this root does;
- clean-up that must go through even when the caller's context is over (the failure may be
  its deadline): a call named for it (`tx.Rollback(context.Background())`, `Unlock`,
  `Release`) or one that runs a `ROLLBACK` statement (not `Close` or `Shutdown`, which may
  wait on others without bound);
- a root owned by an object: stored in a field (`s.ctx, s.cancel =
  context.WithCancel(context.Background())`) or a composite literal (a values-only context
  type embedding `context.Background()`), or derived with `context.With*` and its context or
  cancel handed to an object or returned (`return &conn{cancel: cancel}`, `return ctx,
  cancel`), or given to a constructor whose object is returned or stored (`return
  NewWatcher(context.Background(), d), nil`: the object must outlive the request that made
  it), kept in a variable rewrapped on the way (`c := context.Background(); c =
  withConfig(c, ctx)`), given to the goroutine of an object returned or stored (`go
  b.loop(context.Background())` before `return b`), or used in a closure such an object
  keeps (`f.renew = NewRenewer(d, func() error { return f.auth(context.Background()) })`);
  its owner decides its lifetime and ends it;
- a root that starts nothing: only compared (`if ctx != context.Background()`), passed to a
  logger (`logger.InfoContext(context.Background(), ...)`, `zerolog.Ctx(...)`: logging
  neither blocks nor spawns), read for its values (`trace.SpanFromContext(...)`,
  `requestCount.Add(context.Background(), 1)`, `context.Background().Value(k)`), passed to
  a package function that only logs with its context (`bugLogIf(context.Background(),
  err)` where `bugLogIf` calls `logger.LogIf(ctx, ...)`), returned
  by a function whose one result is the context to use (`return context.Background()` in
  `func (c *Client) context(ctx) context.Context`), or derived and cancelled on the next
  line (`c, cancel := context.WithCancel(...); cancel()`).

The finding is at the `context.Background()`/`TODO()` call that makes the root, also when it
is put in a variable first (`ctx = context.Background()`, then `f(ctx)`); contextcheck
reports the call it flows into instead.

**Default and scope (measured, docs/precision-audit.md).** Opt-in: on eleven held-out
projects 15 of 45 decided findings were real; most roots it flags are deliberate
detachment (clean-up and commits that must finish, logging, long-lived objects) that a
syntactic rule cannot tell from a dropped context.

## Why is this bad
Cancellation flows down the context tree. A new root cuts the work below it off from its
caller: when the request is cancelled or times out, the queries, RPCs, goroutines and timers
started under `context.Background()` keep running (a stuck dependency holds them forever),
and each abandoned request leaves them behind. Under load they pile up as leaked goroutines
and held connections.

## Example
```go
func (s *Server) handleOrder(w http.ResponseWriter, r *http.Request) {
        order, err := s.store.Load(context.Background(), r.URL.Query().Get("id"))
        if err != nil {
                http.Error(w, err.Error(), http.StatusInternalServerError)
                return
        }
        go s.audit.Record(context.TODO(), order)
        writeJSON(w, order)
}
```

## Use instead
```go
func (s *Server) handleOrder(w http.ResponseWriter, r *http.Request) {
        ctx := r.Context()
        order, err := s.store.Load(ctx, r.URL.Query().Get("id"))
        if err != nil {
                http.Error(w, err.Error(), http.StatusInternalServerError)
                return
        }
        // Work that must outlive the request keeps its values, drops its cancellation,
        // and gets a deadline of its own (Go 1.21+).
        auditCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
        go func() {
                defer cancel()
                s.audit.Record(auditCtx, order)
        }()
        writeJSON(w, order)
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

code = "GLK401"
name = "context-background-root"
summary = "context.Background()/TODO() where a caller's context is at hand"
level = "warning"
precision = "low"
default = False
tags = ("goroutine-leak", "context")

_ROOTS = ("context.Background", "context.TODO")
_BOUNDED_PARENTS = frozenset(
    {
        "context.WithTimeout",
        "context.WithTimeoutCause",
        "context.WithDeadline",
        "context.WithDeadlineCause",
    }
)
# `*testing.T` and friends, or the `testing.TB` interface helpers take (pointers looked through).
_TESTING_HANDLES = frozenset({"testing.T", "testing.B", "testing.F", "testing.TB"})
_TEST_ENTRY_RE = re.compile(r"^(Test|Benchmark|Fuzz|Example)")
# A condition that holds only once a context is over: ctx.Err() != nil, errors.Is(err,
# context.Canceled), ctx.Err() == context.DeadlineExceeded, ...
_AFTER_DONE_RE = re.compile(r"\.Err\(\)\s*!=\s*nil|\bCanceled\b|\bDeadlineExceeded\b")
_DONE_RECEIVE_RE = re.compile(r"^<-\s*[\w.()]*\bDone\(\)$")


# Parameter types that carry the caller's context, by (type, is a pointer), and how to get
# it from a parameter named `{}`.
def check(package: Package) -> Iterator[Finding]:
    for go_file in package.files:
        for qualified, call in semantic.calls_to(go_file, _ROOTS):
            if semantic.enclosing_function(call) is None or _is_entry_point(package, go_file, call):
                continue
            at_hand = semantic.context_at_hand(go_file, call)
            if at_hand is None or _is_deliberate_detach(package, go_file, call, at_hand[0]):
                continue
            yield _finding(go_file, call, qualified, at_hand)
    for site in semantic.root_helper_calls(package, _flows_into_work):
        if not _is_entry_point(package, site.go_file, site.call):
            yield _helper_finding(site)


def _is_entry_point(package: Package, go_file: GoFile, call: Node) -> bool:
    """main, init, and test bodies own the root of their context tree.

    A test body is a `TestXxx`-style function, or any function of a test file that takes a
    `*testing.T`/`B`/`F` or a `testing.TB` (table-driven and synctest bodies, test helpers:
    `testTransportFoo(t)`, `testRunPrune(t testing.TB, ...)`).
    """
    top = semantic.top_level_function(call)
    if top is None or top.type != "function_declaration":
        return False
    if semantic.is_process_entry(package, go_file, top):
        return True
    if not go_file.is_test:
        return False
    test_entry = _TEST_ENTRY_RE.match(semantic.function_name(go_file, top))
    return test_entry is not None or _takes_testing_handle(go_file, top)


def _takes_testing_handle(go_file: GoFile, function: Node) -> bool:
    parameters = function.child_by_field_name("parameters")
    for declaration in parameters.named_children if parameters is not None else []:
        type_node = declaration.child_by_field_name("type")
        if semantic.type_name(go_file, type_node) in _TESTING_HANDLES:
            return True
    return False


def _is_deliberate_detach(package: Package, go_file: GoFile, call: Node, at_hand: str) -> bool:
    """The documented idioms for work that must not, or cannot, use the caller's context."""
    use = semantic.root_use_of(package, go_file, call)
    if not use.cuts_off_caller:
        return True  # compared, logged, returned, cancelled at once, or owned by an object
    if use is semantic.RootUse.SCOPED and semantic.hijacks_connection(
        go_file, semantic.enclosing_function(call)
    ):
        return True  # after a hijack, r.Context() too ends only when the handler returns
    if _is_bounded_parent(go_file, call) or _is_nil_default(go_file, call, at_hand):
        return True
    child, current = call, call.parent
    while current is not None:
        kind = current.type
        if kind == "defer_statement":
            return True
        if kind == "func_literal" and _runs_after_return(go_file, current):
            return True
        if kind == "communication_case" and _is_done_case(go_file, current, child):
            return True
        if kind == "if_statement" and _runs_after_done(go_file, current, child):
            return True
        if kind in ("function_declaration", "method_declaration"):
            return False
        child, current = current, current.parent
    return False


def _flows_into_work(package: Package, go_file: GoFile, call: Node) -> bool:
    """A root a helper without a context makes, that none of the idioms above excuses."""
    return not _is_deliberate_detach(package, go_file, call, "")


def _is_nil_default(go_file: GoFile, call: Node, at_hand: str) -> bool:
    """`if ctx == nil { ctx = context.Background() }`: a root that replaces a missing context."""
    holder = call.parent
    statement = holder.parent if holder is not None and holder.type == "expression_list" else None
    if statement is None or statement.type != "assignment_statement":
        return False
    left = statement.child_by_field_name("left")
    targets = left.named_children if left is not None else []
    defaults_at_hand = any(t.type == "identifier" and go_file.text(t) == at_hand for t in targets)
    return defaults_at_hand and _under_nil_check(go_file, statement, at_hand)


def _under_nil_check(go_file: GoFile, statement: Node, variable: str) -> bool:
    """Inside the body of `if ctx == nil { ... }`."""
    child, current = statement, statement.parent
    while current is not None and current.type not in semantic.FUNCTION_TYPES:
        if current.type == "if_statement" and current.child_by_field_name("consequence") == child:
            condition = current.child_by_field_name("condition")
            text = re.sub(r"\s+", "", go_file.text(condition)) if condition is not None else ""
            if text in (f"{variable}==nil", f"nil=={variable}"):
                return True
        child, current = current, current.parent
    return False


def _is_bounded_parent(go_file: GoFile, call: Node) -> bool:
    """`context.WithTimeout(context.Background(), d)`: a root with its own deadline."""
    arguments = call.parent
    if arguments is None or arguments.type != "argument_list":
        return False
    if not arguments.named_children or arguments.named_children[0].id != call.id:
        return False
    outer = arguments.parent
    return outer is not None and semantic.qualified_call_name(go_file, outer) in _BOUNDED_PARENTS


def _runs_after_return(go_file: GoFile, literal: Node) -> bool:
    """A deferred closure, a `context.AfterFunc` callback, or a closure kept by an object
    the function returns or stores: all run once the caller's work is over."""
    if semantic.closure_runs(literal) is semantic.Runs.DEFERRED:
        return True
    if semantic.closure_kept_by_owner(go_file, literal):
        return True
    use = semantic.use_of(go_file, literal)
    return (
        use.kind is semantic.UseKind.PASSED
        and semantic.qualified_call_name(go_file, use.holder) == "context.AfterFunc"
    )


def _is_done_case(go_file: GoFile, case: Node, child: Node) -> bool:
    communication = case.child_by_field_name("communication")
    if communication is None or communication.id == child.id:
        return False
    return bool(_DONE_RECEIVE_RE.match(re.sub(r"\s+", "", go_file.text(communication))))


def _runs_after_done(go_file: GoFile, statement: Node, child: Node) -> bool:
    consequence = statement.child_by_field_name("consequence")
    condition = statement.child_by_field_name("condition")
    if consequence is None or condition is None or consequence.id != child.id:
        return False
    return bool(_AFTER_DONE_RE.search(go_file.text(condition)))


def _finding(go_file: GoFile, call: Node, qualified: str, at_hand: tuple[str, str]) -> Finding:
    parent = at_hand[1]
    return report(
        go_file,
        call,
        f"{qualified}() starts a new context tree although {parent} is at hand: work below it "
        f"is not cancelled with the caller and can outlive it; derive from {parent} "
        f"(context.WithoutCancel({parent}) plus a timeout if it must outlive the caller)",
    )


def _helper_finding(site: semantic.RootHelperCall) -> Finding:
    _, parent = semantic.context_at_hand(site.go_file, site.call)
    root = site.made
    through = "".join(f" through {name}()" for name in root.chain)
    more = f"{site.others} more call{'s' if site.others > 1 else ''}"
    also = f" (here and at {more} of it)" if site.others else ""
    return report(
        site.go_file,
        site.call,
        f"{site.helper}() starts a new context tree{through} although {parent} is at hand "
        f"here, and every caller of {site.helper} in the package has one: work below it is "
        f"not cancelled with the caller; give {site.helper} a context parameter and pass "
        f"{parent}{also}",
        [related(root.go_file, root.call, "the new root is made here")],
    )
