"""GitLab code quality: the JSON array a merge request widget reads (`artifacts: reports:
codequality`), a subset of the Code Climate issue format.

Each issue has `description`, `check_name`, `fingerprint` (unique per finding, stable across
line edits), `severity` and `location.path` / `location.lines.begin`; paths are relative to
the repository root, as GitLab resolves them.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from linter.report import ReportData

# GitLab's scale is info, minor, major, critical, blocker.
SEVERITIES = {"error": "critical", "warning": "major", "note": "info"}


def render(data: ReportData) -> str:
    issues: list[dict[str, Any]] = [
        {
            "description": f"{finding.rule}: {finding.message}",
            "check_name": f"{finding.rule} {finding.name}",
            "fingerprint": finding.fingerprint,
            "severity": SEVERITIES.get(finding.level, "major"),
            "location": {
                "path": data.paths.shown(finding.location.path),
                "lines": {"begin": finding.location.line, "end": finding.location.end_line},
            },
        }
        for finding in data.findings
    ]
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
