"""SARIF 2.1.0 for GitHub code scanning, built with the sarif-om object model.

GitHub needs: URIs relative to the repository root under `%SRCROOT%` (whatever directory the
tool ran from), rule metadata within its limits (a fullDescription of at most 1024
characters; the help markdown is what the alert page shows), messages that embed their
related locations as `[text](id)` links (GitHub shows no related location otherwise),
`partialFingerprints` so alerts survive edits above them, and UTF-16 columns. Goroutine and
allocation stacks from the runtime pass go into `stacks`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import attr
import sarif_om as om

from linter import INFORMATION_URI, __version__
from linter.findings import ERROR_KINDS, FINGERPRINT_KEY, Finding, Location, Notice
from linter.registry import Rule
from linter.report.paths import RepoPaths
from linter.units import format_bytes

if TYPE_CHECKING:
    from linter.report import ReportData

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"


def to_plain(value: Any) -> Any:
    """Serialize sarif-om objects: their attrs metadata carries the SARIF property names.

    Unset fields are omitted: None, the object model's -1 "absent" sentinels, and factory
    defaults. Explicit string and boolean defaults (a result's level) are kept, since GitHub
    reads them.
    """
    if attr.has(type(value)):
        result = {}
        for field in attr.fields(type(value)):
            item = getattr(value, field.name)
            if item is None or _is_unset(field, item):
                continue
            result[field.metadata.get("schema_property_name", field.name)] = to_plain(item)
        return result
    if isinstance(value, dict):
        return {key: to_plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_plain(item) for item in value]
    return value


def _is_unset(field: attr.Attribute, item: Any) -> bool:
    default = field.default
    if isinstance(default, attr.Factory):  # type: ignore[arg-type]
        return item == default.factory()
    return isinstance(default, (int, float)) and not isinstance(default, bool) and item == default


def _uri(path: str, paths: RepoPaths) -> tuple[str, str | None]:
    """(uri, uriBaseId): files in the repository relative to it under %SRCROOT%, others as
    absolute file URIs."""
    relative = paths.relative(path)
    if relative is None:
        return Path(paths.shown(path)).as_uri(), None
    return quote(relative), SRCROOT


def _physical(location: Location, paths: RepoPaths) -> om.PhysicalLocation:
    uri, base = _uri(location.path, paths)
    return om.PhysicalLocation(
        artifact_location=om.ArtifactLocation(uri=uri, uri_base_id=base),
        region=om.Region(
            start_line=location.line,
            start_column=location.column,
            end_line=location.end_line,
            end_column=location.end_column,
        ),
    )


def _descriptor(rule: Rule) -> om.ReportingDescriptor:
    return om.ReportingDescriptor(
        id=rule.code,
        name=rule.name,
        short_description=om.MultiformatMessageString(text=rule.summary),
        full_description=om.MultiformatMessageString(text=rule.full_description),
        help=om.MultiformatMessageString(text=rule.doc, markdown=rule.doc),
        help_uri=f"{INFORMATION_URI}/blob/main/docs/rules.md#{rule.code.lower()}",
        default_configuration=om.ReportingConfiguration(level=rule.level),
        properties={
            "tags": list(rule.tags),
            "precision": rule.precision,
            "default": rule.default,
            "testFiles": rule.test_files,
        },
    )


def _stack_frame(frame: dict[str, Any], paths: RepoPaths) -> om.StackFrame:
    """A frame in the tree gets a physical location; one outside it (the runtime, a
    library, a file the dump names but we did not scan) only its function and module."""
    location = om.Location(
        logical_locations=[
            om.LogicalLocation(fully_qualified_name=frame["function"], kind="function")
        ]
    )
    if frame.get("path"):
        line = max(1, frame.get("line") or 1)
        location.physical_location = _physical(Location(frame["path"], line, 1, line, 1), paths)
    return om.StackFrame(location=location, module=frame.get("module") or None)


def _stacks(evidence: dict[str, Any], paths: RepoPaths) -> list[om.Stack]:
    """One SARIF stack per goroutine group and per growing allocation stack (largest first);
    their counts and sizes travel in the stack's properties."""
    stacks = []
    groups = evidence.get("groups") or [
        {"stack": evidence.get("stack", []), "count": evidence.get("goroutines")}
    ]
    for group in groups:
        count = group.get("count")
        state = group.get("state")
        text = f"{count:,} goroutines" if isinstance(count, int) else "goroutine stack"
        if state:
            text += f" [{state}]"
        if group.get("dump"):
            text += f" in {group['dump']}"
        stacks.extend(_stack(group, text, paths))
    heap = evidence.get("heap") or {}
    for allocation in heap.get("stacks", []):
        text = (
            f"{format_bytes(allocation['inuse_bytes'], signed=True)} retained "
            f"({allocation['inuse_objects']:+,} objects) allocated here"
        )
        stacks.extend(_stack(allocation, text, paths))
    return stacks


def _stack(entry: dict[str, Any], text: str, paths: RepoPaths) -> list[om.Stack]:
    """The entry's frames as a SARIF stack (none when it has no frames)."""
    frames = [_stack_frame(frame, paths) for frame in entry.get("stack", [])]
    if not frames:
        return []
    properties = {k: v for k, v in entry.items() if k != "stack" and v is not None}
    return [om.Stack(message=om.Message(text=text), frames=frames, properties=properties or None)]


def _evidence_properties(evidence: dict[str, Any]) -> dict[str, Any]:
    """The evidence without the stacks (they are in `stacks` already): `runtime` for what
    goroutine dumps showed, `heap` for heap growth."""
    properties: dict[str, Any] = {}
    if "groups" in evidence:
        runtime = {k: v for k, v in evidence.items() if k not in ("stack", "groups", "heap")}
        runtime["groups"] = [
            {k: v for k, v in group.items() if k != "stack"} for group in evidence["groups"]
        ]
        properties["runtime"] = runtime
    heap = evidence.get("heap")
    if heap:
        properties["heap"] = {k: v for k, v in heap.items() if k not in ("stack", "stacks")}
    return properties


def escape_message(text: str) -> str:
    """SARIF message text: literal brackets are escaped, since `[text](id)` is a link."""
    return text.replace("[", "\\[").replace("]", "\\]")


def linked_message(finding: Finding) -> str:
    """The message with each related location embedded as a link to its id (1, 2, ...)."""
    text = escape_message(finding.message)
    if not finding.related:
        return text
    links = "; ".join(
        f"[{escape_message(related.message)}]({index})"
        for index, related in enumerate(finding.related, start=1)
    )
    return f"{text} ({links})"


def _result(finding: Finding, rule_index: dict[str, int], paths: RepoPaths) -> om.Result:
    result = om.Result(
        rule_id=finding.rule,
        rule_index=rule_index.get(finding.rule, -1),
        level=finding.level,
        message=om.Message(text=linked_message(finding)),
        locations=[om.Location(physical_location=_physical(finding.location, paths))],
        partial_fingerprints={FINGERPRINT_KEY: finding.fingerprint},
    )
    if finding.related:
        result.related_locations = [
            om.Location(
                id=index,
                physical_location=_physical(related.location, paths),
                message=om.Message(text=escape_message(related.message)),
            )
            for index, related in enumerate(finding.related, start=1)
        ]
    if finding.evidence:
        result.stacks = _stacks(finding.evidence, paths) or None
        # Runtime evidence makes a result more certain: confirmed static findings rank first.
        result.rank = 90.0 if finding.evidence.get("confirmed") else 60.0
        result.properties = _evidence_properties(finding.evidence)
    return result


def _notification(notice: Notice, paths: RepoPaths) -> om.Notification:
    notification = om.Notification(
        message=om.Message(text=notice.message),
        level="error"
        if notice.kind in ERROR_KINDS
        else "warning"
        if notice.kind in ("skipped", "warning")
        else "note",
        properties={"kind": notice.kind},
    )
    if notice.path:
        uri, base = _uri(notice.path, paths)
        physical = om.PhysicalLocation(
            artifact_location=om.ArtifactLocation(uri=uri, uri_base_id=base)
        )
        if notice.line:
            physical.region = om.Region(start_line=notice.line)
        notification.locations = [om.Location(physical_location=physical)]
    if notice.rule:
        notification.associated_rule = om.ReportingDescriptorReference(id=notice.rule)
    return notification


def to_document(data: ReportData) -> dict[str, Any]:
    rule_index = {rule.code: index for index, rule in enumerate(data.rules)}
    paths = data.paths
    run = om.Run(
        tool=om.Tool(
            driver=om.ToolComponent(
                name="golint-leaks",
                version=__version__,
                semantic_version=__version__,
                information_uri=INFORMATION_URI,
                rules=[_descriptor(rule) for rule in data.rules],
            )
        ),
        column_kind="utf16CodeUnits",
        results=[_result(finding, rule_index, paths) for finding in data.findings],
        invocations=[
            om.Invocation(
                execution_successful=not any(n.kind in ERROR_KINDS for n in data.notices),
                tool_execution_notifications=[_notification(n, paths) for n in data.notices]
                or None,
            )
        ],
    )
    if paths.root is not None:
        root_uri = paths.root.as_uri().rstrip("/") + "/"
        run.original_uri_base_ids = {SRCROOT: om.ArtifactLocation(uri=root_uri)}
    if data.automation_id:
        run.automation_details = om.RunAutomationDetails(id=data.automation_id)
    log = om.SarifLog(version="2.1.0", schema_uri=SCHEMA_URI, runs=[run])
    return to_plain(log)


def render(data: ReportData) -> str:
    return json.dumps(to_document(data), indent=2, ensure_ascii=False) + "\n"
