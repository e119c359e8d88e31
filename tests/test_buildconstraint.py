"""The build constraint expression parser and evaluator (`linter.buildconstraint`)."""

from __future__ import annotations

import itertools
import re

import pytest

from linter.buildconstraint import (
    MAX_TERMS,
    And,
    ConstraintError,
    Not,
    Or,
    Tag,
    go_build_expression,
    parse_go_build,
    parse_plus_build,
    plus_build_expression,
)


def holds(expression: str, *true_tags: str) -> bool:
    return parse_go_build(expression).evaluate(set(true_tags).__contains__)


def test_and_binds_tighter_than_or_and_not_tightest():
    assert parse_go_build("a || b && c") == Or(Tag("a"), And(Tag("b"), Tag("c")))
    assert parse_go_build("!a && b") == And(Not(Tag("a")), Tag("b"))
    assert parse_go_build("!(a || b)") == Not(Or(Tag("a"), Tag("b")))
    assert parse_go_build("a && b && c") == And(And(Tag("a"), Tag("b")), Tag("c"))


@pytest.mark.parametrize(
    ("expression", "true_tags", "expected"),
    [
        ("linux", {"linux"}, True),
        ("linux", {"windows"}, False),
        ("!windows", {"linux"}, True),
        ("linux && amd64", {"linux", "arm64"}, False),
        ("linux && (amd64 || arm64)", {"linux", "arm64"}, True),
        ("(linux || darwin) && !cgo", {"darwin", "cgo"}, False),
        ("go1.21 && !go1.23", {"go1.21", "go1.22"}, True),
        ("a || b && c", {"a"}, True),
        ("(a || b) && c", {"a"}, False),
        ("!(a && b) || c", {"a", "b"}, False),
        ("goexperiment.jsonv2", {"goexperiment.jsonv2"}, True),
        ("\u00e9t\u00e9", {"\u00e9t\u00e9"}, True),  # tags are Unicode letters too
    ],
)
def test_evaluation(expression, true_tags, expected):
    assert holds(expression, *true_tags) is expected


def test_evaluation_agrees_with_python_booleans_on_every_assignment():
    expression = "(a || !b) && (c || (a && !c)) || !(b && c)"

    def python(a: bool, b: bool, c: bool) -> bool:
        return ((a or not b) and (c or (a and not c))) or not (b and c)

    for values in itertools.product([False, True], repeat=3):
        true_tags = {name for name, value in zip("abc", values, strict=True) if value}
        assert holds(expression, *true_tags) is python(*values)


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("", "unexpected end"),
        ("linux &&", "unexpected end"),
        ("linux & amd64", "expected '&&'"),
        ("linux | amd64", "expected '||'"),
        ("(linux", "missing close paren"),
        ("linux)", "unexpected ')'"),
        ("!!linux", "double negation"),
        ("linux amd64", "unexpected 'amd64'"),
        ("linux,amd64", "invalid character ','"),
        ("a-b", "invalid character '-'"),
    ],
)
def test_malformed_expressions_say_why(expression, message):
    with pytest.raises(ConstraintError, match=re.escape(message)):
        parse_go_build(expression)


def test_huge_or_deep_expressions_are_refused_not_recursed():
    with pytest.raises(ConstraintError, match="too large"):
        parse_go_build(" || ".join(["a"] * (MAX_TERMS + 1)))
    with pytest.raises(ConstraintError):
        parse_go_build("(" * 5000 + "a" + ")" * 5000)


@pytest.mark.parametrize(
    ("line", "expression"),
    [
        ("//go:build linux && amd64", "linux && amd64"),
        ("//go:build\tlinux", "linux"),
        ("//go:build", ""),
        ("//go:buildlinux", None),
        ("// go:build linux", None),
        ("// +build linux", None),
    ],
)
def test_go_build_lines_are_recognised_as_go_does(line, expression):
    assert go_build_expression(line) == expression


@pytest.mark.parametrize(
    ("line", "options"),
    [
        ("// +build linux,amd64 darwin", "linux,amd64 darwin"),
        ("//+build ignore", "ignore"),
        ("// +build", ""),
        ("// +builder linux", None),
        ("//go:build linux", None),
        ("/* +build linux */", None),
    ],
)
def test_plus_build_lines_are_recognised_as_go_does(line, options):
    assert plus_build_expression(line) == options


@pytest.mark.parametrize(
    ("options", "true_tags", "expected"),
    [
        ("linux darwin", {"darwin"}, True),  # spaces: OR
        ("linux,amd64", {"linux"}, False),  # commas: AND
        ("linux,!cgo windows", {"linux"}, True),
        ("linux,!cgo windows", {"linux", "cgo"}, False),
        ("!!linux", {"linux", "ignore"}, False),  # malformed: the tag nothing satisfies
        ("a-b", {"a-b"}, False),
        ("", set(), False),
    ],
)
def test_plus_build_options(options, true_tags, expected):
    satisfied = true_tags.__contains__
    assert parse_plus_build(options).evaluate(lambda tag: tag != "ignore" and satisfied(tag)) is (
        expected
    )
