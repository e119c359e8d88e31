"""ownership: what a use does with a value, when closures run, and who releases a value."""

from __future__ import annotations

import pytest

from linter import semantic
from linter.semantic import Runs, UseKind, Verdict
from tests.snippets import descendants, go_file, node_at, package_of

MARK = "// <-"


def in_function(body: str, signature: str = "func f()"):
    """A file holding `signature { body }`."""
    return go_file(f"{signature} {{\n{body}\n}}\n")


def marked(source, name: str = "v"):
    """The last identifier `name` on the line ending with the `// <-` marker."""
    lines = source.data.decode().splitlines()
    row = next(i for i, line in enumerate(lines) if line.rstrip().endswith(MARK))
    found = [
        n
        for n in descendants(source.root, "identifier")
        if n.start_point[0] == row and source.text(n) == name
    ]
    assert found, f"no {name!r} on {lines[row]!r}"
    return found[-1]


def function_of(source):
    return node_at(source, "func f", "function_declaration")


@pytest.mark.parametrize(
    ("line", "kind", "name"),
    [
        ("return v, nil", UseKind.RETURNED, ""),
        ("w := v", UseKind.ASSIGNED, ""),
        ("s.f = (v)", UseKind.ASSIGNED, ""),
        ("v, err = open()", UseKind.BOUND, ""),
        ("var v = open()", UseKind.BOUND, ""),
        ("_ = T{v}", UseKind.STORED, ""),
        ("_ = T{f: v}", UseKind.STORED, ""),
        ("use(1, v)", UseKind.PASSED, "use"),
        ("conns = append(conns, v)", UseKind.PASSED, "append"),
        ("out <- v", UseKind.SENT, ""),
        ("v <- 1", UseKind.READ, ""),  # sending on it is an operation, not a hand-over
        ("p := &v", UseKind.ADDRESS_TAKEN, ""),
        ("v.Close()", UseKind.METHOD, "Close"),
        ("<-v.C", UseKind.FIELD, "C"),
        ("if v == nil {}", UseKind.READ, ""),
        ("w := v.(io.Closer)", UseKind.ASSIGNED, ""),  # an assertion is the same value
    ],
)
def test_use_of_names_what_a_reference_does(line, kind, name):
    source = in_function(f"{line} {MARK}")
    use = semantic.use_of(source, marked(source))
    assert (use.kind, use.name) == (kind, name)


def test_a_passed_value_knows_its_call_and_position():
    source = in_function(f"copyTo(dst, v) {MARK}")
    use = semantic.use_of(source, marked(source))
    assert (source.text(use.holder), use.index) == ("copyTo(dst, v)", 1)


@pytest.mark.parametrize(
    ("line", "hands_over"),
    [
        ("n := len(v)", False),  # len, cap, print: looking, not keeping
        ("_ = v", False),
        ("w := v", True),
        ("keep(v)", True),  # unsure what keep does: a hand-over
        ("v.Stop()", False),
        ("return v", True),
    ],
)
def test_hands_over_leaves_out_borrows(line, hands_over):
    source = in_function(f"{line} {MARK}")
    assert semantic.use_of(source, marked(source)).hands_over is hands_over


@pytest.mark.parametrize(
    ("statement", "runs"),
    [
        (f"defer func() {{ v.Stop() {MARK}\n}}()", Runs.DEFERRED),
        (f"go func() {{ v.Stop() {MARK}\n}}()", Runs.GOROUTINE),
        (f"func() {{ v.Stop() {MARK}\n}}()", Runs.IN_PLACE),
        (f"once.Do(func() {{ v.Stop() {MARK}\n}})", Runs.LATER),
        (f"v.Stop() {MARK}", Runs.HERE),
        (f"go v.Stop() {MARK}", Runs.GOROUTINE),  # the goroutine makes the call
        (f"defer func() {{ go func() {{ v.Stop() {MARK}\n}}() }}()", Runs.GOROUTINE),
        (f"func() {{ defer func() {{ v.Stop() {MARK}\n}}() }}()", Runs.DEFERRED),
    ],
)
def test_runs_of_says_when_code_in_closures_runs(statement, runs):
    source = in_function(statement)
    assert semantic.runs_of(marked(source), function_of(source)) is runs


def test_goroutine_of_looks_through_deferred_closures():
    source = in_function(f"go func() {{\n\tdefer func() {{ v.Stop() {MARK}\n\t}}()\n}}()")
    goroutine = semantic.goroutine_of(marked(source))
    assert semantic.closure_runs(goroutine) is Runs.GOROUTINE


def test_a_deferred_closure_registered_before_the_binding_is_trusted_with_it():
    source = in_function(f"var v *T\ndefer func() {{ v.Stop() }}()\nv = make() {MARK}")
    binding = node_at(source, "v = make()", "assignment_statement")
    assert semantic.used_by_earlier_deferred_closure(source, function_of(source), "v", binding)


def test_captured_by_closure_sees_goroutines_not_defers():
    for body, captured in (("go func() { <-v.C }()", True), ("defer func() { v.Stop() }()", False)):
        source = in_function(f"v := open()\n{body}")
        binding = node_at(source, "v := open()", "short_var_declaration")
        assert semantic.captured_by_closure(source, function_of(source), "v", binding) is captured


def release(body: str, signature: str = "func f() error"):
    """release_check on the `open()` call of `signature { body }`, released by Close."""
    package = package_of(f"{signature} {{\n{body}\n}}\n")
    source = package.files[0]
    function = function_of(source)
    binding = semantic.binding_of(source, node_at(source, "open()", "call_expression"))
    block = function.child_by_field_name("body")
    return semantic.release_check(
        package,
        source,
        function,
        binding,
        lambda _: semantic.method_calls_on(source, block, binding.name, ("Close",)),
    )


GUARD = "if err != nil { return err }\n"
CLOSED = "defer v.Close()\nreturn nil"
NIL_GUARD = "if v == nil { return nil }\n"


@pytest.mark.parametrize(
    ("body", "verdict"),
    [
        ("_, err := open()\nreturn err", Verdict.DISCARDED),
        ("open()\nreturn nil", Verdict.DISCARDED),
        (f"v, err := open()\n{GUARD}return nil", Verdict.NEVER_RELEASED),
        (f"v, err := open()\n{GUARD}defer v.Close()\nreturn nil", Verdict.RELEASED),
        (f"v, err := open()\n{GUARD}keep(v)\nreturn nil", Verdict.HANDED_OVER),
        ("v, err := open()\ngo func() { v.Close() }()\nreturn err", Verdict.HANDED_OVER),
        (f"v, _ := open()\n{NIL_GUARD}{CLOSED}", Verdict.RELEASED),
        ("s.v, _ = open()\nreturn nil", Verdict.HANDED_OVER),  # a field's owner releases it
    ],
)
def test_release_check_composes_one_verdict(body, verdict):
    assert release(body).verdict is verdict


def test_a_leak_lists_the_exits_that_skip_the_release():
    check = release(f"v, err := open()\n{GUARD}if bad() {{ return errBad }}\n{CLOSED}")
    assert check.verdict is Verdict.LEAKS
    assert [(e.kind, e.node.start_point[0]) for e in check.exits] == [(semantic.ExitKind.RETURN, 5)]


def test_a_value_bound_to_a_named_result_goes_to_the_caller():
    check = release("v, err = open()\nreturn", "func f() (v *T, err error)")
    assert check.verdict is Verdict.HANDED_OVER


def test_a_call_expected_to_fail_goes_on_only_on_failure():
    package = package_of("func f() {\n_, err := open()\nif err == nil { t.Fatal() }\n}\n")
    source = package.files[0]
    binding = semantic.binding_of(source, node_at(source, "open()", "call_expression"))
    assert semantic.continues_only_on_failure(package, source, function_of(source), binding)


@pytest.mark.parametrize(
    ("use", "kept"),
    [
        ("files = append(files, v)", True),
        ("out <- v", True),
        ("r := bufio.NewReader(v)\n\tall = append(all, r)", True),  # through what wraps it
        ("st, err := v.Stat()\n\tuse(st, err)", False),  # only read through it
        ("v.Close()", False),
    ],
)
def test_kept_beyond_follows_the_value_out_of_the_loop(use, kept):
    source = in_function(f"for _, p := range paths {{\n\tv := open(p)\n\t{use}\n}}")
    loop = node_at(source, "for _, p", "for_statement")
    made = node_at(source, "v := open(p)", "short_var_declaration")
    assert semantic.kept_beyond(source, loop.child_by_field_name("body"), "v", made) is kept


FIELDS = """
type conn struct{ cancel func(); done func(); note func() }

func open(c *conn, f func()) *conn {
	c.cancel = f
	x := &conn{done: f}
	keep(f)
	c.note = f
	c.note()
	return x
}
"""


def test_field_stored_in_and_field_is_read():
    package = package_of(FIELDS)
    source = package.files[0]
    function = node_at(source, "func open(", "function_declaration")
    refs = semantic.references(source, function.child_by_field_name("body"), "f")
    ordered = sorted(refs, key=lambda r: r.start_byte)
    stored = [semantic.field_stored_in(source, semantic.use_of(source, r)) for r in ordered]
    assert [source.text(s) if s is not None else None for s in stored] == [
        "cancel",
        "done",
        None,  # passed on
        "note",
    ]
    assert not semantic.field_is_read(package, "cancel")  # only ever assigned
    assert semantic.field_is_read(package, "note")  # called


def test_a_goroutine_takes_the_value_only_where_it_starts():
    package = package_of(
        "func f(ok bool) error {\n\tf, err := open()\n\tif err != nil {\n\t\treturn err\n\t}\n"
        "\tif !ok {\n\t\treturn errBad\n\t}\n\tgo func() { use(f) }()\n\treturn nil\n}\n"
    )
    source = package.files[0]
    function = node_at(source, "func f", "function_declaration")
    binding = semantic.binding_of(source, node_at(source, "open()", "call_expression"))
    check = semantic.release_check(package, source, function, binding, lambda refs: [])
    assert check.verdict is Verdict.LEAKS
    assert [source.text(e.node) for e in check.exits] == ["return errBad"]


def test_a_function_literal_dropped_with_underscore_never_runs():
    source = go_file("func f() {\n\t_ = func() { use(1) }\n\tx := func() { use(2) }\n\tx()\n}\n")
    function = node_at(source, "func f", "function_declaration")
    dropped, kept = descendants(function, "func_literal")
    assert semantic.closure_runs(dropped) is Runs.NEVER
    assert semantic.closure_runs(kept) is Runs.LATER
    call = node_at(source, "use(1)", "call_expression")
    assert semantic.runs_of(call, function) is Runs.NEVER


def test_a_call_inside_a_panics_check_is_expected_to_panic():
    source = go_file(
        "func f(t *testing.T) {\n\trequire.Panics(t, func() { open(1) })\n"
        "\tassert.NotPanics(t, func() { open(2) })\n}\n"
    )
    assert semantic.expected_to_panic(source, node_at(source, "open(1)", "call_expression"))
    assert not semantic.expected_to_panic(source, node_at(source, "open(2)", "call_expression"))
