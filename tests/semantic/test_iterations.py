"""iterations: how many times a loop runs when the code fixes it; None (unknown) whenever a
bound is a variable or a table may grow."""

from __future__ import annotations

import pytest

from linter import semantic
from tests.snippets import node_at, package_of


def count(body: str, header: str, *more: str) -> int | None:
    package = package_of(f"func f(n int, items []string) {{\n{body}\n}}\n", *more)
    source = package.files[0]
    return semantic.constant_iterations(package, source, node_at(source, header, "for_statement"))


@pytest.mark.parametrize(
    ("header", "trips"),
    [
        ("for i := 0; i < 3; i++", 3),
        ("for i := 1; i <= 4; i++", 4),
        ("for i := int32(0); i < 5; i++", 5),
        ("for range 5", 5),
        ('for _, p := range []string{"a", "b"}', 2),
        ('for k := range map[string]int{"a": 1}', 1),
        ("for _, p := range [4]int{}", 4),  # an array's length, not its elements
        ("for _, p := range []int{9: 1}", None),  # an index sets the length
        ("for i := 0; i < n; i++", None),
        ("for _, p := range items", None),
        ("for i := 0; i < 3; i += 2", None),
    ],
)
def test_literal_headers(header, trips):
    assert count(f"\t{header} {{\n\t}}", header) == trips


CONSTANTS = """
const (
	memory = iota
	disk
	kinds
)

const workers = 1 << 2
const big = workers * 256
"""


@pytest.mark.parametrize(
    ("header", "trips"),
    [
        ("for k := memory; k < kinds; k++", 2),
        ("for range workers", 4),
        ("for i := 0; i < big; i++", 1024),
    ],
)
def test_package_constants_resolve_with_iota_in_any_file(header, trips):
    assert count(f"\t{header} {{\n\t}}", header, CONSTANTS) == trips


def test_a_local_shadowing_the_constant_is_not_resolved():
    body = "\tworkers := n\n\tfor range workers {\n\t}"
    assert count(body, "for range workers", CONSTANTS) is None


RANGE_CASES = "\n\tfor _, c := range cases {\n\t}"
RANGE_MAP = "\n\tfor k := range m {\n\t}"


@pytest.mark.parametrize(
    ("body", "trips"),
    [
        ('\tcases := []string{"a", "b", "c"}' + RANGE_CASES, 3),
        ('\tvar cases = []string{"a"}' + RANGE_CASES, 1),
        ('\tcases := []string{"a"}\n\tcases = append(cases, items...)' + RANGE_CASES, None),
        ('\tcases := []string{"a"}\n\tgrow(&cases)' + RANGE_CASES, None),
        ('\tcases := []string{"a"}\n\tcases[0] = "b"' + RANGE_CASES, 1),
        ('\tm := map[string]int{"a": 1}' + RANGE_MAP, 1),
        ('\tm := map[string]int{"a": 1}\n\tm["b"] = 2' + RANGE_MAP, None),
        ('\tm := map[string]int{"a": 1}\n\tfill(m)' + RANGE_MAP, None),
    ],
)
def test_local_tables_count_unless_something_may_grow_them(body, trips):
    header = "for _, c := range cases" if "cases" in body else "for k := range m"
    assert count(body, header) == trips


def test_package_tables_count_unless_a_function_of_the_package_assigns_them():
    fixed = 'var golden = []string{"a", "b"}\n'
    grown = 'var golden = []string{"a", "b"}\n\nfunc add(s string) { golden = append(golden, s) }\n'
    body = "\tfor _, g := range golden {\n\t}"
    assert count(body, "for _, g := range golden", fixed) == 2
    assert count(body, "for _, g := range golden", grown) is None


def test_is_small_loop_draws_the_line_at_a_handful():
    small = package_of("func f() {\n\tfor i := 0; i < 16; i++ {\n\t}\n}\n")
    large = package_of("func f() {\n\tfor i := 0; i < 17; i++ {\n\t}\n}\n")
    for package, expected in ((small, True), (large, False)):
        source = package.files[0]
        loop = node_at(source, "for i", "for_statement")
        assert semantic.is_small_loop(package, source, loop) is expected


@pytest.mark.parametrize(
    ("body", "trips"),
    [
        ('\tcfg := conf{dirs: []string{"a", "b"}}\n\tuse(cfg)', 2),
        ('\tcfg := conf{dirs: []string{"a"}}\n\tcfg.dirs = items', None),
        ('\tcfg := conf{dirs: []string{"a"}}\n\tfill(&cfg)', None),
        ('\tcfg := &conf{dirs: []string{"a"}}\n\tuse(cfg)', None),  # a pointer may be shared
        ("\tcfg := conf{}\n\tuse(cfg)", None),
    ],
)
def test_a_field_of_a_local_struct_literal_is_a_table(body, trips):
    assert count(body + "\n\tfor _, d := range cfg.dirs {\n\t}", "for _, d") == trips


ARGUMENTS = """
func writeAll(files []string) {
	for _, name := range files {
		_ = name
	}
}

func caller() {
	writeAll([]string{"a", "b"})
	more := []string{"c", "d", "e"}
	writeAll(more)
}
"""


def _parameter_loop(source_text: str) -> int | None:
    package = package_of(source_text)
    source = package.files[0]
    loop = node_at(source, "for _, name := range files", "for_statement")
    return semantic.constant_iterations(package, source, loop)


@pytest.mark.parametrize(
    ("change", "trips"),
    [
        (None, 3),  # the longest table any caller passes
        (('writeAll([]string{"a", "b"})', "writeAll(read())"), None),  # built at run time
        (("writeAll", "WriteAll"), None),  # exported: other packages may call it
        (("\t_ = name\n", "\t_ = name\n\t\tfiles = nil\n"), None),  # replaced inside
        (("\twriteAll(more)\n", "\twriteAll(more)\n\trun(writeAll)\n"), None),  # used as a value
    ],
)
def test_a_parameter_table_is_as_long_as_the_callers_make_it(change, trips):
    text = ARGUMENTS if change is None else ARGUMENTS.replace(*change)
    assert _parameter_loop(text) == trips
