"""contexts: where a `context.Background()` root goes; FLOWS (the finding) only when it may
cut work off from its caller, and FLOWS too when unsure."""

from __future__ import annotations

import pytest

from linter import semantic
from linter.semantic import RootUse
from tests.snippets import go_file

HEADER = 'import "context"\n\n'


def use_of(body: str, signature: str = "func f(ctx context.Context)") -> RootUse:
    source = go_file(f"{HEADER}{signature} {{\n{body}\n}}\n")
    roots = [call for _, call in semantic.calls_to(source, ("context.Background",))]
    assert len(roots) == 1
    return semantic.root_use_of(source, roots[0])


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


def test_a_returned_root_is_left_to_the_caller():
    body = "\treturn context.Background()"
    assert use_of(body, "func f() context.Context") is RootUse.RETURNED
    assert use_of(body, "func f() (context.Context, error)") is RootUse.OWNED


def test_only_flows_and_scoped_roots_cut_off_the_caller():
    assert [u for u in RootUse if u.cuts_off_caller] == [RootUse.FLOWS, RootUse.SCOPED]
