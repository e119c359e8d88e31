"""holding: values opened to be held, and values kept alive by what is built on them;
both answer False when the value is worked with or only read through."""

from __future__ import annotations

import pytest

from linter import semantic
from tests.snippets import go_file, node_at

LOOP = """
func f(addr string, limit int) error {
	opened := 0
	for opened < limit {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			return err
		}
		defer c.Close()
%s
	}
	return nil
}
"""


@pytest.mark.parametrize(
    ("extra", "held"),
    [
        ("\t\topened++", True),
        ("\t\topened++\n\t\tif err != nil {\n\t\t\treturn err\n\t\t}", True),
        ("\t\tc.Write(nil)\n\t\topened++", False),
        ('\t\tlog.Printf("%v", c)', False),
        ("\t\tif err != nil {\n\t\t\tc.Close()\n\t\t}", False),
    ],
)
def test_only_holds_allows_the_error_check_and_counting_only(extra, held):
    source = go_file(LOOP % extra)
    block = node_at(source, "{\n\t\tc, err", "block")
    binding = node_at(source, 'c, err := net.Dial("tcp", addr)', "short_var_declaration")
    release = node_at(source, "defer c.Close()", "defer_statement")
    assert semantic.only_holds(source, block, binding, release) is held


@pytest.mark.parametrize(
    ("statement", "held"),
    [
        ("g := f", True),
        ("s.files[i] = &entry{f, path}", True),
        ("r := bufio.NewReader(f)", True),
        ("zr, err := gzip.NewReader(f)", True),
        ("tx, err := f.BeginTx(ctx, nil)", True),
        ("stream, err := f.OpenStream()", True),
        ("st, err := f.Stat()", False),
        ("b, err := io.ReadAll(f)", False),
        ("n := f.Fd()", False),
    ],
)
def test_holds_is_true_for_the_value_a_wrapper_or_something_built_on_it(statement, held):
    source = go_file(f"func g() {{\n\t{statement}\n}}\n")
    node = node_at(source, statement, statement_type(statement))
    left = node.child_by_field_name("left")
    ref = next(r for r in semantic.references(source, node, "f"))
    assert semantic.holds(source, ref, left) is held


def statement_type(statement: str) -> str:
    return "short_var_declaration" if ":=" in statement else "assignment_statement"
