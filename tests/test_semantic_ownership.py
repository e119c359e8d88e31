"""linter.semantic.ownership: what a use does with a value, and when it escapes."""

from __future__ import annotations

import pytest

from linter import semantic
from linter.semantic import UseKind
from tests.semantic_snippets import first_function, go_file, marked


@pytest.mark.parametrize(
    ("line", "kind", "name"),
    [
        ("return v, nil", UseKind.RETURNED, ""),
        ("w := v", UseKind.ASSIGNED, ""),
        ("s.f = (v)", UseKind.ASSIGNED, ""),
        ("v, err = open()", UseKind.BOUND, ""),
        ("_ = T{v}", UseKind.STORED, ""),
        ("_ = T{f: v}", UseKind.STORED, ""),
        ("use(1, v)", UseKind.PASSED, "use"),
        ("conns = append(conns, v)", UseKind.PASSED, "append"),
        ("out <- v", UseKind.SENT, ""),
        ("v <- 1", UseKind.READ, ""),
        ("p := &v", UseKind.ADDRESS_TAKEN, ""),
        ("v.Close()", UseKind.METHOD, "Close"),
        ("<-v.C", UseKind.FIELD, "C"),
        ("if v == nil {}", UseKind.READ, ""),
        ("w := v.(io.Closer)", UseKind.ASSIGNED, ""),
    ],
)
def test_use_of_names_what_a_reference_does(line, kind, name):
    go = go_file(f"{line} // <-")
    use = semantic.use_of(go, marked(go))
    assert use.kind is kind
    assert use.name == name


def test_a_passed_value_knows_its_call_and_position():
    go = go_file("copyTo(dst, v) // <-")
    use = semantic.use_of(go, marked(go))
    assert use.index == 1
    assert go.text(use.holder) == "copyTo(dst, v)"


@pytest.mark.parametrize(
    ("line", "hands_over"),
    [
        ("n := len(v)", False),
        ("_ = v", False),
        ("w := v", True),
        ("keep(v)", True),
        ("v.Stop()", False),
        ("return v", True),
    ],
)
def test_hands_over_leaves_out_borrows(line, hands_over):
    go = go_file(f"{line} // <-")
    assert semantic.use_of(go, marked(go)).hands_over is hands_over


def _escape(body: str):
    go = go_file(f"func f() {{\n\tv := make()\n{body}\n}}\n")
    function = first_function(go)
    binding = semantic.statements(function.child_by_field_name("body"))[0]
    return semantic.escape_of(go, function, "v", binding)


def test_escape_is_the_first_hand_over():
    escape = _escape("\tv.Stop()\n\treturn v")
    assert escape is not None and escape.use.kind is UseKind.RETURNED


def test_a_goroutine_capturing_the_value_is_an_escape():
    escape = _escape("\tgo func() { v.Stop() }()")
    assert escape is not None and escape.use is None


def test_a_deferred_closure_is_not_an_escape():
    assert _escape("\tdefer func() { v.Stop() }()") is None


@pytest.mark.parametrize(
    ("statement", "runs"),
    [
        ("defer func() { v.Stop() // <-\n}()", semantic.Runs.DEFERRED),
        ("go func() { v.Stop() // <-\n}()", semantic.Runs.GOROUTINE),
        ("func() { v.Stop() // <-\n}()", semantic.Runs.IN_PLACE),
        ("once.Do(func() { v.Stop() // <-\n})", semantic.Runs.LATER),
        ("v.Stop() // <-", semantic.Runs.HERE),
        ("go v.Stop() // <-", semantic.Runs.GOROUTINE),
        ("defer func() { go func() { v.Stop() // <-\n}() }()", semantic.Runs.GOROUTINE),
        ("func() { defer func() { v.Stop() // <-\n}() }()", semantic.Runs.DEFERRED),
    ],
)
def test_runs_of_says_when_a_closure_runs(statement, runs):
    go = go_file(statement)
    assert semantic.runs_of(marked(go), first_function(go)) is runs


def test_goroutine_of_looks_through_deferred_closures():
    go = go_file("go func() {\n\tdefer func() { v.Stop() // <-\n\t}()\n}()")
    goroutine = semantic.goroutine_of(marked(go))
    assert semantic.closure_runs(goroutine) is semantic.Runs.GOROUTINE


def test_a_deferred_closure_registered_before_the_binding_is_trusted_with_it():
    go = go_file("var v *T\ndefer func() { v.Stop() }()\nv = make() // <-")
    function = first_function(go)
    binding = marked(go).parent.parent
    assert semantic.used_by_earlier_deferred_closure(go, function, "v", binding)
