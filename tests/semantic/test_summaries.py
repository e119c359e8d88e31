"""summaries: what a function does with what it returns; False whenever some return gives
back a value the function does not release."""

from __future__ import annotations

import pytest

from linter import semantic
from tests.snippets import go_file, node_at

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
