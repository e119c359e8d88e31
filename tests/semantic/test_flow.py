"""flow: questions asked of a function's control-flow graph."""

from __future__ import annotations

from linter import semantic
from linter.semantic import ExitKind, facts
from tests.snippets import node_at, package_of


def exits(code: str, in_function: bool = False) -> list[tuple[ExitKind, int]]:
    """Exits without `cancel` after the `:=`/`=` that binds it, declared in that statement's
    block (or, `in_function`, a variable of the whole function)."""
    package = package_of(code)
    source = package.files[0]
    function = node_at(source, "func f", "function_declaration")
    statement = node_at(
        source,
        "ctx, cancel",
        "short_var_declaration" if not in_function else "assignment_statement",
    )
    scope = function if in_function else statement.parent
    found = semantic.exits_without_mention(package, source, function, statement, "cancel", scope)
    return [(e.kind, e.node.start_point[0]) for e in found]


def test_every_exit_that_skips_the_variable_is_listed():
    code = (
        "func f() error {\n"
        "\tctx, cancel := with()\n"
        "\tif bad(ctx) {\n"
        "\t\treturn errBad\n"  # line 5: skips cancel
        "\t}\n"
        "\tdefer cancel()\n"
        "\treturn nil\n"
        "}\n"
    )
    assert exits(code) == [(ExitKind.RETURN, 5)]


def test_a_goto_past_the_mention_is_followed():
    code = (
        "func f() {\n"
        "\tctx, cancel := with()\n"
        "\tif bad(ctx) {\n"
        "\t\tgoto out\n"
        "\t}\n"
        "\tcancel()\n"
        "out:\n"
        "\tuse(ctx)\n"
        "}\n"  # line 10: reached through the goto without cancel
    )
    assert exits(code) == [(ExitKind.FUNCTION_END, 10)]


def test_a_naked_return_mentions_a_named_result():
    code = "func f() (ctx C, cancel func()) {\n\tctx, cancel = with()\n\treturn\n}\n"
    assert exits(code, in_function=True) == []


def test_the_graph_is_built_once_per_function_in_a_check():
    package = package_of("func f() {\n\tuse()\n}\n")
    source = package.files[0]
    function = node_at(source, "func f", "function_declaration")
    with facts.checking(package):
        graph = semantic.function_graph(package, source, function)
        assert graph is not None and semantic.function_graph(package, source, function) is graph


def test_a_test_failure_on_any_testing_value_ends_the_path():
    code = (
        'import "testing"\n\n'
        "func f(bad bool) {\n"
        "\tctx, cancel := with()\n"
        "\tif bad {\n"
        "\t\tnew(testing.T).FailNow()\n"  # a *testing.T that is no parameter: still the end
        "\t}\n"
        "\tuse(ctx)\n"
        "\tcancel()\n"
        "}\n"
    )
    assert exits(code) == []


def test_blocks_say_which_statement_made_them_and_why():
    code = (
        "func f(xs []int, c chan int) {\n"
        "\tif len(xs) > 0 {\n"
        "\t\tuse(xs)\n"
        "\t} else {\n"
        "\t\tuse(nil)\n"
        "\t}\n"
        "\tfor i := 0; i < 3; i++ {\n"
        "\t}\n"
        "\tfor range xs {\n"
        "\t}\n"
        "\tswitch len(xs) {\n"
        "\tcase 1:\n"
        "\t\tfallthrough\n"
        "\tdefault:\n"
        "\t}\n"
        "\tselect {\n"
        "\tcase <-c:\n"
        "\t}\n"
        "}\n"
    )
    package = package_of(code)
    source = package.files[0]
    function = node_at(source, "func f", "function_declaration")
    graph = semantic.function_graph(package, source, function)
    kinds = {(b.kind.value, b.stmt.type if b.stmt is not None else None) for b in graph.blocks}
    assert {
        ("body", None),
        ("if.then", "if_statement"),
        ("if.else", "if_statement"),
        ("if.done", "if_statement"),
        ("for.loop", "for_statement"),
        ("for.body", "for_statement"),
        ("for.post", "for_statement"),
        ("for.done", "for_statement"),
        ("range.loop", "for_statement"),
        ("range.body", "for_statement"),
        ("range.done", "for_statement"),
        ("switch.body", "expression_case"),
        ("switch.body", "default_case"),
        ("switch.next", "expression_case"),
        ("switch.done", "expression_switch_statement"),
        ("select.body", "communication_case"),
        ("select.next", "communication_case"),
        ("select.done", "select_statement"),
    } <= kinds
    condition = next(b for b in graph.blocks if b.succs and b.succs[0].kind.value == "if.then")
    assert source.text(condition.nodes[-1]) == "len(xs) > 0"
    assert condition.succs[1].kind.value == "if.else"
