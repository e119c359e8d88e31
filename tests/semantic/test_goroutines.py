"""goroutines: loops that run forever and their ways out; a stop signal is read generously,
so a goroutine with anything like a way out is not called endless."""

from __future__ import annotations

import pytest

from linter import semantic
from tests.snippets import go_file, node_at


@pytest.mark.parametrize(
    ("loop", "forever"),
    [
        ("for {", True),
        ("for range ticker.C {", True),  # nobody closes a ticker's channel
        ("for range time.Tick(time.Second) {", True),
        ("for range jobs {", False),  # a channel someone may close
        ("for ok {", False),
        ("for i := 0; i < 3; i++ {", False),
    ],
)
def test_runs_forever(loop, forever):
    source = go_file(f'import "time"\n\nfunc f() {{\n\t{loop}\n\t\twork()\n\t}}\n}}\n')
    assert semantic.runs_forever(source, node_at(source, loop, "for_statement")) is forever


@pytest.mark.parametrize(
    ("receive", "stops"),
    [
        ("<-ctx.Done()", True),
        ("<-s.quit", True),
        ("<-stopCh", True),
        ("<-shutdownC", True),
        ("<-s.jobs", False),
        ("<-results", False),
    ],
)
def test_is_stop_signal_reads_the_channel_name(receive, stops):
    source = go_file(f"func f() {{\n\t_ = {receive}\n}}\n")
    node = node_at(source, receive, "unary_expression")
    assert semantic.is_stop_signal(source, node) is stops


def test_a_comma_ok_receive_notices_a_closed_channel():
    source = go_file("func f() {\n\tv, ok := <-jobs\n\t_, _ = v, ok\n}\n")
    assert semantic.is_stop_signal(source, node_at(source, "<-jobs", "unary_expression"))


@pytest.mark.parametrize(
    ("body", "way_out"),
    [
        ("\t\tif done() {\n\t\t\treturn\n\t\t}", "return"),
        ("\t\tif done() {\n\t\t\tbreak\n\t\t}", "for"),  # the loop itself: a break leaves it
        ('\t\tlog.Fatal("x")', 'log.Fatal("x")'),
        (
            "\t\tselect {\n\t\tcase <-ctx.Done():\n\t\tcase j := <-jobs:\n\t\t\tdo(j)\n\t\t}",
            "<-ctx.Done()",
        ),
        ("\t\tgo func() { return }()", None),  # a goroutine's return does not end this loop
        ("\t\tdo(<-jobs)", None),
    ],
)
def test_loop_has_way_out_and_endless_loop_without_exit(body, way_out):
    source = go_file(f'import "log"\n\nfunc f() {{\n\tfor {{\n{body}\n\t}}\n}}\n')
    function = node_at(source, "func f", "function_declaration")
    loop = node_at(source, "for {", "for_statement")
    found = semantic.loop_has_way_out(source, function, loop)
    if way_out is None:
        assert found is None
    else:
        assert found is not None and source.text(found).startswith(way_out)
    endless = semantic.endless_loop_without_exit(source, function)
    assert (endless is not None) is (way_out is None)
