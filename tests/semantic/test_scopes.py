"""scopes: which declaration a name refers to, without a type checker."""

from __future__ import annotations

import pytest

from linter import semantic
from tests.snippets import go_file, node_at

SOURCE = """
var m = map[string]int{}

func shadows(items []string) {
	m := map[string]int{}
	m["local"] = 1
}

func inHeader(key string) {
	if m, ok := lookup(key); ok {
		m["header"] = 1
	}
	m["global"] = 1
}

func ranged(ms []map[string]int) {
	for _, m := range ms {
		m["ranged"] = 1
	}
}

func param(m map[string]int) {
	m["param"] = 1
}

func laterDeclaration() {
	m["before"] = 1
	m := 2
	_ = m
}
"""


def ref(source, code):
    return node_at(source, code, "identifier")


def test_is_shadowed_sees_locals_header_range_and_parameter_declarations():
    source = go_file(SOURCE)
    shadowed = {
        code: semantic.is_shadowed(source, ref(source, code), source.root)
        for code in ('m["local"]', 'm["header"]', 'm["global"]', 'm["ranged"]', 'm["param"]')
    }
    assert shadowed == {
        'm["local"]': True,
        'm["header"]': True,
        'm["global"]': False,
        'm["ranged"]': True,
        'm["param"]': True,
    }


def test_a_declaration_after_the_use_does_not_shadow_it():
    source = go_file(SOURCE)
    assert not semantic.is_shadowed(source, ref(source, 'm["before"]'), source.root)


def test_declaring_scope_is_the_innermost_scope_that_declares_the_name():
    source = go_file(SOURCE)
    scope = semantic.declaring_scope(source, ref(source, 'm["header"]'), source.root)
    assert scope is not None and scope.type == "if_statement"
    function = node_at(source, "func param", "function_declaration")
    assert semantic.declaring_scope(source, ref(source, 'm["param"]'), source.root) == function


def test_parameter_type_looks_through_closures_and_stops_at_a_shadowing_local():
    source = go_file(
        "func f(c *http.Client, n int) {\n"
        "\tgo func() { c.Do(nil) }()\n"
        "\tfunc() {\n\t\tn := 1\n\t\t_ = n + 1\n\t}()\n"
        "\tlocal := 2\n\t_ = local\n}\n"
    )
    inner = node_at(source, "c.Do", "identifier")
    declared = semantic.parameter_type(source, inner)
    assert declared is not None and source.text(declared) == "*http.Client"
    assert semantic.parameter_type(source, node_at(source, "n + 1", "identifier")) is None
    assert semantic.parameter_type(source, node_at(source, "local\n", "identifier")) is None


@pytest.mark.parametrize(
    ("parameter", "body", "unused"),
    [
        ("_", "\treturn nil", True),
        ("_ctx", "\treturn nil", True),
        ("_ctx", "\treturn _ctx.Err()", False),
        ("ctx", "\treturn nil", False),  # an ordinary name says nothing
    ],
)
def test_is_unused_parameter(parameter, body, unused):
    source = go_file(f"func f({parameter} context.Context) error {{\n{body}\n}}\n")
    function = node_at(source, "func f", "function_declaration")
    assert semantic.is_unused_parameter(source, function, parameter) is unused
