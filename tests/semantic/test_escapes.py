"""escape_of: the uses that hand a local value to someone else, making it not ours to judge."""

from __future__ import annotations

import pytest

from linter import semantic
from tests.snippets import go_file, node_at


def first_escape(body: str) -> str | None:
    """How `t`, bound by the first statement of `f`, first escapes (None: it stays)."""
    source = go_file(f"func f(out chan *T, s *S) *T {{\n\tt := newT()\n{body}\n\treturn nil\n}}\n")
    function = node_at(source, "func f", "function_declaration")
    binding = node_at(source, "t := newT()", "short_var_declaration")
    escape = semantic.escape_of(source, function, "t", binding)
    if escape is None:
        return None
    return escape.use.kind.value if escape.use is not None else "captured"


@pytest.mark.parametrize(
    ("body", "how"),
    [
        ("\treturn t", "returned"),
        ("\ts.t = t", "assigned"),
        ("\tkeep(t)", "passed"),
        ("\tout <- t", "sent"),
        ("\tp := &t\n\t_ = p", "address taken"),
        ("\t_ = []*T{t}", "stored"),
        ("\tgo func() { t.Run() }()", "captured"),
        ("\tfunc() { t.Run() }()", "captured"),  # a call the path walk does not enter
    ],
)
def test_escape_of_names_the_first_use_that_hands_the_value_over(body, how):
    assert first_escape(body) == how


@pytest.mark.parametrize(
    "body",
    [
        "\tt.Run()",  # a method of its own: using it
        "\t_ = t.C",  # reading a field
        "\t_ = len(t.items)",  # len, cap, print: looking, not keeping
        "\t_ = t",  # assigned to the blank identifier
        "\tdefer func() { t.Close() }()",  # a deferred closure runs before the function returns
    ],
)
def test_escape_of_stays_silent_about_uses_that_keep_the_value_here(body):
    assert first_escape(body) is None


def test_escape_of_ignores_uses_before_the_binding():
    source = go_file("func f() {\n\tkeep(t)\n\tt := newT()\n\tt.Run()\n}\n")
    function = node_at(source, "func f", "function_declaration")
    binding = node_at(source, "t := newT()", "short_var_declaration")
    assert semantic.escape_of(source, function, "t", binding) is None


def test_without_closures_only_a_hand_over_is_an_escape():
    source = go_file("func f() {\n\tt := newT()\n\tgo func() { t.Run() }()\n}\n")
    function = node_at(source, "func f", "function_declaration")
    binding = node_at(source, "t := newT()", "short_var_declaration")
    assert semantic.escape_of(source, function, "t", binding) is not None
    assert semantic.escape_of(source, function, "t", binding, closures=False) is None


def test_method_calls_on_finds_releases_in_nested_closures_by_receiver_name():
    source = go_file(
        "func f() {\n\tt := newT()\n\tdefer func() { t.Stop() }()\n\tu.Stop()\n\tt.Reset()\n}\n"
    )
    function = node_at(source, "func f", "function_declaration")
    stops = semantic.method_calls_on(source, function, "t", ("Stop",))
    assert [source.text(c) for c in stops] == ["t.Stop()"]


def test_references_are_by_spelling():
    source = go_file("func f() {\n\tt := 1\n\tgo func() { _ = t }()\n\tfunc() { _ = t }()\n}\n")
    function = node_at(source, "func f", "function_declaration")
    assert len(semantic.references(source, function, "t")) == 3
