"""Checkstyle XML, the format Jenkins (warnings-ng), reviewdog and many CI dashboards read.

One `<file>` per file with findings, one `<error>` per finding; `source` is
`golint-leaks.GLK101`. File names are absolute, as Checkstyle writes them, so consumers
resolve them whatever their working directory. Related locations follow the message.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from linter.report import ReportData

SEVERITIES = {"error": "error", "warning": "warning", "note": "info"}
# Characters XML 1.0 cannot carry even escaped (control characters from odd source text).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _text(value: str) -> str:
    return _NOT_XML.sub("\ufffd", value)


def render(data: ReportData) -> str:
    root = ET.Element("checkstyle", version="4.3")
    files: dict[str, ET.Element] = {}
    for finding in data.findings:
        name = data.paths.absolute(finding.location.path)
        element = files.get(name)
        if element is None:
            element = files[name] = ET.SubElement(root, "file", name=_text(name))
        message = "\n".join(
            [finding.message]
            + [
                f"{data.paths.absolute(r.location.path)}:{r.location.line}:{r.location.column}: "
                f"{r.message}"
                for r in finding.related
            ]
        )
        ET.SubElement(
            element,
            "error",
            line=str(finding.location.line),
            column=str(finding.location.column),
            severity=SEVERITIES.get(finding.level, "warning"),
            message=_text(message),
            source=f"golint-leaks.{finding.rule}",
        )
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
