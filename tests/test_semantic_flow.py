"""linter.semantic.flow: questions asked of a function's control-flow graph."""

from __future__ import annotations

from pathlib import Path

from linter import semantic
from linter.source import Package
from tests.semantic_snippets import first_function, go_file


def _package(go):
    return Package(Path("."), "p", [go])


def _exits(code: str, in_function: bool = False) -> list[tuple[semantic.ExitKind, int]]:
    """Exits without `cancel` after the first statement, which declares it in its block (or,
    `in_function`, assigns a variable of the whole function)."""
    go = go_file(code)
    function = first_function(go)
    statement = semantic.statements(function.child_by_field_name("body"))[0]
    scope = function if in_function else statement.parent
    exits = semantic.exits_without_mention(_package(go), go, function, statement, "cancel", scope)
    return [(e.kind, e.node.start_point[0]) for e in exits]


def test_every_exit_that_skips_the_variable_is_listed():
    code = (
        "func f() error {\n"  # line 3
        "\tctx, cancel := with()\n"
        "\tif bad(ctx) {\n"
        "\t\treturn errBad\n"  # line 6: skips cancel
        "\t}\n"
        "\tdefer cancel()\n"
        "\treturn nil\n"
        "}\n"
    )
    assert _exits(code) == [(semantic.ExitKind.RETURN, 6)]


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
        "}\n"  # line 11: reached through the goto without cancel
    )
    assert _exits(code) == [(semantic.ExitKind.FUNCTION_END, 11)]


def test_a_naked_return_mentions_a_named_result():
    code = "func f() (ctx C, cancel func()) {\n\tctx, cancel = with()\n\treturn\n}\n"
    assert _exits(code, in_function=True) == []


def test_the_graph_is_built_once_per_function():
    go = go_file("func f() {\n\tuse()\n}\n")
    package = _package(go)
    function = first_function(go)
    graph = semantic.function_graph(package, go, function)
    assert graph is not None and semantic.function_graph(package, go, function) is graph
