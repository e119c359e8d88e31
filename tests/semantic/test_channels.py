"""channels: what each use of a channel does, which channels are ours to follow, and whether
one may be closed out of sight (yes, whenever unsure: a range over it is then not flagged)."""

from __future__ import annotations

import pytest

from linter import semantic
from tests.snippets import descendants, go_file, node_at, package_of


@pytest.mark.parametrize(
    ("statement", "use"),
    [
        ("ch <- 1", semantic.ChannelUse.SEND),
        ("out <- ch", semantic.ChannelUse.ESCAPE),  # sent as a value
        ("<-ch", semantic.ChannelUse.RECEIVE),
        ("for range ch {\n\t}", semantic.ChannelUse.RANGE),
        ("close(ch)", semantic.ChannelUse.CLOSE),
        ("_ = len(ch)", semantic.ChannelUse.INSPECT),
        ("_ = ch == nil", semantic.ChannelUse.INSPECT),
        ("consume(ch)", semantic.ChannelUse.ARGUMENT),
        ("ch = make(chan int)", semantic.ChannelUse.BIND),
        ("return ch", semantic.ChannelUse.ESCAPE),
        ("s.jobs = ch", semantic.ChannelUse.ESCAPE),
        ("p := &ch", semantic.ChannelUse.ESCAPE),
        ("_ = T{ch: 1}", semantic.ChannelUse.LABEL),  # a key spelled like the channel
        ("_ = T{c: ch}", semantic.ChannelUse.ESCAPE),
    ],
)
def test_channel_use(statement, use):
    source = go_file(f"func f(out chan chan int) chan int {{\n\t{statement}\n\treturn nil\n}}\n")
    function = node_at(source, "func f", "function_declaration")
    ref = semantic.references(source, function.child_by_field_name("body"), "ch")[0]
    assert semantic.channel_use(source, ref) == use


@pytest.mark.parametrize(
    ("make", "capacity"),
    [("make(chan int)", 0), ("make(chan int, 4)", 4), ("make(chan int, n)", None)],
)
def test_channel_capacity_is_none_when_sized_at_run_time(make, capacity):
    source = go_file(f"func f() {{\n\t_ = {make}\n}}\n")
    call = node_at(source, make, "call_expression")
    assert semantic.channel_make(source, call) is not None
    assert semantic.channel_capacity(source, call) == capacity


def test_channel_makes_and_element_type():
    source = go_file(
        "func f() {\n\ta := make(chan *Response)\n\tb := make([]int, 3)\n"
        "\t_ = (make(chan int))\n}\n"
    )
    makes = semantic.channel_makes(source)
    assert [source.text(m) for m in makes] == ["make(chan *Response)", "make(chan int)"]
    assert semantic.channel_element_type(source, makes[0]) == "*Response"


LOCAL = """
func made() {
	ch := make(chan int)
	ch = make(chan int, 1)
	<-ch
}

func fromElsewhere(src func() chan int) {
	ch := make(chan int)
	ch = src()
	<-ch
}

func param(ch chan int) {
	<-ch
}

func declaredThenMade() {
	var ch chan int
	ch = make(chan int)
	<-ch
}
"""


@pytest.mark.parametrize(
    ("function", "makes"),
    [("made", 2), ("fromElsewhere", None), ("param", None), ("declaredThenMade", 1)],
)
def test_local_channel_only_when_every_assignment_is_a_make(function, makes):
    source = go_file(LOCAL)
    declaration = node_at(source, f"func {function}", "function_declaration")
    receive = descendants(declaration, "unary_expression")[-1]  # the closing `<-ch`
    channel = semantic.local_channel(source, receive.child_by_field_name("operand"))
    assert (len(channel.makes) if channel is not None else None) == makes


def test_channel_types():
    source = go_file("func f(a chan int, b <-chan int, c chan<- int) {}\n")
    function = node_at(source, "func f", "function_declaration")
    kinds = {
        name: (
            semantic.is_bidirectional_channel_type(source, type_node),
            semantic.is_receive_only_channel_type(source, type_node),
        )
        for name, type_node, _ in semantic.parameters(source, function)
    }
    assert kinds == {"a": (True, False), "b": (False, True), "c": (False, False)}


def test_callee_declarations_follow_package_functions_and_methods_by_name():
    package = package_of(
        "func work() {}\n\nfunc (s *S) run() {}\n\n"
        "func f(s *S) {\n\twork()\n\ts.run()\n\tfmt.Println()\n}\n\n"
        "func g() {\n\twork()\n\twork := func() {}\n\twork()\n}\n",
        'import "fmt"\n',
    )
    source = package.files[0]

    def callees(call: str, occurrence: int = 0) -> list[str]:
        node = node_at(source, call, "call_expression", occurrence)
        found = semantic.callee_declarations(package, source, node)
        return [semantic.function_name(f, d) for f, d in found]

    assert callees("work()", 1) == ["work"]
    assert callees("s.run()") == ["run"]  # any method of that name: no types
    assert callees("fmt.Println()") == []  # another package
    # A local function value of the same name hides the package function everywhere in g,
    # even before its declaration: no callee means "unknown", and callers stay silent.
    assert callees("work()", 2) == callees("work()", 3) == []


PACKAGE_CHANNELS = """
type server struct {
	jobs chan int
	quit chan struct{}
	Out  chan int
}

type other struct {
	quit int
}

var (
	events = make(chan int)
	Events = make(chan int)
	plain  int
)

func newServer() *server {
	return &server{jobs: make(chan int)}
}

func (s *server) run() {
	for range s.jobs {
	}
	<-events
}
"""


def test_package_channels_are_unexported_and_unambiguous():
    package = package_of(PACKAGE_CHANNELS)
    assert semantic.package_mentions_channels(package)
    # `quit` is also an int field of another struct: without types, not ours to follow.
    assert semantic.package_channel_field_names(package) == {"jobs"}
    assert semantic.package_channel_global_names(package) == {"events"}
    jobs = semantic.package_channel_field(package, "jobs")
    assert jobs is not None and jobs.is_field and len(jobs.uses) == 1
    events = semantic.package_channel_global(package, "events")
    assert events is not None and not events.is_field and len(events.uses) == 2
    assert semantic.package_channel_field(package, "quit") is None


def test_a_field_set_from_elsewhere_is_not_ours():
    package = package_of(
        PACKAGE_CHANNELS + "\nfunc adopt(c chan int) *server {\n\treturn &server{jobs: c}\n}\n"
    )
    assert semantic.package_channel_field(package, "jobs") is None


@pytest.mark.parametrize(
    ("code", "committed"),
    [
        ("\tch <- 1", True),
        ("\tselect {\n\tcase ch <- 1:\n\t}", True),
        ("\tselect {\n\tcase ch <- 1:\n\tcase <-ctx.Done():\n\t}", False),
        ("\tselect {\n\tcase ch <- 1:\n\tdefault:\n\t}", False),
    ],
)
def test_is_committed_channel_op(code, committed):
    source = go_file(f"func f() {{\n{code}\n}}\n")
    send = node_at(source, "ch <- 1", "send_statement")
    assert semantic.is_committed_channel_op(source, send, "ch") is committed


def test_goroutine_of_looks_through_deferred_closures_only():
    source = go_file("func f() {\n\tdefer func() { a() }()\n\tgo func() { b() }()\n}\n")
    function = node_at(source, "func f", "function_declaration")
    assert semantic.goroutine_of(node_at(source, "a()", "call_expression")) == function
    goroutine = semantic.goroutine_of(node_at(source, "b()", "call_expression"))
    assert goroutine is not None and goroutine.type == "func_literal"


def test_is_terminating_call_knows_test_and_logger_methods():
    source = go_file('func f(t *testing.T) {\n\tt.Fatalf("x")\n\tt.Logf("y")\n}\n')
    fatal = node_at(source, 't.Fatalf("x")', "call_expression")
    log = node_at(source, 't.Logf("y")', "call_expression")
    assert semantic.is_terminating_call(source, fatal)
    assert not semantic.is_terminating_call(source, log)


@pytest.mark.parametrize(
    ("body", "checks"),
    [
        ("\tv, ok := <-results\n\tif !ok {\n\t\treturn\n\t}\n\t_ = v", 1),
        ("\tvar v int\n\tvar ok bool\n\tv, ok = <-results\n\tif ok == false {\n\t\treturn\n\t}", 1),
        (
            "\tselect {\n\tcase v, ok := <-results:\n"
            "\t\tif !ok {\n\t\t\treturn\n\t\t}\n\t\t_ = v\n\t}",
            1,
        ),
        ("\tv, ok := <-results\n\tif !ok || v > 3 {\n\t\treturn\n\t}", 0),
        ("\tv, ok := <-results\n\tuse(v)\n\tif !ok {\n\t\treturn\n\t}", 0),  # not right after
        ("\tv, ok := <-other\n\tif !ok {\n\t\treturn\n\t}\n\t_ = v", 0),
    ],
)
def test_closed_checks_follow_a_comma_ok_receive_at_once(body, checks):
    source = go_file(f"func f(results, other chan int) {{\n{body}\n}}\n")
    function = node_at(source, "func f", "function_declaration")
    found = semantic.closed_checks(source, function, "results")
    assert len(found) == checks
    assert all(check.type == "if_statement" for check in found)


def test_select_case_of_is_the_case_whose_communication_the_operation_is():
    source = go_file(
        "func f(ch chan int, out chan int) {\n\tselect {\n\tcase v, ok := <-ch:\n"
        "\t\tout <- v\n\t\t_ = ok\n\t}\n}\n"
    )
    receive = node_at(source, "<-ch", "unary_expression")
    send = node_at(source, "out <- v", "send_statement")
    assert semantic.select_case_of(receive) == node_at(source, "case v", "communication_case")
    assert semantic.select_case_of(send) is None  # in the case's body, not its communication
