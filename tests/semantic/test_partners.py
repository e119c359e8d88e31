"""partners: who sends, receives and closes on a channel a function makes."""

from __future__ import annotations

from linter import semantic
from tests.snippets import node_at, package_of

FETCH = """
func fetch(ctx context.Context) int {
	ch := make(chan int)
	go func() { ch <- work() }()
	go worker(ch)
	select {
	case v := <-ch:
		return v
	case <-ctx.Done():
		return 0
	}
}

func worker(out chan int) {
	select {
	case out <- 1:
	case <-time.After(time.Second):
	}
}
"""


def partners(source_text: str, function: str = "func fetch"):
    package = package_of(source_text)
    source = package.files[0]
    make = node_at(source, "make(chan", "call_expression")
    owner = node_at(source, function, "function_declaration")
    return source, semantic.channel_partners(package, source, owner, make)


def test_launches_are_the_goroutines_using_the_channel_with_their_committed_operations():
    source, found = partners(FETCH)
    assert found is not None and found.name == "ch" and found.capacity == 0
    literal, worker = found.launches
    assert [source.text(op) for op in literal.sends] == ["ch <- work()"]
    assert worker.sends == ()  # a send in a select that can give up is not committed
    assert [source.text(op) for op, _ in found.receives] == ["<-ch"]
    assert found.senders == [literal]


def test_a_channel_handed_elsewhere_has_no_partners_we_can_see():
    _, found = partners(
        "func fetch() chan int {\n\tch := make(chan int)\n\tgo f(ch)\n\treturn ch\n}\n"
    )
    assert found is None


def test_a_done_channel_closed_as_the_goroutines_last_act_signals_completion():
    code = (
        "func fetch() {\n\tdone := make(chan struct{})\n"
        "\tgo func() {\n\t\tdefer close(done)\n\t\twork()\n\t}()\n\t<-done\n}\n"
    )
    _, found = partners(code)
    assert found is not None and found.signals_completion


def test_a_select_case_on_a_channel_nobody_serves_is_dead():
    package = package_of(
        "func f(ctx context.Context) {\n\tnever := make(chan int)\n"
        "\tselect {\n\tcase <-never:\n\tcase <-ctx.Done():\n\t}\n}\n"
    )
    source = package.files[0]
    function = node_at(source, "func f", "function_declaration")
    case = node_at(source, "case <-never:", "communication_case")
    assert semantic.dead_select_cases(source, function) == frozenset({case.id})
