"""The words and data that heap growth adds to a confirmed finding or makes a GLK901 finding.

`heap_evidence` is plain JSON-able data for `evidence.heap` (JSON) and `properties.heap`
(SARIF): the growth of in-use and allocated bytes and objects from the first snapshot to the
last, the in-use bytes at each snapshot, and the growing stacks (largest first, at most
`MAX_STACKS`); `summary` is the line the text report prints under the finding.
"""

from __future__ import annotations

from typing import Any

from linter.findings import Finding, Location
from linter.goroutines.evidence import frame_entry, short_function
from linter.goroutines.located import PlacedStack, Retention
from linter.goroutines.sources import SourceLines
from linter.reporting import fingerprint
from linter.units import format_bytes, seconds_words

MAX_STACKS = 10


def retained_words(retention: Retention) -> str:
    """`+21 MB retained in 6 s` (or `over 3 snapshots` when the profiles carry no time)."""
    grown = format_bytes(retention.total.inuse_bytes, signed=True)
    if retention.interval_seconds is None:
        return f"{grown} retained over {len(retention.profiles)} snapshots"
    return f"{grown} retained in {seconds_words(retention.interval_seconds)}"


def _shape_words(retention: Retention) -> str:
    count = len(retention.profiles)
    if retention.monotonic:
        return f"more at each of {count} snapshots"
    if count == 2:
        return "between 2 snapshots"
    return f"not at each of {count} snapshots"


def _objects_words(retention: Retention) -> str:
    objects = retention.total.inuse_objects
    return f"{objects:+,} object{'s' if abs(objects) != 1 else ''}"


def confirmed_words(retention: Retention) -> str:
    """What a confirmed finding's message adds."""
    return f"confirmed by heap growth: {retained_words(retention)}"


def _stack_entry(stack: PlacedStack) -> dict[str, Any]:
    growth = stack.growth.growth
    return {
        "inuse_bytes": growth.inuse_bytes,
        "inuse_objects": growth.inuse_objects,
        "alloc_bytes": growth.alloc_bytes,
        "alloc_objects": growth.alloc_objects,
        "inuse_series": [values.inuse_bytes for values in stack.growth.series],
        "stack": [
            frame_entry(frame, place, "profile_path")
            for frame, place in zip(stack.growth.frames, stack.places, strict=True)
        ],
    }


def heap_evidence(retention: Retention, confirmed: bool) -> dict[str, Any]:
    """`evidence.heap` for a finding these stacks confirm (or, unconfirmed, for GLK901)."""
    total = retention.total
    entries = [_stack_entry(stack) for stack in retention.stacks[:MAX_STACKS]]
    details = (
        f"{retained_words(retention)} ({_objects_words(retention)}), {_shape_words(retention)}; "
        f"{format_bytes(total.alloc_bytes, signed=True)} allocated"
    )
    interval = retention.interval_seconds
    return {
        "confirmed": confirmed,
        "summary": f"{'confirmed' if confirmed else 'runtime'}: {details}",
        "inuse_bytes": total.inuse_bytes,
        "inuse_objects": total.inuse_objects,
        "alloc_bytes": total.alloc_bytes,
        "alloc_objects": total.alloc_objects,
        "snapshots": len(retention.profiles),
        "interval_seconds": round(interval, 3) if interval is not None else None,
        "monotonic": retention.monotonic,
        "inuse_series": list(retention.inuse_series),
        "profiles": list(retention.profiles),
        "stack": entries[0]["stack"],
        "stacks": entries,
    }


def growth_findings(
    sites: list[Retention], sources: SourceLines, large_growth: int
) -> list[Finding]:
    """One finding per allocation site whose retained growth no finding explains, for the
    command line to stamp as GLK901 (`engine.finish`).

    Its level is left to the rule when the growth is monotonic across three snapshots or
    more, or at least `large_growth` bytes; it is a note otherwise.
    """
    findings = []
    for retention in sites:
        site = retention.site
        start, end = sources.span(site.real, site.line)
        sure = retention.monotonic or retention.total.inuse_bytes >= large_growth
        largest = retention.stacks[0].growth.frames
        message = (
            f"{retained_words(retention)} ({_objects_words(retention)}) by allocations here "
            f"in {short_function(site.frame.function)}, {_shape_words(retention)}"
        )
        if not retention.monotonic:
            message += "; take more snapshots to see whether it keeps growing"
        findings.append(
            Finding(
                message=message,
                location=Location(site.path, site.line, start, site.line, end),
                level="" if sure else "note",
                fingerprint=fingerprint(
                    site.frame.function, *(frame.function for frame in largest)
                ),
                evidence={"confirmed": False, "heap": heap_evidence(retention, False)},
            )
        )
    return findings
