"""linter.semantic.lifetime: which functions end the process when they return."""

from __future__ import annotations

from pathlib import Path

import pytest

from linter import semantic
from linter.source import Package
from tests.semantic_snippets import first_function, go_file


@pytest.mark.parametrize(
    ("package_name", "code", "is_main"),
    [
        ("main", "func main() {}", True),
        ("server", "func main() {}", False),
        ("main", "func run() {}", False),
        ("main", "func (s *S) main() {}", False),
    ],
)
def test_is_main_function_is_only_the_program_entry(package_name, code, is_main):
    go = go_file(code)
    package = Package(Path("."), package_name, [go])
    assert semantic.is_main_function(package, go, first_function(go)) is is_main
