"""Go-style text: `path/file.go:12:3: GLK101 message (ticker-not-stopped)`, one per line.

Editors and CI log parsers already understand this shape (it is what go vet prints).
Warnings, the default level, are unmarked as in vet; other levels are marked the way
compilers mark them (`file.go:3:1: note: GLK102 ...`), so a reader sees what will not fail CI.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from linter.findings import Finding
from linter.report import evidence_summaries

if TYPE_CHECKING:
    from linter.report import ReportData


def format_finding(finding: Finding) -> str:
    loc = finding.location
    mark = f"{finding.level}: " if finding.level != "warning" else ""
    lines = [
        f"{loc.path}:{loc.line}:{loc.column}: {mark}{finding.rule} {finding.message}"
        f" ({finding.name})"
    ]
    for related in finding.related:
        rel = related.location
        lines.append(f"\t{rel.path}:{rel.line}:{rel.column}: {related.message}")
    lines.extend(f"\t{summary}" for summary in evidence_summaries(finding))
    return "\n".join(lines)


def render(data: ReportData) -> str:
    return "".join(format_finding(f) + "\n" for f in data.findings)
