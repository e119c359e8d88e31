"""A baseline: an earlier JSON or SARIF report of this tool, whose findings are known and
accepted for now. `--baseline REPORT` hides them, so a team adopting the tool on a legacy
codebase fails only on what is new.

Findings are matched by fingerprint, which hashes the rule, the file's module path, the
enclosing function and the flagged code: not the line, so edits elsewhere in the file do not
revive a baselined finding, and not the working directory, so the report can come from any.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from linter.findings import FINGERPRINT_KEY, Finding

TOOL_NAME = "golint-leaks"


class BaselineError(Exception):
    """The baseline cannot be read or is not a report of this tool; one line, exit 2."""


def load_fingerprints(path: Path) -> frozenset[str]:
    """The fingerprints of every finding in a JSON (`--format json`) or SARIF report."""
    where = f"--baseline {path}"
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BaselineError(f"{where}: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BaselineError(f"{where}: not a JSON or SARIF report ({exc})") from None
    if isinstance(document, dict) and "runs" in document:
        return _sarif_fingerprints(document, where)
    if isinstance(document, dict) and "schema_version" in document:
        return _json_fingerprints(document, where)
    raise BaselineError(f"{where}: not a {TOOL_NAME} JSON or SARIF report")


def not_in_baseline(findings: list[Finding], fingerprints: frozenset[str]) -> list[Finding]:
    return [finding for finding in findings if finding.fingerprint not in fingerprints]


def _json_fingerprints(document: dict[str, Any], where: str) -> frozenset[str]:
    if document.get("tool", {}).get("name") != TOOL_NAME:
        raise BaselineError(f"{where}: a JSON report, but not one of {TOOL_NAME}")
    try:
        return frozenset(str(finding["fingerprint"]) for finding in document["findings"])
    except (KeyError, TypeError):
        raise BaselineError(f"{where}: JSON report without findings and fingerprints") from None


def _sarif_fingerprints(document: dict[str, Any], where: str) -> frozenset[str]:
    fingerprints: set[str] = set()
    try:
        for run in document["runs"]:
            if run["tool"]["driver"]["name"] != TOOL_NAME:
                raise BaselineError(f"{where}: SARIF from {run['tool']['driver']['name']!r}")
            for result in run.get("results") or ():
                fingerprint = (result.get("partialFingerprints") or {}).get(FINGERPRINT_KEY)
                if fingerprint:
                    fingerprints.add(str(fingerprint))
    except (KeyError, TypeError):
        raise BaselineError(f"{where}: malformed SARIF (no tool driver name)") from None
    return frozenset(fingerprints)
