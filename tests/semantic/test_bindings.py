"""bindings: where a call's value goes, and the names a function declares."""

from __future__ import annotations

import pytest

from linter import semantic
from tests.snippets import go_file, node_at

SOURCE = """
import "time"

var global = time.NewTimer(time.Second)
var shared *time.Timer

type server struct{ timer *time.Timer }

func (s *server) run(m map[string]*time.Timer) *time.Timer {
	local := time.NewTimer(1)
	_ = time.NewTimer(2)
	s.timer = time.NewTimer(3)
	m["k"] = time.NewTimer(4)
	shared = time.NewTimer(5)
	first, second := time.NewTimer(6), time.NewTimer(7)
	var declared = (time.NewTimer(8))
	go use(time.NewTimer(9))
	_, _, _ = local, first, second
	_ = declared
	return time.NewTimer(10)
}
"""


@pytest.mark.parametrize(
    ("call", "kind", "name"),
    [
        ("time.NewTimer(time.Second)", "global", "global"),
        ("time.NewTimer(1)", "local", "local"),
        ("time.NewTimer(2)", "blank", "_"),
        ("time.NewTimer(3)", "field", "s.timer"),
        ("time.NewTimer(4)", "index", 'm["k"]'),
        ("time.NewTimer(5)", "global", "shared"),  # assigned, declared in no enclosing function
        ("time.NewTimer(7)", "local", "second"),
        ("time.NewTimer(8)", "local", "declared"),  # through parentheses
        ("time.NewTimer(9)", "none", ""),  # passed on: used in place
        ("time.NewTimer(10)", "none", ""),  # returned
    ],
)
def test_binding_of_names_where_the_value_goes(call, kind, name):
    source = go_file(SOURCE)
    binding = semantic.binding_of(source, node_at(source, call, "call_expression"))
    assert (binding.kind.value, binding.name) == (kind, name)


def test_binding_of_remembers_the_other_names_of_a_multiple_assignment():
    source = go_file(SOURCE)
    binding = semantic.binding_of(source, node_at(source, "time.NewTimer(6)", "call_expression"))
    assert binding.extra_names == ("second",)
    assert binding.statement is not None and binding.statement.type == "short_var_declaration"


def test_an_assignment_to_a_local_declared_in_an_outer_function_is_local():
    source = go_file(
        "func f() {\n\tvar t *time.Timer\n\tfunc() {\n\t\tt = time.NewTimer(1)\n\t}()\n\t_ = t\n}\n"
    )
    binding = semantic.binding_of(source, node_at(source, "time.NewTimer(1)", "call_expression"))
    assert binding.is_local


def test_declared_names_are_receiver_parameters_results_and_locals_not_types():
    source = go_file(SOURCE)
    function = node_at(source, "func (s *server) run", "method_declaration")
    names = semantic.declared_names(source, function)
    assert {"s", "m", "local", "first", "second", "declared"} <= names
    assert not names & {"server", "string", "global", "shared", "time"}
