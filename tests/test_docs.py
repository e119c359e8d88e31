"""Docs that must not drift: the README rule table, docs/rules.md, the bundled example."""

from __future__ import annotations

import json
import subprocess
import sys

from linter import docs
from tests.analysistest import wants_in
from tests.conftest import ROOT, run_cli


def test_readme_rule_table_is_generated_from_rule_metadata():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert docs.readme_with_table(readme) == readme, "run: python -m linter.docs"


def test_rules_reference_is_generated_from_rule_metadata():
    current = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert current == docs.rules_reference(), "run: python -m linter.docs"


def test_bundled_example_reports_exactly_its_wants():
    example = ROOT / "examples" / "leaky"
    proc = run_cli("--format", "json", "./...", cwd=example)
    assert proc.returncode == 1, proc.stderr
    got = sorted(
        (f["location"]["path"], f["location"]["line"], f["rule"])
        for f in json.loads(proc.stdout)["findings"]
    )
    wanted = sorted(
        (str(path.relative_to(example)), line, code)
        for path in example.rglob("*.go")
        for line, code, _ in wants_in(path)
    )
    assert got == wanted


def test_code_is_ruff_clean():
    proc = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "linter", "rules", "tests"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_every_command_line_option_is_in_the_readme():
    from linter.cli import main

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    options = [o for param in main.params for o in param.opts if o.startswith("--")]
    assert "--report" in options
    assert [o for o in options if o not in readme] == []
