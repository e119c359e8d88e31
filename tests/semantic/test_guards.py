"""guards: the nil checks that make a release optional; anything else is no guard."""

from __future__ import annotations

import pytest

from linter import semantic
from tests.snippets import go_file, node_at


def condition_of(text: str):
    source = go_file(f"func f() {{\n\tif {text} {{\n\t\tdefer resp.Body.Close()\n\t}}\n}}\n")
    return source, node_at(source, "if ", "if_statement").child_by_field_name("condition")


@pytest.mark.parametrize(
    ("condition", "guards"),
    [
        ("resp != nil", True),
        ("resp.Body != nil", True),
        ("nil != resp", True),
        ("(resp != nil && resp.Body != nil)", True),
        ("resp != nil && ok", False),  # `ok` false lets a live response reach the other branch
        ("resp == nil", False),
        ("other != nil", False),
        ("resp.Header != nil", False),  # another field: says nothing about the body
        ("ok", False),
    ],
)
def test_is_non_nil_guard_holds_only_for_checks_on_the_handle_and_its_owners(condition, guards):
    source, node = condition_of(condition)
    assert semantic.is_non_nil_guard(source, node, "resp.Body") is guards


def test_nil_guards_around_returns_the_guarding_condition_of_each_release():
    source = go_file(
        "func f() {\n"
        "\tif resp != nil {\n\t\tdefer resp.Body.Close()\n\t}\n"
        "\tif ok {\n\t\tresp.Body.Close()\n\t}\n"
        "}\n"
    )
    guarded = node_at(source, "defer resp.Body.Close()", "defer_statement")
    unguarded = node_at(source, "resp.Body.Close()", "call_expression", occurrence=1)
    guards = semantic.nil_guards_around(source, [guarded, unguarded], "resp.Body")
    assert [source.text(g) for g in guards] == ["resp != nil"]


@pytest.mark.parametrize(
    ("condition", "checked"),
    [("resp == nil", True), ("nil == resp", True), ("resp != nil", False), ("r == nil", False)],
)
def test_is_nil_check_of_the_value(condition, checked):
    source = go_file(f"func f() {{\n\tif {condition} {{\n\t}}\n}}\n")
    node = node_at(source, "if ", "if_statement").child_by_field_name("condition")
    assert semantic.is_nil_check(source, node, "resp") is checked
