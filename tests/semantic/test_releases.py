"""releases: releases that are not a method on the value, and calls that take a value over."""

from __future__ import annotations

import pytest

from linter import semantic
from tests.snippets import node_at, package_of

SOURCE = """
import (
	"bufio"
	"io"
	"syscall"
)

func f(c *Client) error {
	resp, err := c.Get(url)
	if err != nil {
		return err
	}
	body, _ := io.ReadAll(resp.Body)
	f, _ := open(p)
	defer syscall.Close(int(f.Fd()))
	rows, _ := db.Query(q)
	for rows.Next() {
		use(body)
	}
	r := bufio.NewReader(f)
	w := wrap(f)
	w.Flush()
	return use(r)
}

func closeBoth(a, b *File) {
	a.Close()
}
"""


def refs(source, name):
    function = node_at(source, "func f", "function_declaration")
    return semantic.references(source, function.child_by_field_name("body"), name)


def test_descriptor_closes_drains_and_exhausting_loops():
    source = package_of(SOURCE).files[0]
    assert [source.text(c) for c in semantic.descriptor_closes(source, refs(source, "f"))] == [
        "syscall.Close(int(f.Fd()))"
    ]
    assert [source.text(c) for c in semantic.body_drains(source, refs(source, "resp"))] == [
        "io.ReadAll(resp.Body)"
    ]
    binding = node_at(source, "rows, _ := db.Query(q)", "short_var_declaration")
    loops = semantic.exhausting_loops(source, refs(source, "rows"), binding)
    assert [loop.start_point[0] for loop in loops] == [
        node_at(source, "for rows", "for_statement").start_point[0]
    ]


@pytest.mark.parametrize(
    ("call", "released", "takes"),
    [
        ("bufio.NewReader(f)", False, False),  # a borrower
        ("wrap(f)", False, True),  # unknown: may take it
        ("wrap(f)", True, False),  # released here, and the wrapper is not handed over
    ],
)
def test_takes_over(call, released, takes):
    source = package_of(SOURCE).files[0]
    function = node_at(source, "func f", "function_declaration")
    node = node_at(source, call, "call_expression")
    assert semantic.takes_over(source, function, node, released) is takes


def test_a_helper_of_the_package_that_closes_its_parameter_releases_the_argument():
    package = package_of(SOURCE + "\nfunc g(x, y *File) {\n\tcloseBoth(x, y)\n}\n")
    source = package.files[0]
    call = node_at(source, "closeBoth(x, y)", "call_expression")
    first, second = call.child_by_field_name("arguments").named_children
    assert semantic.callee_releases(package, source, first, ("Close",))
    assert not semantic.callee_releases(package, source, second, ("Close",))


def test_releases_reaching_leave_out_an_earlier_value_of_the_same_name():
    source = package_of(
        "func f() {\n\tc := open()\n\tc.Close()\n\tc = open()\n\tc.Close()\n}\n"
    ).files[0]
    function = node_at(source, "func f", "function_declaration")
    binding = node_at(source, "c = open()", "assignment_statement")
    found = semantic.releases_reaching(source, function, "c", ("Close",), binding)
    assert [n.start_point[0] for n in found] == [6]
