"""registries: tables whose keys the code chooses (a duplicate stops the program, the key
type has a few values); False when unsure, so a growing table is still reported."""

from __future__ import annotations

import pytest

from linter import semantic
from tests.snippets import go_file, node_at, package_of


@pytest.mark.parametrize(
    ("guard", "rejects"),
    [
        ('\tif _, dup := drivers[name]; dup {\n\t\tpanic("twice")\n\t}', True),
        (
            '\tfor _, d := range drivers {\n\t\tif d == name {\n\t\t\tlog.Panicf("twice")\n'
            "\t\t}\n\t}",
            True,
        ),
        ("\tif _, dup := drivers[name]; dup {\n\t\treturn\n\t}", False),  # returns: traffic goes on
        ('\tif _, dup := other[name]; dup {\n\t\tpanic("twice")\n\t}', False),  # another map
        ("", False),
    ],
)
def test_rejects_duplicates(guard, rejects):
    source = go_file(
        f'import "log"\n\nfunc Register(name string, d Driver) {{\n{guard}\n'
        "\tdrivers[name] = d\n}\n"
    )
    write = node_at(source, "drivers[name] = d", "assignment_statement")
    assert semantic.rejects_duplicates(source, write, "drivers") is rejects


def test_a_check_of_any_map_counts_when_asked():
    source = go_file(
        'func Register(name string) {\n\tif _, dup := byName[name]; dup {\n\t\tpanic("x")\n\t}\n'
        "\tnames = append(names, name)\n}\n"
    )
    write = node_at(source, "append(names, name)", "call_expression")
    assert not semantic.rejects_duplicates(source, write, "names")
    assert semantic.rejects_duplicates(source, write, "names", any_map=True)


SMALL = """
type Phase int

const (
	Idle Phase = iota
	Busy
)

type Name string

type Flag Phase

var (
	byBool  map[bool]int
	byByte  map[uint8]int
	byPhase map[Phase]int
	byName  map[Name]int
	byInt   map[int]int
	byFlag  map[Flag]int
)
"""


@pytest.mark.parametrize(
    ("var", "small"),
    [
        ("byBool", True),
        ("byByte", True),
        ("byPhase", True),  # an enum: constants declared of it
        ("byName", False),  # a named string with no constants: any value
        ("byInt", False),
        ("byFlag", False),  # no constants of Flag itself: unsure
    ],
)
def test_is_small_key_type(var, small):
    package = package_of(SMALL)
    source = package.files[0]
    map_type = node_at(source, var, "var_spec").child_by_field_name("type")
    key = map_type.child_by_field_name("key") if map_type is not None else None
    assert semantic.is_small_key_type(package, source, key) is small


def test_range_key_source_names_what_the_key_ranges_over():
    source = go_file(
        "func f() {\n\tfor name, v := range defaults {\n\t\tm[name] = v\n\t\tm[v] = v\n\t}\n}\n"
    )
    key = node_at(source, "name] = v", "identifier")
    value = node_at(source, "v] = v", "identifier")
    found = semantic.range_key_source(source, key)
    assert found is not None and source.text(found) == "defaults"
    assert semantic.range_key_source(source, value) is None
