"""summaries: what a function does with what it returns; False whenever some return gives
back a value the function does not release."""

from __future__ import annotations

import pytest

from linter import semantic
from tests.snippets import go_file, node_at, package_of

OPEN = "\tf, err := os.Create(p)\n\tif err != nil {\n\t\treturn nil, err\n\t}\n"


@pytest.mark.parametrize(
    ("body", "closed"),
    [
        (OPEN + "\tdefer f.Close()\n\treturn f, nil", True),
        (OPEN + "\tdefer func() { _ = f.Close() }()\n\treturn f, nil", True),
        (OPEN + "\tt.Cleanup(func() { f.Close() })\n\treturn f, nil", True),
        (OPEN + "\treturn f, nil", False),
        (OPEN + "\tif bad {\n\t\tf.Close()\n\t}\n\treturn f, nil", False),  # one path only
        (OPEN + "\tgo func() { f.Close() }()\n\treturn f, nil", False),  # whenever it runs
        (OPEN + "\tdefer f.Close()\n\treturn other, nil", False),
    ],
)
def test_closes_what_it_returns(body, closed):
    source = go_file(f"func f(t *testing.T, p string, bad bool) (*os.File, error) {{\n{body}\n}}\n")
    function = node_at(source, "func f", "function_declaration")
    assert semantic.closes_what_it_returns(source, function) is closed


def test_a_response_counts_as_closed_through_its_body():
    source = go_file(
        "func head(c *http.Client, u string) (*http.Response, error) {\n"
        "\tresp, err := c.Get(u)\n\tif err != nil {\n\t\treturn nil, err\n\t}\n"
        "\tdefer resp.Body.Close()\n\treturn resp, nil\n}\n"
    )
    function = node_at(source, "func head", "function_declaration")
    assert semantic.closes_what_it_returns(source, function, ("Close",), "Body")
    assert not semantic.closes_what_it_returns(source, function)


WRITE = "func write(p string) error {\n\treturn nil\n}\n"


@pytest.mark.parametrize(
    ("callers", "ends"),
    [
        ('\tif err := write("a"); err != nil {\n\t\tlog.Fatal(err)\n\t}', True),
        ('\terr := write("a")\n\tif err != nil {\n\t\tpanic(err)\n\t}', True),
        ('\tif err := write("a"); err != nil {\n\t\tlog.Print(err)\n\t}', False),
        ('\t_ = write("a")', False),
        ("", False),  # no caller in the package
    ],
)
def test_errors_end_every_caller(callers, ends):
    package = package_of(f"{WRITE}\nfunc main() {{\n{callers}\n}}\n", name="main")
    assert semantic.errors_end_every_caller(package, "write") is ends


def test_an_exported_function_may_have_callers_in_other_packages():
    source = WRITE.replace("write", "Write")
    body = '\tif err := Write("a"); err != nil {\n\t\tpanic(err)\n\t}'
    package = package_of(f"{source}\nfunc run() {{\n{body}\n}}\n", name="keys")
    assert not semantic.errors_end_every_caller(package, "Write")


@pytest.mark.parametrize(
    ("signature", "ret", "failing"),
    [
        ("error", "return err", True),
        ("(int, error)", 'return 0, fmt.Errorf("x")', True),
        ("(n int, err error)", "return 0, err", True),
        ("error", "return nil", False),
        ("(int, error)", "return 1, nil", False),
        ("int", "return n", False),
    ],
)
def test_returns_an_error(signature, ret, failing):
    source = go_file(f"func f(n int, err error) {signature} {{\n\t{ret}\n}}\n")
    node = node_at(source, ret, "return_statement")
    assert semantic.returns_an_error(source, node) is failing


CONSTRUCTORS = """
import (
	"os"
	"testing"
)

func openLog(dir string) (*os.File, error) { return os.Create(dir) }

func tempFile(t *testing.T) *os.File {
	f, _ := os.CreateTemp("", "x")
	t.Cleanup(func() { f.Close() })
	return f
}

func namedTemp(t *testing.T) *os.File { return tempFile(t) }

func name() string { return "x" }
"""


def test_functions_returning_a_resource_leave_out_those_that_release_it_themselves():
    package = package_of(CONSTRUCTORS)
    releasers = frozenset({("os.File", ("Close",), "")})
    # tempFile cleans up itself, and namedTemp returns what tempFile made
    assert semantic.functions_returning(package, releasers) == {"openLog": "os.File"}


def test_error_returns_every_caller_ends_the_process_on_are_not_outlived():
    package = package_of(
        'import "log"\n\n'
        "func writeKey(p string) error {\n\tif bad(p) {\n\t\treturn errBad\n\t}\n"
        "\treturn nil\n}\n\n"
        'func main() {\n\tif err := writeKey("k"); err != nil {\n\t\tlog.Fatal(err)\n\t}\n}\n',
        name="main",
    )
    source = package.files[0]
    function = node_at(source, "func writeKey", "function_declaration")
    returns = semantic.own_returns(function)
    exits = [semantic.Exit(r, semantic.ExitKind.RETURN) for r in returns]
    kept = semantic.exits_outlived(package, source, function, exits)
    assert [source.text(e.node) for e in kept] == ["return nil"]  # `return errBad` ends main
