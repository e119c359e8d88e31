"""constants: values the program fixes, and parameters every caller fills with one."""

from __future__ import annotations

import pytest

from linter import semantic
from tests.snippets import node_at, package_of

SOURCE = """
import "net/http"

const mode = "fast"

var defaultName = "x"

func record(kind string, n int) {
	counts[kind] = n
}

func callers(dynamic string) {
	record("read", 1)
	record(mode, 2)
	record(http.MethodGet, 3)
}

func open(name string) {
	seen[name] = 1
}

func users(dynamic string) {
	open("a")
	open(dynamic)
}
"""


@pytest.mark.parametrize(
    ("code", "node_type", "fixed"),
    [
        ('"read"', "interpreted_string_literal", True),
        ("mode, 2", "identifier", True),  # a package constant
        ("http.MethodGet", "selector_expression", True),  # another package's name
        ("dynamic)", "identifier", False),  # a parameter
    ],
)
def test_is_fixed_value(code, node_type, fixed):
    package = package_of(SOURCE)
    source = package.files[0]
    node = node_at(source, code, node_type)
    assert semantic.is_fixed_value(package, source, node) is fixed


def test_a_parameter_every_caller_fills_with_a_fixed_value_is_fixed():
    package = package_of(SOURCE)
    source = package.files[0]
    kind = node_at(source, "kind] = n", "identifier")
    name = node_at(source, "name] = 1", "identifier")
    assert semantic.is_fixed_by_callers(package, source, kind)
    assert not semantic.is_fixed_by_callers(package, source, name)  # open(dynamic)
