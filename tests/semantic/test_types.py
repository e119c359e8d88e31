"""types: the type a declaration spells out, resolved through imports; None when unsure."""

from __future__ import annotations

import pytest

from linter import semantic
from tests.snippets import node_at, package_of

SOURCE = """
import (
	"net"
	nethttp "net/http"
)

var client = &nethttp.Client{}

type pool struct {
	dialer *net.Dialer
}

func run(p *pool, conn net.Conn) {
	lit := &nethttp.Transport{}
	made := new(net.Dialer)
	var typed *nethttp.Request
	copied := lit
	guessed := open()
	use(lit, made, typed, copied, guessed, client, p.dialer, conn)
}
"""


@pytest.mark.parametrize(
    ("argument", "expected"),
    [
        ("lit", "net/http.Transport"),  # a composite literal, through an alias
        ("made", "net.Dialer"),  # new(T)
        ("typed", "net/http.Request"),  # declared with a type
        ("copied", "net/http.Transport"),  # initialised from a local of known type
        ("client", "net/http.Client"),  # a package-level variable
        ("p.dialer", "net.Dialer"),  # a struct field of the package
        ("conn", "net.Conn"),  # a parameter
        ("guessed", None),  # a call's result: no type checker, so no answer
    ],
)
def test_value_type_name_reads_declarations_and_says_none_when_it_cannot(argument, expected):
    package = package_of(SOURCE)
    source = package.files[0]
    call = node_at(source, "use(", "call_expression")
    arguments = call.child_by_field_name("arguments")
    assert arguments is not None
    expr = next(a for a in arguments.named_children if source.text(a) == argument)
    assert semantic.value_type_name(source, package, expr) == expected


def test_type_name_resolves_a_qualified_type_only_through_an_import():
    package = package_of(SOURCE + "\nvar other *unknown.Thing\nvar mine *pool\n")
    source = package.files[0]
    for text, expected in (
        ("*nethttp.Request", "net/http.Request"),
        ("*unknown.Thing", None),
        ("*pool", "pool"),
    ):
        spec_type = node_at(source, text, "pointer_type")
        assert semantic.type_name(source, spec_type) == expected


def test_is_block_statement_tells_a_statement_from_a_header():
    package = package_of("func f() {\n\tif x := g(); x {\n\t\ty := 1\n\t\t_ = y\n\t}\n}\n")
    source = package.files[0]
    assert semantic.is_block_statement(node_at(source, "y := 1", "short_var_declaration"))
    assert not semantic.is_block_statement(node_at(source, "x := g()", "short_var_declaration"))
