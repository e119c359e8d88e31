"""core: names through imports, calls, and the structure every rule walks."""

from __future__ import annotations

import re

from linter import semantic
from tests.snippets import go_file, node_at

ALIASED = """
import (
	clock "time"
	. "context"
)

func run() {
	t := clock.NewTicker(clock.Second)
	ctx, cancel := WithCancel(Background())
	noTick := xclock.NewTicker(1) // a name that only ends like the alias
	// clock.NewTicker(clock.Second) in a comment is no call
	_, _, _, _ = t, ctx, cancel, noTick
}
"""


def test_calls_to_resolves_aliases_and_dot_imports_and_nothing_else():
    source = go_file(ALIASED)
    found = [
        (name, source.text(call))
        for name, call in semantic.calls_to(
            source, ("time.NewTicker", "context.WithCancel", "context.Background")
        )
    ]
    assert found == [
        ("time.NewTicker", "clock.NewTicker(clock.Second)"),
        ("context.WithCancel", "WithCancel(Background())"),
        ("context.Background", "Background()"),
    ]


def test_calls_to_finds_nothing_for_a_package_the_file_does_not_import():
    source = go_file('import "os"\n\nfunc f() { time.NewTicker(1) }\n')
    assert list(semantic.calls_to(source, ("time.NewTicker",))) == []


def test_qualified_call_name_needs_an_import_to_name_the_package():
    source = go_file(ALIASED + "\nfunc g() { local.Do(); helper() }\n")
    ticker = node_at(source, "clock.NewTicker(clock.Second)", "call_expression")
    assert semantic.qualified_call_name(source, ticker) == "time.NewTicker"
    method = node_at(source, "local.Do()", "call_expression")
    assert semantic.qualified_call_name(source, method) is None  # a variable, not a package


def test_is_no_return_call_knows_panic_and_the_exits_of_os_and_log():
    source = go_file(
        'import ("log"; "os")\n\n'
        'func f() { panic(1); os.Exit(2); log.Fatalf("x"); log.Printf("y") }\n'
    )
    calls = {
        text: semantic.is_no_return_call(source, node_at(source, text, "call_expression"))
        for text in ("panic(1)", "os.Exit(2)", 'log.Fatalf("x")', 'log.Printf("y")')
    }
    assert calls == {
        "panic(1)": True,
        "os.Exit(2)": True,
        'log.Fatalf("x")': True,
        'log.Printf("y")': False,
    }


def test_enclosing_and_top_level_function_differ_on_a_closure():
    source = go_file("func (s *server) run() {\n\tgo func() { s.work() }()\n}\n")
    work = node_at(source, "s.work()", "call_expression")
    closure = semantic.enclosing_function(work)
    assert closure is not None and closure.type == "func_literal"
    top = semantic.top_level_function(work)
    assert top is not None and semantic.function_name(source, top) == "run"
    assert semantic.function_name(source, closure) == ""


def test_statements_after_lists_what_runs_next_level_by_level():
    source = go_file("func f(ok bool) {\n\tif ok {\n\t\ta()\n\t\tb()\n\t}\n\tc()\n}\n")
    function = node_at(source, "func f", "function_declaration")
    first = node_at(source, "a()", "expression_statement")
    levels = [
        [source.text(s) for s in after] for _, after in semantic.statements_after(first, function)
    ]
    assert levels == [["b()"], ["c()"]]


def test_inside_loop_stops_at_a_function_boundary():
    source = go_file("func f() {\n\tfor {\n\t\tgo func() { work() }()\n\t\tstep()\n\t}\n}\n")
    assert semantic.inside_loop(node_at(source, "step()", "call_expression")) is not None
    assert semantic.inside_loop(node_at(source, "work()", "call_expression")) is None


def test_is_deferred_is_the_call_a_defer_runs_not_one_inside_it():
    source = go_file("func f() {\n\tdefer wg.Wait(done())\n\tcancel()\n}\n")
    assert semantic.is_deferred(node_at(source, "wg.Wait(done())", "call_expression"))
    assert not semantic.is_deferred(node_at(source, "done()", "call_expression"))
    assert not semantic.is_deferred(node_at(source, "cancel()", "call_expression"))


def test_nodes_at_matches_skips_comments_and_longer_names():
    source = go_file("func f() {\n\tdefer a()\n\t// defer b()\n\tnodefer := 1\n\t_ = nodefer\n}\n")
    found = semantic.nodes_at_matches(source, re.compile(rb"defer\b"), "defer_statement")
    assert [source.text(n) for n in found] == ["defer a()"]


def test_ginkgo_fail_ends_the_path_through_a_dot_import_among_others():
    source = go_file(
        'import (\n\t. "github.com/onsi/gomega"\n\t. "github.com/onsi/ginkgo/v2"\n'
        '\tg "github.com/bsm/ginkgo/v2"\n)\n\n'
        'func spec() {\n\tFail("x")\n\tg.AbortSuite("y")\n\tExpect(1)\n\tfail("z")\n}\n'
    )
    calls = ('Fail("x")', 'g.AbortSuite("y")', "Expect(1)", 'fail("z")')
    ends = [
        semantic.is_no_return_call(source, node_at(source, c, "call_expression")) for c in calls
    ]
    assert ends == [True, True, False, False]


def test_method_calls_at_are_calls_on_values_not_packages():
    source = go_file(
        'import "net/http"\n\nfunc f(c *http.Client) {\n\tc.Get(u)\n\thttp.Get(u)\n'
        "\tuse(c.Get)\n}\n"
    )
    found = semantic.method_calls_at(source, re.compile(rb"\.(Get)\("))
    assert [(source.text(r), m) for _, r, m in found] == [("c", "Get")]


def test_calls_to_own_are_plain_calls_of_the_named_functions():
    source = go_file("func f() {\n\topenLog(d)\n\tx.openLog(d)\n\tother(d)\n}\n")
    found = [(n, source.text(c)) for n, c in semantic.calls_to_own(source, {"openLog"})]
    assert found == [("openLog", "openLog(d)")]


def test_specs_of_reads_grouped_and_single_declarations():
    source = go_file("var a = 1\n\nvar (\n\tb = 2\n\tc = 3\n)\n")
    declarations = [n for n in source.root.named_children if n.type == "var_declaration"]
    specs = [source.text(s) for d in declarations for s in semantic.specs_of(d, "var_spec")]
    assert specs == ["a = 1", "b = 2", "c = 3"]
