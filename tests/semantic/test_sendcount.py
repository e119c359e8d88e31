"""sendcount: how many of a goroutine's channel operations one run can execute, counted
on the longest path of its control-flow graph (`goto` followed, each select case on its own
path, a cycle through a send unbounded, a run-once block counted once)."""

from __future__ import annotations

import pytest

from linter import semantic
from tests.snippets import descendants, node_at, package_of

LATCH = (
    "\tsent := false\n\tfor _, x := range xs {\n"
    "\t\tif %s {\n\t\t\tch <- x\n\t\t\tsent = true\n\t\t}\n\t}"
)
NESTED_LATCH = (
    "\tsent := false\n\tfor _, x := range xs {\n\t\tif !sent {\n"
    "\t\t\tif x > 0 {\n\t\t\t\tch <- x\n\t\t\t\tsent = true\n\t\t\t}\n\t\t}\n\t}"
)


@pytest.mark.parametrize(
    ("body", "most"),
    [
        ("\tch <- 1\n\tch <- 2", 2),
        ("\tif ok {\n\t\tch <- 1\n\t} else {\n\t\tch <- 2\n\t\tch <- 3\n\t}", 2),
        ("\tch <- 1\n\treturn\n\tch <- 2", 1),
        ("\tfor {\n\t\tch <- 1\n\t}", semantic.UNBOUNDED),
        ("\tfor _, x := range xs {\n\t\tch <- x\n\t\treturn\n\t}", 1),
        (LATCH % "!sent", 1),
        (LATCH % "!sent && x > 0", 1),  # the flag as one side of an &&
        (LATCH % "x > 0 || !sent", semantic.UNBOUNDED),  # an || does not latch
        (NESTED_LATCH, 1),  # tested by the enclosing if, reset beside the send
        (LATCH % "!sent" + "\n\tch <- 0", 2),  # a latched send and one after the loop
        ("\tselect {\n\tcase ch <- 1:\n\tcase ch <- 2:\n\t}", 1),  # one case is taken
        ("\tswitch {\n\tcase ok:\n\t\tch <- 1\n\t\tfallthrough\n\tdefault:\n\t\tch <- 2\n\t}", 2),
        ("\tch <- 1\n\tfor {\n\t\twork()\n\t}", 1),  # sent before a loop that never ends
        ("\tselect {}\n\tch <- 1", 0),  # never reached
        ("\tif ok {\n\t\tgoto done\n\t}\n\tch <- 1\ndone:\n\tch <- 2", 2),
        ("again:\n\tch <- 1\n\tif ok {\n\t\tgoto again\n\t}", semantic.UNBOUNDED),
    ],
)
def test_max_on_a_path(body, most):
    package = package_of(f"func f(ok bool, xs []int) {{\n{body}\n}}\n")
    source = package.files[0]
    function = node_at(source, "func f", "function_declaration")
    sends = descendants(function, "send_statement")
    assert semantic.max_on_a_path(package, source, function, sends) == most


def test_a_range_over_the_channel_counts_once_per_pass():
    package = package_of(
        "func f(ch chan int) {\n\tfor v := range ch {\n\t\tuse(v)\n\t}\n}\n"
        "func g(ch chan int) {\n\tfor v := range ch {\n\t\treturn\n\t}\n}\n"
    )
    source = package.files[0]
    for name, most in (("func f", semantic.UNBOUNDED), ("func g", 1)):
        function = node_at(source, name, "function_declaration")
        loops = descendants(function, "for_statement")
        assert semantic.max_on_a_path(package, source, function, loops) == most
