"""contexts: where a `context.Background()` root goes; FLOWS (the finding) only when it may
cut work off from its caller, and FLOWS too when unsure."""

from __future__ import annotations

import pytest

from linter import semantic
from linter.semantic import RootUse
from tests.snippets import go_file, node_at, package_of

HEADER = 'import "context"\n\n'


def use_of(body: str, signature: str = "func f(ctx context.Context)") -> RootUse:
    package = package_of(f"{HEADER}{signature} {{\n{body}\n}}\n")
    source = package.files[0]
    roots = [call for _, call in semantic.calls_to(source, ("context.Background",))]
    assert len(roots) == 1
    return semantic.root_use_of(package, source, roots[0])


@pytest.mark.parametrize(
    ("body", "use"),
    [
        ("\tif ctx != context.Background() {\n\t}", RootUse.COMPARED),
        ('\tlogger.Infof(context.Background(), "x")', RootUse.LOGGED),
        (
            "\tc, cancel := context.WithCancel(context.Background())\n\tcancel()\n\t_ = c",
            RootUse.CANCELLED_AT_ONCE,
        ),
        (
            "\tc, cancel := context.WithCancel(context.Background())\n"
            "\treturn &conn{ctx: c, cancel: cancel}",
            RootUse.OWNED,
        ),
        ("\ts.ctx, s.cancel = context.WithCancel(context.Background())", RootUse.OWNED),
        (
            "\tc, cancel := context.WithCancel(context.Background())\n"
            "\tc2, cancel2 := context.WithTimeout(c, 1)\n"
            "\treturn &conn{ctx: c2, stop: cancel2, cancel: cancel}",
            RootUse.OWNED,  # followed through a second derivation
        ),
        ("\tspan := trace.SpanFromContext(context.Background())\n\t_ = span", RootUse.READ),
        ("\trequestCount.Add(context.Background(), 1)", RootUse.READ),
        ("\t_ = context.Background().Value(key{})", RootUse.READ),
        ("\tjobs.Add(context.Background(), 1)", RootUse.FLOWS),  # not named like a metric
        ("\t_ = tx.Rollback(context.Background())", RootUse.CLEANS_UP),
        ('\t_, _ = db.ExecContext(context.Background(), "ROLLBACK")', RootUse.CLEANS_UP),
        ("\t_ = srv.Shutdown(context.Background())", RootUse.FLOWS),  # may wait without bound
        ("\treturn NewWatcher(context.Background()), nil", RootUse.OWNED),
        ("\tw := NewWatcher(context.Background())\n\ts.watcher = w", RootUse.OWNED),
        ("\tw := NewWatcher(context.Background())\n\tw.Run()", RootUse.FLOWS),
        ("\treturn resolver.LookupHost(context.Background(), h)", RootUse.FLOWS),
        (
            "\tc, cancel := context.WithCancel(context.Background())\n\tdefer cancel()\n\trun(c)",
            RootUse.SCOPED,
        ),
        ("\tcall(context.Background())", RootUse.FLOWS),
        (
            "\tc, cancel := context.WithCancel(context.Background())\n\trun(c, cancel)",
            RootUse.FLOWS,
        ),
        ('\tfmt.Println(context.Background(), "x")', RootUse.FLOWS),  # fmt is no logger: unsure
    ],
)
def test_root_use_of(body, use):
    assert use_of(body) is use


# Logging wrappers of the package (`logger` is an imported logging package).
WRAPPERS = """
import (
	"context"

	"example.com/internal/logger"
)

func bugLogIf(ctx context.Context, err error) { logger.LogIf(ctx, "internal", err) }
func auditEvent(ctx context.Context, name string) {
	if info := logger.GetReqInfo(ctx); info != nil {
		name = info.API + name
	}
	ctx = logger.SetAuditEntry(ctx, name)
	logger.AuditLog(ctx, nil)
}
func twice(ctx context.Context, err error) { bugLogIf(ctx, err); auditEvent(ctx, "e") }
func logAndStore(ctx context.Context, err error) { bugLogIf(ctx, err); store.Save(ctx, err) }
func unused(ctx context.Context, err error) {}
"""


@pytest.mark.parametrize(
    ("call", "use"),
    [
        ("bugLogIf(context.Background(), err)", RootUse.LOGGED),
        ('auditEvent(context.Background(), "scan")', RootUse.LOGGED),  # rewrapped to log
        ("twice(context.Background(), err)", RootUse.LOGGED),  # two wrappers deep
        ("logAndStore(context.Background(), err)", RootUse.FLOWS),  # also does work with it
        ("unused(context.Background(), err)", RootUse.FLOWS),  # not a logging wrapper
        ('logger.LogOnceIf(context.Background(), err, "id")', RootUse.LOGGED),
    ],
)
def test_a_root_given_to_a_package_function_that_only_logs_with_it_is_logged(call, use):
    package = package_of(WRAPPERS + f"\nfunc f(ctx context.Context, err error) {{\n\t{call}\n}}\n")
    source = package.files[0]
    roots = [c for _, c in semantic.calls_to(source, ("context.Background",))]
    assert semantic.root_use_of(package, source, roots[0]) is use


def test_a_returned_root_is_left_to_the_caller():
    body = "\treturn context.Background()"
    assert use_of(body, "func f() context.Context") is RootUse.RETURNED
    assert use_of(body, "func f() (context.Context, error)") is RootUse.OWNED


def test_only_flows_and_scoped_roots_cut_off_the_caller():
    assert [u for u in RootUse if u.cuts_off_caller] == [RootUse.FLOWS, RootUse.SCOPED]


@pytest.mark.parametrize(
    ("body", "cancel"),
    [
        ("c, stop := context.WithTimeout(ctx, 1)\n\tuse(c)\n\tstop()", "stop"),
        ("c, cancel := context.WithCancel(ctx)\n\tuse(c, cancel)", "cancel"),
        ("c, _ := context.WithCancel(ctx)\n\tuse(c)", None),  # no cancel kept
        ("c := context.WithValue(ctx, k, v)\n\tuse(c)", None),  # nothing to cancel
        (
            "c, cancel := context.WithCancel(ctx)\n\tc, cancel = context.WithCancel(c)\n"
            "\tuse(c, cancel)",
            None,  # bound twice: which cancel ends which context is not ours to know
        ),
    ],
)
def test_cancel_of_context(body, cancel):
    source = go_file(f"{HEADER}func f(ctx context.Context) {{\n\t{body}\n}}\n")
    function = source.root.named_children[-1]
    assert semantic.cancel_of_context(source, function, "c") == cancel


ROOTS = """
import (
	"context"
	"net/http"
)

func work(ctx context.Context) {}
func makes() { work(context.TODO()) }
func through() { makes() }
func withContext(ctx context.Context) { makes() }
func passes(ctx context.Context) { work(ctx) }
func inGoroutine() { go func() { work(context.Background()) }() }
func stored() func() { return func() { work(context.Background()) } }
func handler(w http.ResponseWriter, r *http.Request) {}
"""


def _flows(package, go_file, call) -> bool:
    return semantic.root_use_of(package, go_file, call).cuts_off_caller


def test_context_roots_made_directly_or_through_helpers_without_a_context():
    package = package_of(ROOTS)
    go_file = package.files[0]

    def made(function_name: str) -> semantic.RootMade | None:
        function = node_at(go_file, f"func {function_name}(", "function_declaration")
        return semantic.context_root_made(package, go_file, function, _flows)

    assert made("makes").chain == ()
    assert go_file.text(made("makes").call) == "context.TODO()"
    assert made("through").chain == ("makes",)
    assert made("withContext").chain == ("makes",)
    assert made("passes") is None
    assert made("inGoroutine") is None  # work on a goroutine of its own is detached
    assert made("stored") is None  # the closure runs whenever its holder calls it


CHAINED = """
import "context"

func work(ctx context.Context) {}
func makes() { work(context.TODO()) }
func through() { makes() }
func a(ctx context.Context) { makes() }
func b(ctx context.Context) { makes() }
func c(ctx context.Context) { through() }
func d(ctx context.Context) { through(); through() }
"""


def test_a_helper_reaching_its_root_through_others_is_returned_once_for_all_its_calls():
    package = package_of(CHAINED)
    go_file = package.files[0]
    calls = semantic.root_helper_calls(package, _flows)

    def at(call: semantic.RootHelperCall) -> str:
        return go_file.text(semantic.enclosing_function(call.call).child_by_field_name("name"))

    # makes makes the root itself: every call is a place to pass ctx
    assert [(at(c), c.others) for c in calls if c.helper == "makes"] == [("a", 0), ("b", 0)]
    # through reaches it through makes: its first call stands for the other two
    assert [(at(c), c.others) for c in calls if c.helper == "through"] == [("c", 2)]


def test_context_parameter_kinds():
    package = package_of(ROOTS)
    go_file = package.files[0]
    assert semantic.context_parameter(
        go_file, node_at(go_file, "func work(", "function_declaration")
    ) == ("ctx", "ctx")
    assert semantic.context_parameter(
        go_file, node_at(go_file, "func handler(", "function_declaration")
    ) == ("r", "r.Context()")
    assert not semantic.takes_context(
        go_file, node_at(go_file, "func makes(", "function_declaration")
    )
    unused = package_of('import "context"\n\nfunc f(_ context.Context) {}\n')
    declaration = node_at(unused.files[0], "func f(", "function_declaration")
    assert semantic.takes_context(unused.files[0], declaration)  # named _, but it has one
    assert semantic.context_parameter(unused.files[0], declaration) is None


@pytest.mark.parametrize(
    ("body", "use"),
    [
        (
            "\tc := context.Background()\n\tc = withTenant(c, ctx)\n"
            "\tc, cancel := context.WithCancel(c)\n\treturn &poller{ctx: c, cancel: cancel}",
            RootUse.OWNED,  # rewrapped, derived, then stored
        ),
        ("\tc := context.Background()\n\ts.ctx = c", RootUse.OWNED),
        ('\tc := context.Background()\n\tlogger.Infof(c, "x")', RootUse.LOGGED),
        ("\tc := context.Background()\n\tc = withTenant(c, ctx)\n\tcall(c)", RootUse.FLOWS),
        ("\tc := context.Background()\n\tcall(c)\n\ts.ctx = c", RootUse.FLOWS),  # one use cuts off
        ("\tc := context.Background()\n\tc = other()\n\ts.ctx = c", RootUse.FLOWS),  # replaced
        ("\tc := context.Background()\n\tgo func() { s.ctx = c }()", RootUse.FLOWS),  # closure
        ("\tc := context.Background()\n\t_ = c", RootUse.FLOWS),
    ],
)
def test_a_root_put_in_a_variable_is_followed_through_its_uses(body, use):
    assert use_of(body) is use


def test_a_parameter_given_a_fresh_root_and_returned_is_left_to_the_caller():
    body = "\tif detach {\n\t\tctx = context.Background()\n\t}\n\treturn ctx, detach"
    assert use_of(body, "func f(ctx context.Context, detach bool) (context.Context, bool)") is (
        RootUse.OWNED
    )


@pytest.mark.parametrize(
    ("body", "use"),
    [
        ("\tb := &batcher{}\n\tgo b.loop(context.Background())\n\treturn b", RootUse.OWNED),
        ("\tb := &batcher{}\n\tgo b.loop(context.Background())\n\ts.b = b", RootUse.OWNED),
        ("\tb := &batcher{}\n\tgo b.loop(context.Background())\n\tb.wait()", RootUse.FLOWS),
        ("\tb := &batcher{}\n\tb.loop(context.Background())\n\treturn b", RootUse.FLOWS),  # no go
    ],
)
def test_a_goroutine_of_an_object_handed_on_is_owned(body, use):
    assert use_of(body) is use


def _literal_kept(body: str) -> bool:
    source = go_file(f"{HEADER}func f(ctx context.Context) {{\n{body}\n}}\n")
    literals = [n for n in semantic.functions(source) if n.type == "func_literal"]
    assert len(literals) == 1
    return semantic.closure_kept_by_owner(source, literals[0])


@pytest.mark.parametrize(
    ("body", "kept"),
    [
        ("\ts.renew = NewRenewer(d, func() error { return nil })", True),
        ("\treturn &job{run: func() {}}", True),
        ("\ts.onClose = func() {}", True),
        ("\tonClose := func() {}\n\tonClose()", False),
        ("\tr := NewRenewer(d, func() error { return nil })\n\tdefer r.Stop()", False),
        ("\trun(func() {})", False),  # a callback of a call, not a constructor
        ("\tt := &job{run: func() {}}\n\treturn t", True),
        ("\tt := &job{run: func() {}}\n\tt.wait(ctx)", False),  # the function's own use
        ("\ts.jobs = []job{{run: func() {}}}", True),
        ('\ts.token = NewSource(func(context.Context) string { return "" })', False),
        ("\tgo func() {}()", False),
    ],
)
def test_closure_kept_by_owner(body, kept):
    assert _literal_kept(body) is kept
