"""loops: does the rest of a loop body always leave the loop; which Go has collected timers."""

from __future__ import annotations

import dataclasses

import pytest

from linter import semantic
from tests.snippets import go_file, node_at, package_of


def rest_of_loop(body: str):
    source = go_file(f"func f(ch chan int, t *testing.T) {{\n\tfor {{\n{body}\n\t}}\n}}\n")
    loop = node_at(source, "for {", "for_statement")
    return source, semantic.statements(loop.child_by_field_name("body"))


@pytest.mark.parametrize(
    ("body", "leaves"),
    [
        ("\t\treturn", True),
        ("\t\tbreak", True),
        ('\t\tt.Fatal("x")', True),  # ends the test's goroutine
        ("\t\tif ok {\n\t\t\treturn\n\t\t} else {\n\t\t\tpanic(1)\n\t\t}", True),
        ("\t\tif ok {\n\t\t\treturn\n\t\t}", False),  # no else: the loop may go round
        ("\t\tselect {\n\t\tcase <-ch:\n\t\t\treturn\n\t\tdefault:\n\t\t\tbreak\n\t\t}", False),
        ("\t\tselect {}", True),  # blocks forever
        ("\t\tcontinue", False),
        ("\t\twork()", False),
    ],
)
def test_always_leaves_loop_follows_every_branch(body, leaves):
    source, stmts = rest_of_loop(body)
    assert semantic.always_leaves_loop(source, stmts) is leaves


def test_a_plain_break_need_not_leave_when_the_caller_says_so():
    source, stmts = rest_of_loop("\t\tbreak")
    assert not semantic.always_leaves_loop(source, stmts, break_leaves=False)


@pytest.mark.parametrize(
    ("version", "gomod_extra", "directive", "collected"),
    [
        (None, "", "", False),  # unknown version: taken as old
        ((1, 22), "", "", False),
        ((1, 23), "", "", True),
        ((1, 23), "godebug asynctimerchan=1\n", "", False),
        ((1, 24), "", "//go:debug asynctimerchan=1\n", False),
    ],
)
def test_timers_collected_when_unreferenced_follows_version_and_godebug(
    tmp_path, version, gomod_extra, directive, collected
):
    (tmp_path / "go.mod").write_text(f"module example.com/m\n\ngo 1.23\n{gomod_extra}")
    package = package_of(f"{directive}package main\n\nfunc main() {{}}\n", name="main")
    package = dataclasses.replace(package, directory=tmp_path, go_version=version)
    assert semantic.timers_collected_when_unreferenced(package) is collected


@pytest.mark.parametrize(
    ("loop", "conditioned"),
    [
        ("for rows.Next() {\n\t}", True),
        ("for i := 0; rows.Next(); i++ {\n\t}", True),
        ("for rows.Next(); ; {\n\t}", False),  # an initializer, not the condition
        ("for ok := rows.Next(); ok; ok = rows.Next() {\n\t}", False),
    ],
)
def test_loop_conditioned_on(loop, conditioned):
    source = go_file(f"func f() {{\n\t{loop}\n}}\n")
    call = node_at(source, "rows.Next()", "call_expression")
    found = semantic.loop_conditioned_on(call)
    assert (found is not None and found.type == "for_statement") is conditioned


@pytest.mark.parametrize(
    ("after", "leaves"),
    [
        ("\t\t\treturn", True),
        ("\t\t\tbreak", False),  # ends the select, not the loop
        ("\t\t\tbreak outer", True),
        ("\t\t\tlog.Fatal(err)", True),
        ("\t\t\twork()", False),
    ],
)
def test_rest_leaves_loop_at_any_level(after, leaves):
    source = go_file(
        "func f(stop, done chan int) {\nouter:\n\tfor {\n\t\tselect {\n\t\tcase <-stop:\n"
        f"\t\t\tmark()\n{after}\n\t\t}}\n\t}}\n}}\n"
    )
    loop = node_at(source, "for {", "for_statement")
    mark = node_at(source, "mark()", "expression_statement")
    body = loop.child_by_field_name("body")
    assert semantic.rest_leaves_loop(source, mark, body) is leaves
