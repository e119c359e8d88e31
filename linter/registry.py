"""Rule discovery: every module in the `rules` package that declares a rule is one.

The engine and reporters only ever see `Rule` objects from here, so adding a rule is adding a
module; nothing else names it.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum
from functools import cache
from typing import TYPE_CHECKING

import rules as rules_package
from linter.findings import LEVELS, Finding

if TYPE_CHECKING:  # reporters read rules' metadata and must not load the parser
    from linter.source import Package

PRECISIONS = ("high", "medium", "low")
_CODE_RE = re.compile(r"^GLK\d{3}$")
_NAME_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)+$")
_SECTIONS = ("What it does", "Why is this bad", "Example", "Use instead")
# GitHub code scanning shows at most this many characters of a rule's fullDescription.
FULL_DESCRIPTION_LIMIT = 1024
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z`(])")


class Evidence(Enum):
    """What the runtime pass can bring to confirm a static finding."""

    GOROUTINES = "goroutines"  # goroutines of a dump parked in the finding's code
    HEAP = "heap"  # heap profiles: memory retained by allocations the finding makes grow


# The tags that let each kind of evidence confirm a rule's findings: goroutines parked in
# the code of a goroutine or timer leak confirm it, but a file left open or a map that grows
# is not what a goroutine waits on, even when one waits nearby. Retained heap growth
# confirms whatever leaks memory: a growing map or slice, unreleased resources and timers,
# and what leaked goroutines keep allocating.
_CONFIRMING_TAGS = {
    Evidence.GOROUTINES: frozenset({"goroutine-leak", "timer"}),
    Evidence.HEAP: frozenset({"memory-leak", "resource-leak", "goroutine-leak"}),
}
# Rules tagged so report the evidence itself (GLK900, GLK901): nothing confirms them.
_EVIDENCE_TAG = "runtime"


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    summary: str
    level: str
    precision: str
    tags: tuple[str, ...]
    doc: str
    check: Callable[[Package], Iterable[Finding]] | None
    # False for a rule that has not yet measured >= 90 % precision on real projects: it runs
    # only when asked for (`--enable`), so a first run never shows its false positives.
    default: bool = True
    # False for a rule whose findings in `_test.go` files measured mostly false or moot on real
    # projects (a test process is short-lived): the rule still reads test files for context,
    # but reports only in the code that ships.
    test_files: bool = True

    @property
    def confirmable_by(self) -> frozenset[Evidence]:
        """The runtime evidence that can confirm this rule's findings, by its tags."""
        if _EVIDENCE_TAG in self.tags:
            return frozenset()
        return frozenset(
            evidence for evidence, tags in _CONFIRMING_TAGS.items() if tags.intersection(self.tags)
        )

    @property
    def full_description(self) -> str:
        """A short paragraph for SARIF fullDescription: the first paragraph of 'What it does'
        (with the list it introduces, when it ends in a colon), cut after the last sentence
        that fits FULL_DESCRIPTION_LIMIT. The whole documentation stays in SARIF `help`."""
        match = re.search(r"## What it does\s*\n(.*?)(?:\n## |\Z)", self.doc, re.S)
        paragraphs = (match.group(1) if match else self.summary).strip().split("\n\n")
        lead = paragraphs[0]
        if lead.rstrip().endswith(":") and len(paragraphs) > 1:
            lead += "\n" + paragraphs[1]
        return fit_paragraph(" ".join(lead.split()), FULL_DESCRIPTION_LIMIT)


def fit_paragraph(text: str, limit: int) -> str:
    """`text` if it fits in `limit` characters, else its longest run of whole sentences that
    does, else its longest run of whole words with an ellipsis."""
    if len(text) <= limit:
        return text
    ends = [m.start() for m in _SENTENCE_END.finditer(text) if m.start() <= limit]
    if ends:
        return text[: ends[-1]]
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _rule_from_module(module: object) -> Rule:
    doc = inspect.cleandoc(module.__doc__ or "")
    rule = Rule(
        code=module.code,
        name=module.name,
        summary=module.summary,
        level=module.level,
        precision=module.precision,
        tags=tuple(module.tags),
        doc=doc,
        check=getattr(module, "check", None),
        default=getattr(module, "default", True),
        test_files=getattr(module, "test_files", True),
    )
    problems = []
    if not _CODE_RE.match(rule.code):
        problems.append(f"code {rule.code!r} is not GLKnnn")
    if not _NAME_RE.match(rule.name):
        problems.append(f"name {rule.name!r} is not kebab-case")
    if rule.level not in LEVELS:
        problems.append(f"level {rule.level!r} not in {LEVELS}")
    if not isinstance(rule.default, bool):
        problems.append(f"default {rule.default!r} is not a bool")
    if not isinstance(rule.test_files, bool):
        problems.append(f"test_files {rule.test_files!r} is not a bool")
    if rule.precision not in PRECISIONS:
        problems.append(f"precision {rule.precision!r} not in {PRECISIONS}")
    missing = [s for s in _SECTIONS if f"## {s}" not in doc]
    if missing:
        problems.append(f"docstring lacks sections {missing}")
    if problems:
        raise ValueError(f"rule module {module.__name__}: " + "; ".join(problems))
    return rule


@cache
def all_rules() -> tuple[Rule, ...]:
    """All rules, sorted by code. Importing a rule module compiles its queries, once."""
    found = []
    for info in pkgutil.iter_modules(rules_package.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{rules_package.__name__}.{info.name}")
        if hasattr(module, "code"):
            found.append(_rule_from_module(module))
    found.sort(key=lambda r: r.code)
    codes = [r.code for r in found]
    if len(set(codes)) != len(codes):
        raise ValueError(f"duplicate rule codes: {codes}")
    return tuple(found)


def find_rule(code_or_name: str) -> Rule | None:
    wanted = code_or_name.strip()
    for rule in all_rules():
        if wanted.upper() == rule.code or wanted.lower() == rule.name:
            return rule
    return None
