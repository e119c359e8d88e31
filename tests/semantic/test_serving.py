"""serving: which operations on a channel the package may perform, read through package calls,
local aliases and receive-only getters; everything (ANYTHING) as soon as a use is out of
sight, so no rule claims a channel is unserved when it cannot see all of it."""

from __future__ import annotations

import pytest

from linter import semantic
from tests.snippets import node_at, package_of

FIELDS = """
import "os/signal"

type S struct {
	done    chan struct{}
	results chan int
}

func newS() *S { return &S{done: make(chan struct{}), results: make(chan int)} }

func (s *S) wait() { <-s.done }
{extra}
"""


def _field_service(extra: str, name: str = "done") -> semantic.Service:
    package = package_of(FIELDS.replace("{extra}", extra))
    shared = semantic.package_channel_field(package, name)
    assert shared is not None
    return semantic.channel_service(package, shared.uses)


@pytest.mark.parametrize(
    ("extra", "service"),
    [
        ("", semantic.Service(receives=True)),
        ("func (s *S) stop() { close(s.done) }", semantic.Service(receives=True, closes=True)),
        ("func (s *S) ping() { s.done <- struct{}{} }", semantic.Service(True, True, False)),
        # through a package function: what it does with its parameter
        (
            "func closer(c chan struct{}) { close(c) }\nfunc (s *S) stop() { closer(s.done) }",
            semantic.Service(receives=True, closes=True),
        ),
        (
            "func ignore(c chan struct{}) {}\nfunc (s *S) stop() { ignore(s.done) }",
            semantic.Service(receives=True),
        ),
        # a local alias: its uses are the field's
        (
            "func (s *S) stop() { d := s.done; close(d) }",
            semantic.Service(receives=True, closes=True),
        ),
        # out of sight: another package, a composite literal, a bidirectional getter
        ("func (s *S) notify() { signal.Notify(s.done) }", semantic.ANYTHING),
        (
            "func (s *S) keep() []chan struct{} { return []chan struct{}{s.done} }",
            semantic.ANYTHING,
        ),
        ("func (s *S) Done() chan struct{} { return s.done }", semantic.ANYTHING),
        # a receive-only getter: its callers can only receive
        ("func (s *S) Done() <-chan struct{} { return s.done }", semantic.Service(receives=True)),
    ],
)
def test_field_service(extra, service):
    assert _field_service(extra) == service


def test_rebound_alias_is_out_of_sight():
    extra = "func (s *S) stop(other chan struct{}) { d := s.done; d = other; <-d }"
    assert _field_service(extra) == semantic.ANYTHING


def test_keyed_literal_values_are_paired_with_their_own_keys():
    """`{results: make(chan int), done: nil}`-style literals: each key is read with its own
    value, whatever order the query reports them in."""
    package = package_of(
        """
type T struct {
	a    int
	feed chan int
	b    string
	sink chan int
}

func build(x int) *T {
	return &T{a: x, feed: make(chan int), b: "x", sink: nil}
}

func (t *T) open() { t.sink = make(chan int) }
"""
    )
    assert semantic.package_channel_field(package, "feed") is not None
    assert semantic.package_channel_field(package, "sink") is not None


ACTOR = """
type node struct {
	status chan chan int
	stop   chan struct{}
	done   chan struct{}
	other  chan int
}

func (n *node) run() {
	for {
		select {
		case c := <-n.status:
			c <- 1
		case <-n.stop:
			close(n.done)
			return
		}
	}
}
{extra}
"""


def _stops(extra: str) -> tuple[list[semantic.ServerStop], object]:
    package = package_of(ACTOR.replace("{extra}", extra))
    shared = semantic.package_channel_field(package, "status")
    assert shared is not None
    stops = semantic.server_stops(package, shared.uses)
    return stops, semantic.guarded_elsewhere(package, stops) if stops else None


def test_a_serving_loop_that_stops_and_a_guard_on_what_it_closes():
    stops, guard = _stops(
        "func (n *node) Stop() {\n\tselect {\n\tcase n.stop <- struct{}{}:\n"
        "\tcase <-n.done:\n\t}\n}\n\nfunc newNode() *node {\n"
        "\treturn &node{status: make(chan chan int)}\n}\n"
    )
    assert len(stops) == 1
    assert stops[0].go_file.text(stops[0].leave).startswith("case <-n.stop:")
    assert guard is not None


def test_no_guard_when_other_senders_watch_nothing_the_server_closes():
    _, guard = _stops(
        "func (n *node) Stop() {\n\tselect {\n\tcase n.stop <- struct{}{}:\n"
        "\tcase <-n.other:\n\t}\n}\n\nfunc newNode() *node {\n"
        "\treturn &node{status: make(chan chan int)}\n}\n"
    )
    assert guard is None


def test_a_bare_receive_elsewhere_is_a_server_that_never_stops():
    stops, _ = _stops(
        "func (n *node) poll() { <-n.status }\n\nfunc newNode() *node {\n"
        "\treturn &node{status: make(chan chan int)}\n}\n"
    )
    assert stops == []


CALLS = """
func produce(ch chan int) {
	for range 3 {
		ch <- 1
	}
}

func finish(ch chan int) {
	close(ch)
}

func forward(ch chan int) {
	finish(ch)
}

func keep(ch chan int) {
	saved = ch
}

func consume(ch <-chan int) {}

func run() {
	ch := make(chan int)
	produce(ch)
	forward(ch)
	keep(ch)
	consume(ch)
	other.Handle(ch)
}
"""


@pytest.mark.parametrize(
    ("call", "may_close"),
    [
        ("produce(ch)", False),  # only sends
        ("forward(ch)", True),  # closes it one call further
        ("keep(ch)", True),  # stores it: out of sight
        ("consume(ch)", False),  # receive-only parameter: it can only receive
        ("other.Handle(ch)", True),  # another package's function: unknown
    ],
)
def test_what_a_call_may_do_with_a_channel_passed_to_it(call, may_close):
    package = package_of(CALLS)
    source = package.files[0]
    argument = node_at(source, call, "call_expression").child_by_field_name("arguments")
    ref = argument.named_children[0]
    assert semantic.channel_service(package, [(source, ref)]).closes is may_close


SLOT = """
const slots = 2

type C struct{ out chan error }

func newC(n int) *C { return &C{out: make(chan error{size})} }

func (c *C) start() { go c.send() }

func (c *C) send() {
	{send}
}
"""


@pytest.mark.parametrize(
    ("size", "send", "fits"),
    [
        (", 1", "c.out <- nil", True),  # one send, one call of send, a slot of one
        (", slots", "c.out <- nil\n\tc.out <- nil", True),  # a constant buffer of two
        (", 1", "c.out <- nil\n\tc.out <- nil", False),  # two sends, one slot
        (", 1", "for {\n\t\tc.out <- nil\n\t}", False),  # a send in a loop
        (", n", "c.out <- nil", False),  # sized at run time
        ("", "c.out <- nil", False),  # unbuffered
    ],
)
def test_sends_fit_buffer(size, send, fits):
    package = package_of(SLOT.replace("{size}", size).replace("{send}", send))
    shared = semantic.package_channel_field(package, "out")
    assert shared is not None
    assert semantic.sends_fit_buffer(package, shared) is fits


@pytest.mark.parametrize(
    "callers",
    [
        "func (c *C) again() { c.send() }",  # a second call
        "func (c *C) each(xs []int) {\n\tfor range xs {\n\t\tc.send()\n\t}\n}",  # in a loop
    ],
)
def test_a_slot_sender_called_more_than_once_may_fill_it(callers):
    package = package_of(SLOT.replace("{size}", ", 1").replace("{send}", "c.out <- nil"), callers)
    shared = semantic.package_channel_field(package, "out")
    assert shared is not None
    assert not semantic.sends_fit_buffer(package, shared)
