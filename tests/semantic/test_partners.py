"""partners: who sends, receives and closes on a channel a function makes."""

from __future__ import annotations

import pytest

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


def _token_taken_back(goroutine_body: str) -> bool:
    source = package_of(
        "func fetch(ctx context.Context) {\n\tsem := make(chan int, 2)\n"
        f"\tgo func() {{\n{goroutine_body}\n\t}}()\n}}\n"
    ).files[0]
    literal = node_at(source, "func() {", "func_literal")
    receive = node_at(source, "<-sem", "unary_expression")
    sends = [node_at(source, "sem <- 1", "send_statement")] if "sem <- 1" in goroutine_body else []
    return semantic.takes_back_own_token(source, literal, receive, sends)


@pytest.mark.parametrize(
    ("body", "taken_back"),
    [
        ("\t\tsem <- 1\n\t\tdefer func() { <-sem }()\n\t\twork()", True),
        (
            "\t\tselect {\n\t\tcase sem <- 1:\n\t\tcase <-ctx.Done():\n\t\t\treturn\n\t\t}\n"
            "\t\tdefer func() { <-sem }()",
            True,
        ),
        (  # the other case goes on to the receive without having sent
            "\t\tselect {\n\t\tcase sem <- 1:\n\t\tcase <-ctx.Done():\n\t\t}\n\t\t<-sem",
            False,
        ),
        ("\t\t<-sem\n\t\tsem <- 1", False),  # the receive comes first
        ("\t\tif ok() {\n\t\t\tsem <- 1\n\t\t}\n\t\t<-sem", False),  # sent on one path only
        ("\t\t<-sem", False),  # nothing sent
    ],
)
def test_takes_back_own_token(body, taken_back):
    assert _token_taken_back(body) is taken_back


def _semaphore(capacity: str):
    return partners(
        f"func fetch(ctx context.Context) {{\n\tsem := make(chan int{capacity})\n"
        "\tgo func() {\n\t\tsem <- 1\n\t\tdefer func() { <-sem }()\n\t}()\n}\n"
    )[1]


def test_a_launch_drops_the_receive_of_its_own_token_from_a_buffered_channel():
    assert _semaphore("") is None  # unbuffered: it both sends and receives, not judged
    found = _semaphore(", 1")
    assert found is not None and not any(x.receives for x in found.launches)
