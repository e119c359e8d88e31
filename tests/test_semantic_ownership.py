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


def _release(code: str, methods: tuple[str, ...] = ("Close",)):
    """release_check on the first `v, err := open()` (or `v := open()`) of `code`."""
    go = go_file(code)
    function = first_function(go)
    call = next(
        node for node in _calls(function) if go.text(node.child_by_field_name("function")) == "open"
    )
    body = function.child_by_field_name("body")
    binding = semantic.binding_of(go, call)
    return semantic.release_check(
        go,
        function,
        binding,
        lambda _: semantic.method_calls_on(go, body, binding.name, methods),
    )


def _calls(node):
    found = [node] if node.type == "call_expression" else []
    for child in node.children:
        found.extend(_calls(child))
    return found


@pytest.mark.parametrize(
    ("body", "verdict"),
    [
        ("_, err := open()\n\treturn err", semantic.Verdict.DISCARDED),
        ("open()", semantic.Verdict.DISCARDED),
        ("v, err := open()\n\tif err != nil { return err }\n\treturn nil", "never"),
        ("v, err := open()\n\tif err != nil { return err }\n\tdefer v.Close()\n\treturn nil", "ok"),
        ("v, err := open()\n\tif err != nil { return err }\n\tkeep(v)\n\treturn nil", "handed"),
        ("v, err := open()\n\tgo func() { v.Close() }()\n\treturn err", "handed"),
        ("v, _ := open()\n\tif v == nil { return nil }\n\tdefer v.Close()\n\treturn nil", "ok"),
    ],
)
def test_release_check_composes_one_verdict(body, verdict):
    expected = {
        "never": semantic.Verdict.NEVER_RELEASED,
        "ok": semantic.Verdict.RELEASED,
        "handed": semantic.Verdict.HANDED_OVER,
    }.get(verdict, verdict)
    assert _release(f"func f() error {{\n\t{body}\n}}\n").verdict is expected


def test_a_leak_lists_the_exits_that_skip_the_release():
    check = _release(
        "func f() error {\n"
        "\tv, err := open()\n"
        "\tif err != nil { return err }\n"
        "\tif bad() { return errBad }\n"
        "\tdefer v.Close()\n"
        "\treturn nil\n"
        "}\n"
    )
    assert check.verdict is semantic.Verdict.LEAKS
    assert [e.kind for e in check.exits] == [semantic.ExitKind.RETURN]
    assert check.exits[0].node.start_point[0] == 6  # `return errBad`


def test_a_named_result_is_handed_to_the_caller():
    code = "func f() (v *T, err error) {\n\tv, err = open()\n\treturn\n}\n"
    assert _release(code).verdict is semantic.Verdict.HANDED_OVER


def test_a_call_expected_to_fail_goes_on_only_on_failure():
    go = go_file("_, err := open()\nif err == nil { t.Fatal() }")
    function = first_function(go)
    call = next(n for n in _calls(function) if go.text(n) == "open()")
    binding = semantic.binding_of(go, call)
    assert semantic.continues_only_on_failure(go, function, binding)


@pytest.mark.parametrize(
    ("use", "kept"),
    [
        ("files = append(files, v)", True),
        ("out <- v", True),
        ("r := bufio.NewReader(v)\n\t\tall = append(all, r)", True),
        ("st, err := v.Stat()\n\t\tuse(st, err)", False),
        ("v.Close()", False),
    ],
)
def test_kept_beyond_follows_the_value_out_of_the_loop(use, kept):
    go = go_file(f"for _, p := range paths {{\n\tv := open(p)\n\t{use}\n}}")
    loop_body = semantic.statements(first_function(go).child_by_field_name("body"))[0]
    body = loop_body.child_by_field_name("body")
    made = semantic.statements(body)[0]
    assert semantic.kept_beyond(go, body, "v", made) is kept


def test_captured_by_closure_sees_goroutines_not_defers():
    go = go_file("v := open()\ngo func() { <-v.C }()")
    function = first_function(go)
    binding = semantic.statements(function.child_by_field_name("body"))[0]
    assert semantic.captured_by_closure(go, function, "v", binding)
    go = go_file("v := open()\ndefer func() { v.Stop() }()")
    function = first_function(go)
    binding = semantic.statements(function.child_by_field_name("body"))[0]
    assert not semantic.captured_by_closure(go, function, "v", binding)
