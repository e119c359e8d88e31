"""paths and unreleased: which exits leave a value unreleased, searched over the function's
control-flow graph (so a `goto` is followed), and the code shapes the search reads."""

from __future__ import annotations

import pytest

from linter import semantic
from linter.semantic import ExitKind
from tests.snippets import go_file, node_at, package_of


def unreleased(
    code: str,
    binding: str,
    error_name: str | None = None,
    release: tuple[str, str] | None = None,
    end: str | None = None,
    name: str | None = None,
) -> list[semantic.Exit]:
    """Exits of `f` in `code` after the statement `binding` without a `t.Close()` (or the
    `release` given as (code, node type)); `end` spells a loop whose normal end releases;
    `name` is the variable whose nil check leaves nothing to release."""
    package = package_of(code)
    source = package.files[0]
    function = node_at(source, "func f", "function_declaration")
    kind = "short_var_declaration" if ":=" in binding else "assignment_statement"
    statement = node_at(source, binding, kind)
    releases = (
        [node_at(source, *release)]
        if release is not None
        else semantic.method_calls_on(source, function, "t", ("Close",))
    )
    ends = [node_at(source, end, "for_statement")] if end is not None else []
    return semantic.exits_without_release(
        package, source, function, statement, releases, error_name, ends, name
    )


def exits(body: str, error_name: str | None = "err") -> list[tuple[ExitKind, int]]:
    """Exits of `f` after `t, err := open()` without a `t.Close()`: (kind, line in body)."""
    code = f"func f(ok bool, items []int) error {{\n\tt, err := open()\n{body}\n}}\n"
    found = unreleased(code, "t, err := open()", error_name)
    return [(e.kind, e.node.start_point[0] - 3) for e in found]


def test_a_deferred_release_covers_every_exit():
    body = "\tdefer t.Close()\n\tif ok {\n\t\treturn nil\n\t}\n\treturn nil"
    assert exits(body) == []


def test_an_early_return_before_the_release_is_an_exit():
    body = "\tif ok {\n\t\treturn nil\n\t}\n\tt.Close()\n\treturn nil"
    assert exits(body) == [(ExitKind.RETURN, 2)]


def test_falling_off_the_end_is_an_exit_at_the_closing_brace():
    body = "\tif ok {\n\t\tt.Close()\n\t}\n\t_ = 1"
    assert exits(body) == [(ExitKind.FUNCTION_END, 5)]


def test_a_goto_past_the_release_is_followed():
    body = "\tif ok {\n\t\tgoto done\n\t}\n\tt.Close()\ndone:\n\treturn nil"
    assert exits(body) == [(ExitKind.RETURN, 6)]


def test_the_error_guard_right_after_the_binding_is_not_an_exit():
    body = "\tif err != nil {\n\t\treturn err\n\t}\n\tdefer t.Close()\n\treturn nil"
    assert exits(body) == []
    assert exits(body, error_name=None) == [(ExitKind.RETURN, 2)]


def test_a_reassigned_error_no_longer_guards():
    body = (
        "\t_, err = t.Write(nil)\n\tif err != nil {\n\t\treturn err\n\t}\n\tt.Close()\n\treturn nil"
    )
    assert exits(body) == [(ExitKind.RETURN, 3)]


def test_a_terminating_call_ends_its_path_without_an_exit():
    body = '\tif ok {\n\t\tpanic("x")\n\t}\n\tt.Close()\n\treturn nil'
    assert exits(body) == []


def test_a_release_returned_with_the_value_counts():
    assert exits("\treturn t.Close()") == []


def test_an_error_reassigned_on_another_branch_still_guards_this_one():
    body = (
        "\tif ok {\n\t\t_, err = t.Write(nil)\n\t\tt.Close()\n\t\treturn err\n\t}\n"
        "\tif err != nil {\n\t\treturn err\n\t}\n\tdefer t.Close()\n\treturn nil"
    )
    assert exits(body) == []


def test_an_error_checked_as_nil_leaves_only_the_failed_path():
    body = "\tif err == nil {\n\t\tdefer t.Close()\n\t\treturn nil\n\t}\n\treturn err"
    assert exits(body) == []


def test_a_tagless_switch_case_on_the_error_is_a_guard():
    body = (
        "\tswitch {\n\tcase err != nil:\n\t\treturn err\n\tcase ok:\n\t\treturn nil\n\t}\n"
        "\tt.Close()"
    )
    assert exits(body) == [(ExitKind.RETURN, 5)]


def test_a_nil_value_has_nothing_to_release_wherever_its_branch_leads():
    code = (
        "func f(items []int) {\n\tfor range items {\n\t\tt := open()\n\t\tif t == nil {\n"
        "\t\t\tcontinue\n\t\t}\n\t\tt.Close()\n\t}\n}\n"
    )
    assert unreleased(code, "t := open()", name="t") == []
    assert [e.kind for e in unreleased(code, "t := open()")] == [ExitKind.NEXT_ITERATION]


def test_a_package_function_that_never_returns_ends_the_path():
    code = (
        'import "os"\n\nfunc die() { os.Exit(1) }\n\n'
        "func f(ok bool) error {\n\tt := open()\n\tif ok {\n\t\tdie()\n\t\treturn errBad\n\t}\n"
        "\tt.Close()\n\treturn nil\n}\n"
    )
    assert unreleased(code, "t := open()") == []
    assert [e.kind for e in unreleased(code.replace("\t\tdie()", "\t\tuse()"), "t := open()")] == [
        ExitKind.RETURN
    ]


def test_a_break_out_of_the_binding_s_own_loop_is_followed():
    code = (
        "func f(ok bool) {\n\tfor {\n\t\tt := open()\n\t\tif ok {\n\t\t\tbreak\n\t\t}\n"
        "\t\tt.Close()\n\t}\n\tuse()\n}\n"
    )
    found = unreleased(code, "t := open()")
    assert [(e.kind, e.node.start_point[0]) for e in found] == [(ExitKind.FUNCTION_END, 11)]


def test_a_labelled_continue_past_the_release_reaches_the_next_iteration():
    code = (
        "func f(rows [][]int) {\nouter:\n\tfor _, row := range rows {\n\t\tt := open()\n"
        "\t\tfor _, x := range row {\n\t\t\tif x == 0 {\n\t\t\t\tcontinue outer\n\t\t\t}\n"
        "\t\t}\n\t\tt.Close()\n\t}\n}\n"
    )
    found = unreleased(code, "t := open()")
    assert [(e.kind, e.node.text.decode()[:3]) for e in found] == [(ExitKind.NEXT_ITERATION, "for")]
    assert unreleased(code.replace("continue outer", "continue"), "t := open()") == []


def test_a_loop_left_only_by_breaks_after_the_release_covers_what_follows():
    body = "\tfor {\n\t\tif ok {\n\t\t\tt.Close()\n\t\t\tbreak\n\t\t}\n\t}\n\treturn nil"
    assert exits(body) == []
    assert exits(body.replace("\t\t\tt.Close()\n", "")) == [(ExitKind.RETURN, 6)]


def test_a_loop_in_ends_releases_the_value_when_it_runs_to_its_end():
    code = (
        "func f() error {\n\tt, err := open()\n\tif err != nil {\n\t\treturn err\n\t}\n"
        "\tfor t.Next() {\n\t\tif bad() {\n\t\t\treturn errBad\n\t\t}\n\t}\n\treturn nil\n}\n"
    )
    found = unreleased(code, "t, err := open()", "err", end="for t.Next()")
    assert [e.node.text.decode() for e in found] == ["return errBad"]


def test_an_endless_loop_has_no_exit_after_it():
    body = "\tfor range tick.C {\n\t\tuse(t)\n\t}\n\treturn nil"
    assert exits(body) == []
    assert exits(body.replace("tick.C", "items")) == [(ExitKind.RETURN, 4)]


def test_a_release_in_a_select_case_header_covers_only_that_case():
    code = (
        "func f(quit chan bool) {\n\tt := open()\n\tselect {\n\tcase <-t.C:\n\tcase <-quit:\n"
        "\t\treturn\n\t}\n}\n"
    )
    found = unreleased(code, "t := open()", release=("<-t.C", "unary_expression"))
    assert [e.node.text.decode() for e in found] == ["return"]


def test_a_value_made_per_iteration_must_be_released_per_iteration():
    code = "func f(items []int) {\n\tfor range items {\n\t\tt := open()\n\t\tuse(t)\n\t}\n}\n"
    found = unreleased(code, "t := open()")
    assert [e.kind for e in found] == [ExitKind.NEXT_ITERATION]
    assert found[0].how == "the next loop iteration"  # words for messages, the kind for rules


REARM = """
func f(resize chan int, quit chan bool) {
	t := open()
	for {
		select {
		case d := <-resize:
			%s
			if d > 0 {
				t = openEvery(d)
			}
		case <-quit:
			%s
			return
		}
	}
}
"""


@pytest.mark.parametrize(
    ("before", "on_quit", "kinds"),
    [
        ("t.Close()", "t.Close()", []),  # the old value released on the way to the re-binding
        ("use(t)", "t.Close()", [ExitKind.NEXT_ITERATION]),
        ("t.Close()", "use(t)", [ExitKind.RETURN]),  # the new value may leave through quit
    ],
)
def test_a_release_before_the_re_binding_covers_the_next_iteration(before, on_quit, kinds):
    found = unreleased(REARM % (before, on_quit), "t = openEvery(d)")
    assert [e.kind for e in found] == kinds


@pytest.mark.parametrize(
    ("condition", "branch"),
    [
        ("err != nil", "then"),
        ("err == nil", "else"),
        ("os.IsNotExist(err)", "then"),
        ("errors.Is(err, io.EOF)", "then"),
        ("err != nil && ok", "then"),
        ("assert.NoError(t, err)", "else"),  # true when err is nil
        ("!assert.NoError(t, err)", "then"),
        ('s.Nilf(err, "dial")', "else"),
        ("assert.Error(t, err)", "then"),
        ("ok", ""),
        ("other != nil", ""),
    ],
)
def test_error_guard(condition, branch):
    source = go_file(f"func f() {{\n\tif {condition} {{\n\t}}\n}}\n")
    node = node_at(source, "if ", "if_statement").child_by_field_name("condition")
    assert semantic.error_guard(source, node, "err").value == (branch or "neither")


@pytest.mark.parametrize(
    ("loop", "endless", "has_break"),
    [
        ("for {\n\t\twork()\n\t}", True, False),
        ("for {\n\t\tif done() {\n\t\t\tbreak\n\t\t}\n\t}", False, True),
        ("for {\n\t\tselect {\n\t\tcase <-c:\n\t\t\tbreak\n\t\t}\n\t}", True, False),
        ("L:\n\tfor {\n\t\tselect {\n\t\tcase <-c:\n\t\t\tbreak L\n\t\t}\n\t}", False, True),
        ("for ok {\n\t\twork()\n\t}", False, False),
        ("for range t.C {\n\t\twork()\n\t}", True, False),  # nobody closes a ticker's C
        ("for range t.C {\n\t\tif done() {\n\t\t\tbreak\n\t\t}\n\t}", False, True),
        ("for range jobs {\n\t\twork()\n\t}", False, False),
    ],
)
def test_is_endless_loop_and_loop_has_break(loop, endless, has_break):
    source = go_file(f"func f() {{\n\t{loop}\n}}\n")
    node = node_at(source, "for ", "for_statement")
    assert semantic.is_endless_loop(source, node) is endless
    assert semantic.loop_has_break(source, node) is has_break


def test_loop_label_and_range_expression():
    source = go_file("func f() {\nouter:\n\tfor _, x := range xs {\n\t\t_ = x\n\t}\n}\n")
    loop = node_at(source, "for ", "for_statement")
    assert semantic.loop_label(source, loop) == "outer"
    right = semantic.range_expression(loop)
    assert right is not None and source.text(right) == "xs"


def test_own_returns_leave_out_closures():
    source = go_file("func f() int {\n\tg := func() int { return 1 }\n\treturn g()\n}\n")
    function = node_at(source, "func f", "function_declaration")
    assert [source.text(r) for r in semantic.own_returns(function)] == ["return g()"]


@pytest.mark.parametrize(
    ("body", "never"),
    [
        ("\tfor {\n\t\twork()\n\t}", True),
        ("\tfor range time.Tick(time.Second) {\n\t\twork()\n\t}", True),
        ("\tfor range jobs {\n\t\twork()\n\t}", False),
        ("\tfor {\n\t\tif ok {\n\t\t\treturn\n\t\t}\n\t}", False),
    ],
)
def test_never_returns(body, never):
    source = go_file(f'import "time"\n\nfunc f(ok bool) {{\n{body}\n}}\n')
    function = node_at(source, "func f", "function_declaration")
    assert semantic.never_returns(source, function) is never
