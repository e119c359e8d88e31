"""summaries: what the package's own functions hand their callers."""

from __future__ import annotations

from linter import semantic
from tests.snippets import package_of

SOURCE = """
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


def test_functions_returning_a_resource_leave_out_helpers_that_clean_up():
    package = package_of(SOURCE)
    found = semantic.functions_returning(package, frozenset({"os.File"}))
    assert found == {"openLog": "os.File"}  # tempFile and what returns it clean up themselves
