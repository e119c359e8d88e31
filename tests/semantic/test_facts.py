"""Package facts: computed once per package check and argument, dropped with the check, and
never stored on the Package or GoFile they are about."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest

from linter import semantic
from linter.semantic.facts import checking
from linter.source import GoFile, Package
from tests.snippets import package_of

SOURCE = "func run() {}\n\nfunc (s *server) stop() {}\n"


def counting_facts() -> tuple[list[str], Callable[..., int], Callable[..., int]]:
    """A package fact and a file fact that record each computation."""
    computed: list[str] = []

    @semantic.package_fact
    def function_count(package: Package, prefix: str) -> int:
        computed.append(f"package {prefix}")
        return sum(f.data.count(prefix.encode()) for f in package.files)

    @semantic.file_fact
    def size(go_file: GoFile) -> int:
        computed.append(f"file {go_file.display_path}")
        return len(go_file.data)

    return computed, function_count, size


def test_a_fact_is_computed_once_per_check_subject_and_argument():
    computed, function_count, size = counting_facts()
    package = package_of(SOURCE, "func helper() {}\n")
    with checking(package):
        assert function_count(package, "func") == 3
        assert function_count(package, "func") == 3
        assert function_count(package, "func (") == 1
        for go_file in package.files * 2:
            size(go_file)
    assert computed == ["package func", "package func (", "file x/x.go", "file x/x1.go"]


def test_answers_are_dropped_when_the_check_ends():
    computed, function_count, _ = counting_facts()
    package = package_of(SOURCE)
    for _ in range(2):
        with checking(package):
            function_count(package, "func")
    assert computed == ["package func", "package func"]


def test_outside_a_check_nothing_is_kept_and_the_answer_is_the_same():
    computed, function_count, _ = counting_facts()
    package = package_of(SOURCE)
    assert function_count(package, "func") == function_count(package, "func") == 2
    assert len(computed) == 2


def test_equal_packages_are_different_subjects():
    """Package is a dataclass: equal packages (here the same files) are still two subjects."""
    computed, function_count, _ = counting_facts()
    first = package_of(SOURCE)
    second = dataclasses.replace(first)
    assert first == second and first is not second
    with checking(first):
        function_count(first, "func")
        function_count(second, "func")
    assert len(computed) == 2


def test_a_nested_check_starts_afresh_and_restores_the_outer_one():
    computed, function_count, _ = counting_facts()
    outer, inner = package_of(SOURCE), package_of("func other() {}\n")
    with checking(outer):
        function_count(outer, "func")
        with checking(inner):
            function_count(inner, "func")
            function_count(outer, "func")
        function_count(outer, "func")
    assert computed == ["package func", "package func", "package func"]


def test_facts_take_arguments_by_position_only():
    _, function_count, _ = counting_facts()
    package = package_of(SOURCE)
    with checking(package), pytest.raises(TypeError, match="by position"):
        function_count(package, prefix="func")


def test_the_semantic_layer_sets_no_attribute_on_a_package_or_file():
    package = package_of(SOURCE, "var jobs = make(chan int)\n")
    fields = {f.name for f in dataclasses.fields(Package)}
    file_fields = {f.name for f in dataclasses.fields(GoFile)}
    with checking(package):
        assert set(semantic.package_declarations(package)) == {"run", ".stop"}
        assert semantic.package_channel_global_names(package) == {"jobs"}
        assert semantic.channel_makes(package.files[1])
    assert set(vars(package)) == fields
    assert all(set(vars(f)) == file_fields for f in package.files)
