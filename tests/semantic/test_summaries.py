"""summaries: what a package function does with its parameters (and which context roots it
makes), following the package's own calls; kept whenever unsure, so rules stay silent."""

from __future__ import annotations

import pytest

from linter import semantic
from linter.semantic import facts
from tests.snippets import go_file, node_at, package_of

RESPONSES = """
import (
	"fmt"
	"io"
	"net/http"
)

func reads(res *http.Response) {
	buf := make([]byte, 8)
	res.Body.Read(buf)
	fmt.Println(res.Status, res)
	_ = res
	if res == nil {
		return
	}
}

func drains(res *http.Response) {
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
}

func closesBody(body io.ReadCloser) { body.Close() }

func viaHelper(res *http.Response) { closesBody(res.Body) }

func twoDeep(res *http.Response) { viaHelper(res) }

func keeps(res *http.Response) { saved = res }

func returns(res *http.Response) *http.Response { return res }

func hands(res *http.Response) { other.Consume(res) }

func appends(res *http.Response) { all = append(all, res) }

func later(res *http.Response) func() { return func() { res.Body.Close() } }

func deferred(res *http.Response) { defer func() { res.Body.Close() }() }

func ignores(_ *http.Response, n int) {}

func unnamed(*http.Response) {}

func reassigned(res *http.Response) { res = nil; _ = res }

func shadowed(res *http.Response) {
	if true {
		res := 1
		keepInt(res)
	}
}

func variadic(first int, rest ...*http.Response) { rest[0].Body.Close() }
"""


def _parameter(package, function_name: str, index: int = 0) -> semantic.ParameterUse:
    go_file = package.files[0]
    function = node_at(go_file, f"func {function_name}(", "function_declaration")
    return semantic.parameter_use(package, go_file, function, index)


@pytest.mark.parametrize(
    ("function_name", "closes", "kept"),
    [
        ("reads", False, False),  # a Read, a fmt call, `_ =`, a nil check: borrowed
        ("drains", True, False),
        ("viaHelper", True, False),  # closesBody(res.Body): Close on its Body
        ("twoDeep", True, False),
        ("keeps", False, True),
        ("returns", False, True),
        ("hands", False, True),  # another package's function: unknown
        ("appends", False, True),
        ("later", True, True),  # closed by a closure that runs after the call
        ("deferred", True, False),  # a deferred closure runs before the call returns
        ("reassigned", False, True),  # rebound: which value is which is not ours to know
    ],
)
def test_what_a_function_does_with_a_response(function_name, closes, kept):
    use = _parameter(package_of(RESPONSES), function_name)
    assert use.releases(("Close",), "Body") is closes
    assert use.kept is kept


def test_unused_unnamed_and_shadowed_parameters_are_only_borrowed():
    package = package_of(RESPONSES)
    for function_name in ("ignores", "unnamed", "shadowed"):
        assert _parameter(package, function_name) == semantic.IGNORED


def test_variadic_parameter_answers_for_every_later_argument():
    package = package_of(RESPONSES)
    assert _parameter(package, "variadic", 3).releases(("Close",), "Body")
    assert _parameter(package, "variadic", 0) == semantic.IGNORED


def test_index_past_the_parameters_and_missing_body_are_kept():
    package = package_of("func short(a int) {}\n\nfunc external(a int)\n")
    assert _parameter(package, "short", 2) == semantic.KEPT
    assert _parameter(package, "external", 0) == semantic.KEPT


DEEP = """
func level0(c io.Closer) { level1(c) }
func level1(c io.Closer) { level2(c) }
func level2(c io.Closer) { level3(c) }
func level3(c io.Closer) { level4(c) }
func level4(c io.Closer) { c.Close() }

func ping(c io.Closer, n int) { pong(c, n) }
func pong(c io.Closer, n int) { ping(c, n) }
"""


def test_calls_are_followed_to_a_fixed_depth_then_kept():
    package = package_of(DEEP)
    assert _parameter(package, "level1").releases(("Close",))
    assert _parameter(package, "level1").kept is False
    assert _parameter(package, "level0") == semantic.KEPT  # four calls deep: not followed


def test_recursion_ends_at_the_depth_and_is_kept():
    assert _parameter(package_of(DEEP), "ping") == semantic.KEPT


CHANNELS = """
func waits(done chan struct{}) { <-done }
func signals(done chan struct{}) { close(done) }
func feeds(out chan int) {
	for i := 0; i < 3; i++ {
		out <- i
	}
}
func drainsAll(in chan int) {
	for range in {
	}
}
func ignoresIt(done chan bool) {}
func startsWorker(done chan bool) { go feeds2(done) }
func feeds2(done chan bool) { done <- true }
func inSelect(done chan bool, quit chan struct{}) {
	select {
	case done <- true:
	case <-quit:
	}
}
"""


@pytest.mark.parametrize(
    ("function_name", "operations"),
    [
        ("waits", {semantic.ChannelUse.RECEIVE}),
        ("signals", {semantic.ChannelUse.CLOSE}),
        ("feeds", {semantic.ChannelUse.SEND}),
        ("drainsAll", {semantic.ChannelUse.RECEIVE}),
        ("ignoresIt", set()),
        ("startsWorker", {semantic.ChannelUse.SEND}),  # a goroutine it starts sends: it does send
        ("inSelect", {semantic.ChannelUse.SEND}),
    ],
)
def test_channel_operations_on_a_parameter(function_name, operations):
    use = _parameter(package_of(CHANNELS), function_name)
    assert use.channel == frozenset(operations)
    assert use.kept is False


CANCELS = """
func stop(cancel context.CancelFunc) { cancel() }
func stopLater(cancel func()) { defer cancel() }
func keepIt(s *server, cancel func()) { s.cancel = cancel }
func stopsField(c *conn) { c.cancel() }
"""


def test_function_values_that_are_run():
    package = package_of(CANCELS)
    assert _parameter(package, "stop").runs
    assert _parameter(package, "stopLater").runs
    assert not _parameter(package, "keepIt", 1).runs
    assert _parameter(package, "keepIt", 1).kept
    assert _parameter(package, "stopsField").releases(("cancel",))


CALLS = """
import (
	"fmt"
	"io"
	"os"
)

type T struct{}

func (t *T) Flush(c io.Closer) { c.Close() }
func (t *T) flush(c io.Closer) { c.Close() }

type U struct{}

func (u *U) Flush(c io.Closer) {}

func (t *T) run(f *os.File) {
	t.Flush(f)
	t.flush(f)
	other.Flush(f)
	closer := func(c io.Closer) { c.Close() }
	closer(f)
	func(c io.Closer) {}(f)
	fmt.Fprintln(f, "x")
	io.ReadAll(f)
	unknown.Take(f)
	var fn func(io.Closer)
	fn(f)
}
"""


@pytest.mark.parametrize(
    ("call", "closes", "known"),
    [
        ("t.Flush(f)", True, True),  # exported: (*T).Flush only, the receiver's own type
        ("t.flush(f)", True, True),  # unexported: no other package's method can be called
        ("other.Flush(f)", None, False),  # exported on an unknown operand: not followed
        ("closer(f)", True, True),  # a literal bound once
        ("func(c io.Closer) {}(f)", False, True),
        ("fmt.Fprintln(f", False, True),  # a borrowing package
        ("io.ReadAll(f)", False, True),  # a known borrower
        ("unknown.Take(f)", None, False),
        ("fn(f)", None, False),  # a function value: unknown
    ],
)
def test_argument_use_resolves_the_callee(call, closes, known):
    package = package_of(CALLS)
    go_file = package.files[0]
    start = node_at(go_file, call, "call_expression")
    argument = start.child_by_field_name("arguments").named_children[0]
    use = semantic.argument_use(package, go_file, argument)
    assert (use is not None) is known
    if use is not None:
        assert use.releases(("Close",)) is closes


def test_argument_use_through_a_field():
    package = package_of(RESPONSES + "\nfunc caller(res *http.Response) { closesBody(res.Body) }\n")
    go_file = package.files[0]
    call = node_at(go_file, "closesBody(res.Body) }\n", "call_expression", 1)
    argument = call.child_by_field_name("arguments").named_children[0]
    use = semantic.argument_use(package, go_file, argument)
    assert use is not None and use.releases(("Close",))
    assert use.through("Body").releases(("Close",), "Body")


def test_summaries_are_computed_once_per_check():
    package = package_of(RESPONSES)
    with facts.checking(package):
        first = _parameter(package, "twoDeep")
        assert _parameter(package, "twoDeep") is first


OPEN = "\tf, err := os.Create(p)\n\tif err != nil {\n\t\treturn nil, err\n\t}\n"


@pytest.mark.parametrize(
    ("body", "closed"),
    [
        (OPEN + "\tdefer f.Close()\n\treturn f, nil", True),
        (OPEN + "\tdefer func() { _ = f.Close() }()\n\treturn f, nil", True),
        (OPEN + "\tt.Cleanup(func() { f.Close() })\n\treturn f, nil", True),
        (OPEN + "\tt.Cleanup(f.Close)\n\treturn f, nil", True),  # the method value
        (OPEN + "\tt.Cleanup(f.Sync)\n\treturn f, nil", False),  # not a release
        (OPEN + "\tonExit(f.Close)\n\treturn f, nil", False),  # not the test's Cleanup
        (OPEN + "\tgo func() { t.Cleanup(f.Close) }()\n\treturn f, nil", False),
        (OPEN + "\treturn f, nil", False),
        (OPEN + "\tif bad {\n\t\tf.Close()\n\t}\n\treturn f, nil", False),  # one path only
        (OPEN + "\tgo func() { f.Close() }()\n\treturn f, nil", False),  # whenever it runs
        (OPEN + "\tdefer f.Close()\n\treturn other, nil", False),
        # a wrapper of a value released at return: closing the inner one frees it
        (OPEN + "\tt.Cleanup(func() { f.Close() })\n\tw := wrap(f, 1)\n\treturn w, nil", True),
        (OPEN + "\tw := wrap(f, 1)\n\treturn w, nil", False),
    ],
)
def test_closes_what_it_returns(body, closed):
    source = go_file(f"func f(t *testing.T, p string, bad bool) (*os.File, error) {{\n{body}\n}}\n")
    function = node_at(source, "func f", "function_declaration")
    assert semantic.closes_what_it_returns(source, function) is closed


def test_a_response_counts_as_closed_through_its_body():
    source = go_file(
        "func head(c *http.Client, u string) (*http.Response, error) {\n"
        "\tresp, err := c.Get(u)\n\tif err != nil {\n\t\treturn nil, err\n\t}\n"
        "\tdefer resp.Body.Close()\n\treturn resp, nil\n}\n"
    )
    function = node_at(source, "func head", "function_declaration")
    assert semantic.closes_what_it_returns(source, function, ("Close",), "Body")
    assert not semantic.closes_what_it_returns(source, function)


WRITE = "func write(p string) error {\n\treturn nil\n}\n"


@pytest.mark.parametrize(
    ("callers", "ends"),
    [
        ('\tif err := write("a"); err != nil {\n\t\tlog.Fatal(err)\n\t}', True),
        ('\terr := write("a")\n\tif err != nil {\n\t\tpanic(err)\n\t}', True),
        ('\tif err := write("a"); err != nil {\n\t\tlog.Print(err)\n\t}', False),
        ('\t_ = write("a")', False),
        ("", False),  # no caller in the package
    ],
)
def test_errors_end_every_caller(callers, ends):
    package = package_of(f"{WRITE}\nfunc main() {{\n{callers}\n}}\n", name="main")
    assert semantic.errors_end_every_caller(package, "write") is ends


def test_an_exported_function_may_have_callers_in_other_packages():
    source = WRITE.replace("write", "Write")
    body = '\tif err := Write("a"); err != nil {\n\t\tpanic(err)\n\t}'
    package = package_of(f"{source}\nfunc run() {{\n{body}\n}}\n", name="keys")
    assert not semantic.errors_end_every_caller(package, "Write")


@pytest.mark.parametrize(
    ("signature", "ret", "failing"),
    [
        ("error", "return err", True),
        ("(int, error)", 'return 0, fmt.Errorf("x")', True),
        ("(n int, err error)", "return 0, err", True),
        ("error", "return nil", False),
        ("(int, error)", "return 1, nil", False),
        ("int", "return n", False),
    ],
)
def test_returns_an_error(signature, ret, failing):
    source = go_file(f"func f(n int, err error) {signature} {{\n\t{ret}\n}}\n")
    node = node_at(source, ret, "return_statement")
    assert semantic.returns_an_error(source, node) is failing


CONSTRUCTORS = """
import (
	"os"
	"testing"
)

func openLog(dir string) (*os.File, error) { return os.Create(dir) }

func tempFile(t *testing.T) *os.File {
	f, _ := os.CreateTemp("", "x")
	t.Cleanup(func() { f.Close() })
	return f
}

func namedTemp(t *testing.T) *os.File { return tempFile(t) }

func name() string { return "x" }
"""


def test_functions_returning_a_resource_leave_out_those_that_release_it_themselves():
    package = package_of(CONSTRUCTORS)
    releasers = frozenset({("os.File", ("Close",), "")})
    # tempFile cleans up itself, and namedTemp returns what tempFile made
    assert semantic.functions_returning(package, releasers) == {"openLog": "os.File"}


def test_error_returns_every_caller_ends_the_process_on_are_not_outlived():
    package = package_of(
        'import "log"\n\n'
        "func writeKey(p string) error {\n\tif bad(p) {\n\t\treturn errBad\n\t}\n"
        "\treturn nil\n}\n\n"
        'func main() {\n\tif err := writeKey("k"); err != nil {\n\t\tlog.Fatal(err)\n\t}\n}\n',
        name="main",
    )
    source = package.files[0]
    function = node_at(source, "func writeKey", "function_declaration")
    returns = semantic.own_returns(function)
    exits = [semantic.Exit(r, semantic.ExitKind.RETURN) for r in returns]
    kept = semantic.exits_outlived(package, source, function, exits)
    assert [source.text(e.node) for e in kept] == ["return nil"]  # `return errBad` ends main
