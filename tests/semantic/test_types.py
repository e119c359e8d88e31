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
	guessed := other.Open()
	opened := open()
	use(lit, made, typed, copied, guessed, client, p.dialer, conn, opened, p.transport())
}

func open() (*net.TCPConn, error) { return nil, nil }

func (p *pool) transport() *nethttp.Transport { return nil }

func (q *queue) transport() string { return "" }
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
        ("guessed", None),  # another package's function: no type checker, so no answer
        ("opened", "net.TCPConn"),  # the first result the package's function declares
        ("p.transport()", "net/http.Transport"),  # the method of p's declared type only
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


@pytest.mark.parametrize(
    ("value", "spelled"),
    [
        ("map[string]int{}", "map[string]int"),
        ("&Cache{}", "Cache"),
        ("make(map[string]int, 8)", "map[string]int"),
        ("new(sync.Map)", "sync.Map"),
        ("[]string(nil)", "[]string"),
        ("build()", None),  # a call spells no type
    ],
)
def test_value_type_is_the_type_an_initialiser_spells(value, spelled):
    source = package_of(f"var v = {value}\n").files[0]
    expr = source.root.named_children[-1].named_children[0].child_by_field_name("value")
    found = semantic.value_type(source, expr.named_children[0])
    assert (source.text(found) if found is not None else None) == spelled


@pytest.mark.parametrize(
    ("key", "is_type"),
    [
        ("reflect.TypeOf(v)", True),
        ("v.Type()", True),
        ("t.Elem()", True),  # t is a reflect.Type parameter
        ("t", True),
        ("local", True),  # assigned v.Type() before
        ("name", False),
        ("v.Name()", False),
    ],
)
def test_is_type_value_follows_reflect_types(key, is_type):
    source = package_of(
        'import "reflect"\n\n'
        "func f(v reflect.Value, t reflect.Type, name string) {\n"
        f"\tlocal := v.Type()\n\tuse(local)\n\tcache.Store({key}, 1)\n}}\n"
    ).files[0]
    store = node_at(source, "cache.Store(", "call_expression")
    argument = store.child_by_field_name("arguments").named_children[0]
    assert semantic.is_type_value(source, argument) is is_type


TYPE_NAMES = """
import (
	"fmt"
	"reflect"
	"strings"
)

func kind(v any) string {
	name := fmt.Sprintf("%T", v)
	name = strings.TrimPrefix(name, "*")
	return name
}

func label(v any, fallback string) string {
	if v == nil {
		return fallback
	}
	return fmt.Sprintf("%T", v)
}

func f(v any, name string) {
	local := reflect.TypeOf(v).String()
	use(local)
	seen[KEY] = true
}
"""


@pytest.mark.parametrize(
    ("key", "names_a_type"),
    [
        ('fmt.Sprintf("%T", v)', True),
        ("reflect.TypeOf(v).Name()", True),
        ('strings.ToLower(fmt.Sprintf("%T", v))', True),
        ("local", True),  # assigned reflect.TypeOf(v).String()
        ("kind(v)", True),  # a package function returning only a (trimmed) type name
        ('label(v, "x")', False),  # one of its returns is a parameter
        ('fmt.Sprintf("%v", v)', False),
        ("name", False),  # a parameter: anything
        ("strings.ToLower(name)", False),
    ],
)
def test_is_type_name_value(key, names_a_type):
    package = package_of(TYPE_NAMES.replace("KEY", key))
    source = package.files[0]
    index = node_at(source, "seen[", "index_expression")
    found = semantic.is_type_name_value(package, source, index.child_by_field_name("index"))
    assert found is names_a_type
