"""Go 1.26's `new(expr)` and Go 1.27's generic methods parse into trees with exact positions.

The pinned grammar (tree-sitter-go 0.25) predates both; `linter.modern_syntax` rewrites the
bytes at the same length and parses again. These tests check the trees rules rely on, that
text is read from the file as written, and that real syntax errors are still reported.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linter.gotokens import Kind, match_brackets, tokenize
from linter.modern_syntax import rewrite
from linter.source import captures, parse_file, query
from tests.analysistest import SRC
from tests.conftest import run_cli

NEW_EXPR = """package p

type box struct{ state struct{ n int } }

func values(b *box, f func() int) {
	a := new(42)
	c := new(b.state.n)
	d := new(f())
	e := new("s" + "t")
	g := new(new(5))
	h := new([]int{1, 2})
	_, _, _, _, _, _ = a, c, d, e, g, h
}
"""

SHADOWED = """package p

type X struct{ next *X }

func chain() *X {
	var make func(int) *X
	make = func(n int) *X {
		if n == 0 {
			return nil
		}
		return &X{make(n - 1)}
	}
	return make(3)
}
"""

GENERIC_METHOD = """package p

type List[E any] struct{ items []E }

func (l List[E]) Map[R any,
	S ~[]R](f func(E) R) S {
	out := make(S, 0, len(l.items))
	for _, item := range l.items {
		out = append(out, f(item))
	}
	return out
}
"""

_CALLS = query("(call_expression function: (identifier) @callee) @call")
_NEW_CALLS = query('((call_expression function: (identifier) @callee) @call (#eq? @callee "new"))')


def parsed(source: str, name: str = "p.go"):
    data = source.encode()
    return parse_file(Path(name), name, data)


def test_new_with_values_parses_into_calls_that_read_new():
    go_file = parsed(NEW_EXPR)
    assert not go_file.has_syntax_errors
    calls = captures(_NEW_CALLS, go_file.root)["call"]
    texts = sorted(go_file.text(call) for call in calls)
    assert texts == sorted(
        [
            "new(42)",
            "new(b.state.n)",
            "new(f())",
            'new("s" + "t")',
            "new(new(5))",
            "new(5)",
            "new([]int{1, 2})",
        ]
    )
    # The tree reads its text from the file as written, not from the rewrite.
    assert all(call.text == go_file.text(call).encode() for call in calls)
    operands = {go_file.text(c): c.child_by_field_name("arguments").named_children for c in calls}
    assert [n.type for n in operands["new(f())"]] == ["call_expression"]
    assert [n.type for n in operands["new(b.state.n)"]] == ["selector_expression"]
    assert [n.type for n in operands["new([]int{1, 2})"]] == ["composite_literal"]


def test_new_and_make_of_types_keep_their_type_operands():
    source = NEW_EXPR.replace(
        "a := new(42)",
        "a := new(42)\n\tt := new(map[string][]*box)\n\tm := make(chan<- struct{}, 1)\n"
        "\tq := new(List[box, *int])\n\t_, _, _ = t, m, q",
    ).replace("package p\n", "package p\n\ntype List[K, V any] struct{}\n")
    go_file = parsed(source)
    assert not go_file.has_syntax_errors
    first = {
        go_file.text(call): call.child_by_field_name("arguments").named_children[0].type
        for call in captures(_CALLS, go_file.root)["call"]
        if go_file.text(call).startswith(("new(", "make("))
    }
    assert first["new(map[string][]*box)"] == "map_type"
    assert first["make(chan<- struct{}, 1)"] == "channel_type"
    assert first["new(List[box, *int])"] == "generic_type"
    assert first["new(42)"] == "int_literal"


def test_rewrite_keeps_every_offset_and_leaves_types_alone():
    data = NEW_EXPR.encode()
    rewritten = rewrite(data)
    assert rewritten is not None and len(rewritten) == len(data)
    changed = [i for i, (a, b) in enumerate(zip(data, rewritten, strict=True)) if a != b]
    assert {data[i : i + 1] for i in changed} == {b"n"}  # only the callee's first letter
    assert rewrite(b"package p\n\nvar x, y = new(int), make([]byte, 0, 8)\n") is None


def test_shadowed_make_called_with_values_parses():
    go_file = parsed(SHADOWED)
    assert not go_file.has_syntax_errors
    calls = [go_file.text(c) for c in captures(_CALLS, go_file.root)["call"]]
    assert "make(n - 1)" in calls and "make(3)" in calls


def test_generic_method_keeps_receiver_parameters_body_and_positions():
    go_file = parsed(GENERIC_METHOD)
    assert not go_file.has_syntax_errors
    method = next(n for n in go_file.root.children if n.type == "method_declaration")
    assert go_file.text(method.child_by_field_name("name")) == "Map"
    assert go_file.text(method.child_by_field_name("receiver")) == "(l List[E])"
    parameters = method.child_by_field_name("parameters")
    assert go_file.text(parameters) == "(f func(E) R)"
    assert parameters.start_point == (5, 8)  # byte 8 of `\tS ~[]R](f`, as in the file
    assert go_file.text(method.child_by_field_name("result")) == "S"
    body = method.child_by_field_name("body")
    assert go_file.text(body).startswith("{\n\tout := make(S, 0, len(l.items))")
    assert method.text.startswith(b"func (l List[E]) Map[R any,\n")


def test_function_literal_with_a_generic_result_is_not_a_method():
    source = "package p\n\ntype L[T any] []T\n\nvar f = func(n int) L[int] { return nil }\n"
    assert rewrite(source.encode()) is None
    assert not parsed(source).has_syntax_errors


def test_tokens_ignore_brackets_in_strings_runes_and_comments():
    data = b"f(\"(\", '[', `{`) /* ) */ // ]\ng(x)"
    tokens = tokenize(data)
    assert [t.text for t in tokens if t.kind is Kind.OP] == [b"(", b",", b",", b")", b"(", b")"]
    brackets = match_brackets(tokens)
    assert brackets.closer == {1: 7, 9: 11}
    assert tokens[8].after_newline and not tokens[1].after_newline


def test_real_syntax_errors_are_still_reported():
    broken = NEW_EXPR.replace("d := new(f())", "d := := new(f())")
    assert parsed(broken).has_syntax_errors
    assert parsed("package p\n\nfunc (r R) M[T any](x T {\n}\n").has_syntax_errors


def test_cli_reports_a_syntax_error_and_not_new_syntax(tmp_path):
    (tmp_path / "go.mod").write_text("module example.com/m\n\ngo 1.27\n")
    (tmp_path / "ok.go").write_text(NEW_EXPR + GENERIC_METHOD.replace("package p\n", ""))
    (tmp_path / "broken.go").write_text("package p\n\nfunc broken() {\n\tx := new(1\n}\n")
    proc = run_cli("--format", "json", "--no-cache", "./...", cwd=tmp_path)
    notices = json.loads(proc.stdout)["notices"]
    assert [(n["kind"], n["path"]) for n in notices] == [("syntax", "broken.go")]
    assert re.search(r"^broken\.go: syntax: ", proc.stderr, re.MULTILINE)


def test_fixture_findings_sit_at_exact_columns_in_new_syntax():
    proc = run_cli("--no-cache", "--enable", "GLK501", "./...", cwd=SRC / "GLK501" / "go127")
    lines = proc.stdout.splitlines()
    source = (SRC / "GLK501" / "go127" / "newsyntax.go").read_text(encoding="utf-8")
    for line in (found for found in lines if found.startswith("newsyntax.go:")):
        number, column = map(int, line.split(":")[1:3])
        text = source.splitlines()[number - 1]
        assert text[column - 1 :].startswith("os.Open("), line  # UTF-16 column of the call
    assert sum(1 for line in lines if " GLK501 " in line) == 2


@pytest.mark.parametrize("name", ["new(", "make("])
def test_a_method_or_function_named_like_a_builtin_is_not_renamed(name):
    source = (
        f"package p\n\ntype T struct{{}}\n\nfunc (T) {name}x int) int {{ return x }}\n\n"
        f"func {name}a, b int) int {{ return T{{}}.{name}a + b) }}\n"
    )
    assert rewrite(source.encode()) is None


_GO_PIECES = st.sampled_from(
    [
        "new",
        "make",
        "func",
        "(",
        ")",
        "[",
        "]",
        "{",
        "}",
        ",",
        ".",
        "*",
        "<-",
        "chan",
        "map",
        "struct",
        "x",
        "T",
        "42",
        '"s"',
        "'r'",
        "`raw`",
        "//c\n",
        "/*c*/",
        "\n",
        " ",
        "é",
        "any",
    ]
)


@given(st.lists(_GO_PIECES, max_size=60))
def test_rewrite_never_moves_a_byte_or_a_line(pieces):
    data = "".join(pieces).encode()
    rewritten = rewrite(data)
    if rewritten is not None:
        assert len(rewritten) == len(data)
        assert [i for i, b in enumerate(rewritten) if b == 10] == [
            i for i, b in enumerate(data) if b == 10
        ]
