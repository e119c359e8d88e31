"""The README rule table and docs/rules.md, generated from rule metadata.

`python -m linter.docs` rewrites both; a test fails when they drift from the rules.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from linter.registry import all_rules

ROOT = Path(__file__).resolve().parent.parent
START, END = "<!-- rules:start -->", "<!-- rules:end -->"


def rule_table() -> str:
    lines = [
        "| code | name | default | test files | level | precision | what it flags |",
        "|---|---|---|---|---|---|---|",
    ]
    for rule in all_rules():
        anchor = rule.code.lower()
        lines.append(
            f"| [{rule.code}](docs/rules.md#{anchor}) | `{rule.name}` | "
            f"{'on' if rule.default else 'opt-in'} | {'yes' if rule.test_files else 'no'} | "
            f"{rule.level} | "
            f"{rule.precision} | {rule.summary} |"
        )
    return "\n".join(lines) + "\n"


def rules_reference() -> str:
    parts = ["# Rules\n", "Generated from the rule modules by `python -m linter.docs`.\n"]
    for rule in all_rules():
        body = re.sub(r"^## ", "### ", rule.doc, flags=re.M)
        parts.append(
            f'<a id="{rule.code.lower()}"></a>\n## {rule.code} {rule.name}\n\n'
            f"{rule.summary}. {'On by default' if rule.default else '**Opt-in**'}"
            f"{'' if rule.test_files else '; not reported in `_test.go` files'}. "
            f"Default level: **{rule.level}**; precision: **{rule.precision}**; "
            f"tags: {', '.join(rule.tags)}.\n\n{body}\n"
        )
    return "\n".join(parts)


def readme_with_table(readme: str) -> str:
    pattern = re.compile(re.escape(START) + r".*?" + re.escape(END), re.S)
    if not pattern.search(readme):
        raise ValueError("README has no rules table markers")
    return pattern.sub(lambda _: f"{START}\n{rule_table()}{END}", readme)


def main() -> int:
    readme = ROOT / "README.md"
    readme.write_text(readme_with_table(readme.read_text(encoding="utf-8")), encoding="utf-8")
    (ROOT / "docs").mkdir(exist_ok=True)
    (ROOT / "docs" / "rules.md").write_text(rules_reference(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
