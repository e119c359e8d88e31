"""GitHub Actions workflow commands: one annotation per finding, shown on the pull request's
changed files and in the run summary, without code scanning (private repositories on plans
without it).

`::warning file=svc/x.go,line=6,endLine=6,col=7,endColumn=33,title=GLK101 ticker-not-stopped::msg`
Levels map to `error`, `warning` and `notice`. Paths are relative to the repository root, as
GitHub resolves them. Values are escaped as the runner's toolkit escapes them: `%`, CR and LF
everywhere, and `:` and `,` inside properties.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from linter.findings import ERROR_KINDS, UNUSED_IGNORE, Finding
from linter.report import evidence_summaries

if TYPE_CHECKING:
    from linter.report import ReportData
    from linter.report.paths import RepoPaths

COMMANDS = {"error": "error", "warning": "warning", "note": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, properties: dict[str, object]) -> str:
    fields = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    return f"::{name}{' ' + fields if fields else ''}::{escape_data(message)}"


def _annotation(finding: Finding, paths: RepoPaths) -> str:
    loc = finding.location
    lines = [finding.message]
    lines += [
        f"{paths.shown(r.location.path)}:{r.location.line}:{r.location.column}: {r.message}"
        for r in finding.related
    ]
    lines += evidence_summaries(finding)
    properties = {
        "file": paths.shown(loc.path),
        "line": loc.line,
        "endLine": loc.end_line,
        "col": loc.column,
        "endColumn": loc.end_column,
        "title": f"{finding.rule} {finding.name}",
    }
    return command(COMMANDS.get(finding.level, "warning"), "\n".join(lines), properties)


def render(data: ReportData) -> str:
    annotations = [_annotation(finding, data.paths) for finding in data.findings]
    # A failed rule or unreadable dump must be visible in the run, not only in the log; an
    # unused ignore comment is shown on its line as a notice.
    for notice in data.notices:
        if notice.kind in ERROR_KINDS or notice.kind == UNUSED_IGNORE:
            where: dict[str, object] = {}
            if notice.path:
                where["file"] = data.paths.shown(notice.path)
            if notice.line:
                where |= {"line": notice.line, "title": notice.kind}
            name = "error" if notice.kind in ERROR_KINDS else "notice"
            annotations.append(command(name, notice.message, where))
    return "".join(line + "\n" for line in annotations)
