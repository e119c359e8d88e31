"""balance: does every way out of a channel's scope match what its goroutines wait for?
The paths are the control-flow graph's, `goto` included."""

from __future__ import annotations

import pytest

from linter import semantic
from linter.semantic import UNBOUNDED, ExitKind
from tests.snippets import go_file, node_at, package_of


def unbalanced(body: str, slack: float = 0) -> list[tuple[ExitKind, float, float]]:
    """Exits of `f` where the goroutine started by the first `go` statement (owing one send
    on `ch`) is left blocked; every `<-ch` in `f` matches one, a `range ch` all of them."""
    code = f"func f(ok bool) {{\n\tch := make(chan int)\n{body}\n}}\n"
    return [(e.kind, e.balance.owed, e.balance.matched) for e in _exits(code, slack=slack)]


def _exits(
    code: str, binding: str = "ch := make(chan int)", slack: float = 0
) -> list[semantic.UnbalancedExit]:
    """`unbalanced_exits` for the channel `binding` makes in `f` of `code`."""
    package = package_of(code)
    source = package.files[0]
    function = node_at(source, "func f", "function_declaration")
    bound = node_at(source, binding, "short_var_declaration")
    statements = semantic.go_statements(source, function)
    launches = [(statements[0], 1.0)] if statements else []
    events = list(_matching(source, function))
    return semantic.unbalanced_exits(package, source, bound, launches, events, slack)


def _matching(source, node):
    """(node, weight) of f's own receives on `ch`: 1 each, and without bound for a range."""
    if node.type == "unary_expression" and source.text(node) == "<-ch":
        yield node, 1.0
    right = semantic.range_expression(node) if node.type == "for_statement" else None
    if right is not None and source.text(right) == "ch":
        yield right, UNBOUNDED
    for child in node.named_children:
        if child.type != "func_literal":
            yield from _matching(source, child)


GO = "\tgo func() { ch <- 1 }()\n"


def test_a_receive_on_every_path_balances():
    assert unbalanced(GO + "\t<-ch\n\treturn") == []


def test_an_early_return_before_the_receive_leaves_the_goroutine_blocked():
    found = unbalanced(GO + "\tif ok {\n\t\treturn\n\t}\n\t<-ch\n\treturn")
    assert found == [(ExitKind.RETURN, 1, 0)]


def test_a_buffer_of_one_is_slack_enough():
    assert unbalanced(GO + "\tif ok {\n\t\treturn\n\t}\n\t<-ch\n\treturn", slack=1) == []


def test_the_end_of_the_function_is_an_exit():
    assert unbalanced(GO + "\tif ok {\n\t\t<-ch\n\t}") == [(ExitKind.FUNCTION_END, 1, 0)]


def test_a_range_matches_every_value():
    assert unbalanced(GO + "\tfor v := range ch {\n\t\t_ = v\n\t}\n\treturn") == []


def test_a_goto_past_the_receive_is_followed():
    body = GO + "\tif ok {\n\t\tgoto done\n\t}\n\t<-ch\ndone:\n\treturn"
    assert unbalanced(body) == [(ExitKind.RETURN, 1, 0)]


def test_a_goto_back_over_the_receive_balances():
    body = GO + "again:\n\tif !ok {\n\t\tok = true\n\t\tgoto again\n\t}\n\t<-ch\n\treturn"
    assert unbalanced(body) == []


def test_a_goto_cycle_that_launches_owes_without_bound():
    body = "again:\n" + GO + "\tif ok {\n\t\tgoto again\n\t}\n\t<-ch\n\treturn"
    assert unbalanced(body) == [(ExitKind.RETURN, UNBOUNDED, 1)]


def test_a_goto_out_of_the_channels_block_leaves_its_scope():
    body = (
        "\tif ok {\n\t\tc := make(chan int)\n\t\tgo func() { c <- 1 }()\n"
        "\t\tgoto done\n\t}\ndone:\n\t<-ch"
    )
    found = _exits(f"func f(ok bool) {{\n\tch := make(chan int)\n{body}\n}}\n", "c := make")
    assert [(e.kind, e.node.type) for e in found] == [(ExitKind.GOTO, "goto_statement")]


@pytest.mark.parametrize(
    ("condition", "counts"),
    [("remaining == 0", True), ("seen >= want", True), ("ok == true", False), ("ready()", False)],
)
def test_is_counter_check_needs_the_loop_to_count_with_the_variable(condition, counts):
    source = go_file(
        f"func f() {{\n\tfor {{\n\t\t<-ch\n\t\tremaining--\n\t\tseen += 1\n"
        f"\t\tif {condition} {{\n\t\t\treturn\n\t\t}}\n\t}}\n}}\n"
    )
    loop = node_at(source, "for {", "for_statement")
    node = node_at(source, "if ", "if_statement").child_by_field_name("condition")
    assert semantic.is_counter_check(source, node, loop) is counts


def test_scope_statement_is_none_in_a_header():
    source = go_file(
        "func f() {\n\tch := make(chan int)\n\tif c := make(chan int); c != nil {\n\t}\n}\n"
    )
    in_block = node_at(source, "make(chan int)", "call_expression")
    in_header = node_at(source, "make(chan int)", "call_expression", occurrence=1)
    statement = semantic.scope_statement(in_block)
    assert statement is not None and statement.type == "short_var_declaration"
    assert semantic.scope_statement(in_header) is None


def test_go_statements_of_a_file_and_of_a_scope():
    source = go_file("func f() {\n\tgo a()\n}\n\nfunc g() {\n\tgo b()\n\t// go c()\n}\n")
    assert [source.text(g) for g in semantic.go_statements(source)] == ["go a()", "go b()"]
    g = node_at(source, "func g", "function_declaration")
    assert [source.text(s) for s in semantic.go_statements(source, g)] == ["go b()"]


def test_a_select_case_matches_only_on_its_own_path():
    found = unbalanced(GO + "\tselect {\n\tcase <-ch:\n\tcase <-ok:\n\t}")
    assert found == [(ExitKind.FUNCTION_END, 1, 0)]


def test_a_channel_made_in_a_loop_body_is_left_at_the_end_of_the_iteration():
    found = _exits(
        "func f(ok bool) {\n\tfor {\n\t\tch := make(chan int)\n\t\tgo func() { ch <- 1 }()\n"
        "\t\tif ok {\n\t\t\t<-ch\n\t\t}\n\t}\n}\n"
    )
    assert [(e.kind, e.balance.owed, e.balance.matched) for e in found] == [
        (ExitKind.ITERATION_END, 1, 0)
    ]
