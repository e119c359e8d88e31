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
