"""Reporters: turn a run's findings and notices into text, JSON, SARIF and the CI formats.

Each format is a module of this package with `render(data: ReportData) -> str`; the command
line picks them by name from FORMATS and never formats anything itself.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from linter.findings import Finding, Notice
from linter.registry import Rule
from linter.report.paths import RepoPaths

FORMATS = ("text", "json", "sarif", "github", "checkstyle", "gitlab")


@dataclass(frozen=True)
class ReportData:
    """Everything a reporter may show: the run's results and how to name files for CI."""

    findings: list[Finding]
    notices: list[Notice]
    files: int
    packages: int
    rules: tuple[Rule, ...]
    paths: RepoPaths
    automation_id: str | None = None


def evidence_summaries(finding: Finding) -> list[str]:
    """The one-line summaries of the runtime evidence a finding carries: what goroutine
    dumps showed, then what heap growth showed."""
    evidence = finding.evidence or {}
    heap = evidence.get("heap") or {}
    return [str(summary) for summary in (evidence.get("summary"), heap.get("summary")) if summary]


def render(format_name: str, data: ReportData) -> str:
    """The report in `format_name` (one of FORMATS)."""
    if format_name not in FORMATS:
        raise ValueError(f"unknown report format {format_name!r}")
    return importlib.import_module(f"{__name__}.{format_name}").render(data)
