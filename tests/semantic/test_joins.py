"""joins: the `wg.Wait()` that waits for a goroutine the function started; empty when unsure."""

from __future__ import annotations

import pytest

from linter import semantic
from tests.snippets import descendants, go_file, node_at

SOURCE = """
func fanOut(jobs []int) {
	var wg sync.WaitGroup
	wg.Wait() // before the goroutine starts: joins nothing
	wg.Add(1)
	go func() {
		defer wg.Done()
		work()
	}()
	go func() {
		wg.Wait()
		close(out)
	}()
	wg.Wait()
}

func lastDone() {
	go func() {
		work()
		wg.Done()
	}()
}

func earlyDone() {
	go func() {
		wg.Done()
		work()
	}()
}

func named() {
	go worker(&wg)
}
"""


def literal(source, occurrence: int):
    return node_at(source, "func() {", "func_literal", occurrence)


def test_wait_group_of_needs_a_deferred_or_final_done():
    source = go_file(SOURCE)
    assert semantic.wait_group_of(source, literal(source, 0)) == "wg"
    assert semantic.wait_group_of(source, literal(source, 2)) == "wg"  # Done() as the last step
    assert semantic.wait_group_of(source, literal(source, 3)) is None  # work() after Done()


def test_joins_of_counts_only_the_functions_own_waits_after_the_go_statement():
    source = go_file(SOURCE)
    function = node_at(source, "func fanOut", "function_declaration")
    start = node_at(source, "go func() {", "go_statement")
    joins = semantic.joins_of(source, function, literal(source, 0), start)
    last_wait = source.data.rindex(b"wg.Wait()")  # not the one before `go`, nor the goroutine's
    assert [(source.text(j), j.start_byte) for j in joins] == [("wg.Wait()", last_wait)]


def test_joins_of_is_empty_for_a_named_worker():
    source = go_file(SOURCE)
    function = node_at(source, "func named", "function_declaration")
    start = node_at(source, "go worker(&wg)", "go_statement")
    call = node_at(source, "worker(&wg)", "call_expression")
    assert semantic.joins_of(source, function, call, start) == []


def test_comes_before_any_return_requires_no_return_in_between():
    source = go_file(
        "func f(ok bool) {\n\tstart()\n\tif ok {\n\t\treturn\n\t}\n\tstop()\n}\n"
        "func g() {\n\tstart()\n\tstop()\n}\n"
    )

    def is_stop(stmt) -> bool:
        return source.text(stmt) == "stop()"

    for name, expected in (("f", False), ("g", True)):
        function = node_at(source, f"func {name}", "function_declaration")
        start = node_at(
            source, "start()", "expression_statement", occurrence=0 if name == "f" else 1
        )
        assert semantic.comes_before_any_return(source, start, function, is_stop) is expected


@pytest.mark.parametrize(
    ("body", "finishes"),
    [
        ("\t\tdefer close(done)\n\t\twork()", True),
        ("\t\twork()\n\t\tclose(done)", True),
        ("\t\twork()\n\t\tdone <- true", True),
        ("\t\tdone <- true\n\t\twork()", False),
        ("\t\tif ok {\n\t\t\tclose(done)\n\t\t}", False),  # on one path only
    ],
)
def test_finishes_with_the_last_statement_or_a_top_level_defer(body, finishes):
    source = go_file(f"func f(ok bool) {{\n\tgo func() {{\n{body}\n\t}}()\n}}\n")
    goroutine = node_at(source, "func() {", "func_literal")
    ops = [
        node
        for node in descendants(goroutine, "send_statement")
        + descendants(goroutine, "call_expression")
        if source.text(node) in ("close(done)", "done <- true")
    ]
    assert semantic.finishes_with(goroutine, ops) is finishes
