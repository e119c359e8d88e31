"""Every rule against its fixtures under testdata/src/<code>/ (the `// want` harness)."""

from __future__ import annotations

import pytest

from linter.registry import all_rules
from tests.analysistest import SRC, check_fixtures

STATIC_RULES = [rule for rule in all_rules() if rule.check is not None]


@pytest.mark.parametrize("rule", STATIC_RULES, ids=lambda r: r.code)
def test_rule_matches_its_wants(rule):
    directory = SRC / rule.code
    assert directory.is_dir(), f"{rule.code} has no fixtures at {directory}"
    check_fixtures(directory, (rule.code,))
