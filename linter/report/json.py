"""The JSON report. Its shape is documented in docs/json-output.md and versioned by
`schema_version`; fields are only ever added."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from linter import __version__
from linter.findings import Finding, Notice

if TYPE_CHECKING:
    from linter.report import ReportData

SCHEMA_VERSION = 1


def to_document(
    findings: list[Finding], notices: list[Notice], files: int, packages: int
) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "golint-leaks", "version": __version__},
        "findings": [f.to_dict() for f in findings],
        "notices": [
            {"kind": n.kind, "path": n.path, "line": n.line, "rule": n.rule, "message": n.message}
            for n in notices
        ],
        "summary": {
            "findings": len(findings),
            "files": files,
            "packages": packages,
            "skipped": sum(1 for n in notices if n.kind == "skipped"),
        },
    }


def render(data: ReportData) -> str:
    document = to_document(data.findings, data.notices, data.files, data.packages)
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
