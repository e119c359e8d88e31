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


def test_a_helper_of_the_package_that_closes_its_parameter_takes_the_argument_over():
    package = package_of(SOURCE + "\nfunc g(x, y *File) {\n\tcloseBoth(x, y)\n}\n")
    source = package.files[0]
    function = node_at(source, "func g", "function_declaration")
    call = node_at(source, "closeBoth(x, y)", "call_expression")
    first, second = call.child_by_field_name("arguments").named_children
    assert semantic.hands_over_on_path(package, source, function, first, True, ("Close",))
    # closeBoth only reads y: the caller still owns it
    assert not semantic.hands_over_on_path(package, source, function, second, True, ("Close",))


def test_releases_reaching_leave_out_an_earlier_value_of_the_same_name():
    source = package_of(
        "func f() {\n\tc := open()\n\tc.Close()\n\tc = open()\n\tc.Close()\n}\n"
    ).files[0]
    function = node_at(source, "func f", "function_declaration")
    binding = node_at(source, "c = open()", "assignment_statement")
    found = semantic.releases_reaching(source, function, "c", ("Close",), binding)
    assert [n.start_point[0] for n in found] == [6]


@pytest.mark.parametrize(
    ("line", "handed"),
    [
        ("return resp, nil", True),
        ("keep(resp.Body)", True),  # the Body given to an unknown function
        ("io.ReadAll(resp.Body)", False),  # a borrower
        ("resp.Body.Close()", False),
        ("_ = resp", False),  # mentioned to silence the compiler
        ("fmt.Println(resp)", False),  # printing borrows
        ("defer t.Cleanup(resp.Body.Close)", True),  # the release handed on as a method value
    ],
)
def test_hands_over_on_path_follows_the_body_field(line, handed):
    package = package_of(
        f'import (\n\t"fmt"\n\t"io"\n)\n\nfunc f() (*R, error) {{\n\tresp := get()\n\t{line}\n}}\n'
    )
    source = package.files[0]
    function = node_at(source, "func f", "function_declaration")
    ref = semantic.references(source, function.child_by_field_name("body"), "resp")[1]
    found = semantic.hands_over_on_path(package, source, function, ref, False, ("Close",), "Body")
    assert found is handed


def test_result_escapes_when_the_wrapper_is_returned():
    source = package_of(
        "func f(raw C) (W, error) {\n\tconn := wrap(raw)\n\treturn conn, nil\n}\n"
        "func g(raw C) {\n\tconn := wrap(raw)\n\tconn.Run()\n}\n"
    ).files[0]
    calls = [node_at(source, "wrap(raw)", "call_expression", i) for i in (0, 1)]
    functions = [node_at(source, f"func {n}", "function_declaration") for n in "fg"]
    assert semantic.result_escapes(source, functions[0], calls[0])
    assert not semantic.result_escapes(source, functions[1], calls[1])


@pytest.mark.parametrize(
    ("statement", "takes"),
    [
        ("_ = http.MaxBytesReader(w, b, 10)", False),  # the wrapper, and its Close, dropped
        ("r := http.MaxBytesReader(w, b, 10)", True),  # kept: closing it closes b
    ],
)
def test_a_dropped_wrapper_takes_nothing_over(statement, takes):
    source = package_of(
        f'import "net/http"\n\nfunc f(w http.ResponseWriter, b B) {{\n\t{statement}\n\tuse(r)\n}}\n'
    ).files[0]
    function = node_at(source, "func f", "function_declaration")
    call = node_at(source, "http.MaxBytesReader(w, b, 10)", "call_expression")
    assert semantic.takes_over(source, function, call, False) is takes


@pytest.mark.parametrize(
    ("body", "ends"),
    [
        (
            "c, cancel := context.WithCancel(ctx)\n\tdefer cancel()\n"
            "\trows, _ := db.QueryContext(c, q)",
            1,
        ),
        ("c, cancel := context.WithCancel(ctx)\n\trows, _ := db.QueryContext(c, q)\n\tcancel()", 1),
        ("rows, _ := db.QueryContext(ctx, q)\n\t_ = rows", 0),  # the caller's context: not ours
        ("c, cancel := context.WithCancel(ctx)\n\tdefer cancel()\n\trows, _ := db.Query(q)", 0),
    ],
)
def test_cancels_ending_rows_made_with_a_context(body, ends):
    source = package_of(
        f'import "context"\n\nfunc f(ctx context.Context, db *DB) {{\n\t{body}\n\tuse(rows)\n}}\n'
    ).files[0]
    function = node_at(source, "func f", "function_declaration")
    call = node_at(source, "db.Query", "call_expression")
    found = semantic.cancels_ending(source, function, call, semantic.Resource.ROWS)
    assert len(found) == ends
