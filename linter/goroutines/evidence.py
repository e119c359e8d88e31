"""The words and data a confirmed finding or a GLK900 finding carries from the dump.

`evidence` is plain JSON-able data (it travels into the JSON and SARIF reports): the headline
numbers, the largest group's stack, and every group with its own stack; `summary` is the one
line the text report prints under the finding.
"""

from __future__ import annotations

from typing import Any

from linter.goroutines.group import Frame, Group
from linter.goroutines.located import Located, Place


def short_function(function: str) -> str:
    """`example.com/leakdemo/handler.Lookup.func1` -> `handler.Lookup.func1`."""
    return function.rsplit("/", 1)[-1]


def frame_entry(frame: Frame, place: Place | None, origin: str = "dump_path") -> dict[str, Any]:
    """A frame as evidence shows it: `path` in the tree ("" outside it), and under `origin`
    the path the dump or profile printed."""
    return {
        "function": frame.function,
        "module": frame.package,
        "path": place.path if place is not None else "",
        "line": frame.line,
        origin: frame.path,
    }


def _wait_minutes(group: Group) -> list[int] | None:
    if group.max_wait is None:
        return None
    return [group.min_wait or 0, group.max_wait]


def state_words(group: Group) -> str:
    """`chan send, 14 minutes` / `chan send, 3-14 minutes` / `chan send`."""
    state = group.state or "state unknown"
    low, high = group.min_wait or 0, group.max_wait or 0
    if high >= 1:
        minutes = f"{high}" if low == high else f"{low}-{high}"
        return f"{state}, {minutes} minute{'s' if high != 1 else ''}"
    return state


def group_entry(located: Located) -> dict[str, Any]:
    group = located.group
    return {
        "dump": located.dump,
        "format": located.dump_format,
        "count": group.count,
        "state": group.state,
        "state_inferred": group.state_inferred,
        "wait_minutes": _wait_minutes(group),
        "sample_ids": list(group.sample_ids),
        "leaked": group.leaked,
        "reported_by_goleak": group.reported,
        "baseline": group.baseline,
        "stack": [frame_entry(f, p) for f, p in zip(group.frames, located.places, strict=True)],
        "created_by": (
            frame_entry(group.created_by, located.creator) if group.created_by else None
        ),
    }


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'s' if count != 1 else ''}"


def _count_words(groups: list[Located]) -> tuple[str, Located]:
    """The headline count: per dump, the goroutines of these groups; the largest dump wins
    (several dumps are snapshots, not shards, so their counts do not add up)."""
    per_dump: dict[str, list[Located]] = {}
    for located in groups:
        per_dump.setdefault(located.dump, []).append(located)
    dump, chosen = max(per_dump.items(), key=lambda kv: sum(x.group.count for x in kv[1]))
    count = sum(x.group.count for x in chosen)
    largest = max(chosen, key=lambda x: x.group.count)
    baseline = [x.group.baseline for x in chosen if x.group.baseline is not None]
    words = _plural(count, "goroutine")
    if baseline:
        before = sum(baseline)
        words = f"{words} more than the baseline ({before:,} → {before + count:,})"
    leaked = sum(x.group.leaked for x in chosen)
    details = f"{words} [{state_words(largest.group)}]"
    if leaked:
        details += (
            ", proved leaked by the runtime"
            if leaked >= count
            else f", {leaked:,} of them proved leaked by the runtime"
        )
    elif any(x.group.reported for x in chosen):
        details += ", still running after the test (goleak)"
    if len(per_dump) > 1:
        details += f" (largest of {len(per_dump)} dumps: {dump})"
    return details, largest


def evidence(groups: list[Located], confirmed: bool) -> dict[str, Any]:
    """Evidence for a finding explained by these suspect groups (largest first)."""
    ordered = sorted(groups, key=lambda x: (-x.group.count, x.dump))
    details, largest = _count_words(ordered)
    if confirmed:
        summary = f"confirmed: {details}"
    else:
        summary = f"runtime: {details}"
        if largest.group.sample_ids:
            ids = ", ".join(str(i) for i in largest.group.sample_ids)
            word = "goroutine" if len(largest.group.sample_ids) == 1 else "goroutines"
            summary += f"; e.g. {word} {ids} in {largest.dump}"
    entries = [group_entry(x) for x in ordered]
    return {
        "confirmed": confirmed,
        "summary": summary,
        "goroutines": sum(x.group.count for x in ordered if x.dump == largest.dump),
        "leaked": sum(x.group.leaked for x in ordered if x.dump == largest.dump),
        "state": largest.group.state,
        "stack": entries[0]["stack"],
        "groups": entries,
    }


def confirmed_words(groups: list[Located]) -> str:
    """What the message of a finding these groups confirm adds: how many goroutines the
    dump shows parked in its code."""
    by_dump: dict[str, list[Located]] = {}
    for located in groups:
        by_dump.setdefault(located.dump, []).append(located)
    chosen = max(by_dump.values(), key=lambda xs: sum(x.group.count for x in xs))
    count = sum(x.group.count for x in chosen)
    if any(x.group.baseline is not None for x in chosen):
        words = f"{_plural(count, 'goroutine')} more parked here than in the baseline"
    else:
        words = f"{_plural(count, 'goroutine')} parked here"
    return f"confirmed by a goroutine dump: {words}"


def blocked_message(located: Located) -> str:
    """The GLK900 message: how many, blocked how, where, started by whom."""
    group = located.group
    site = located.site
    where = short_function(site.frame.function) if site is not None else "?"
    total = group.count + (group.baseline or 0)
    text = f"{_plural(total, 'goroutine')} blocked in {group.state or 'an unknown state'}"
    text += f" in {where}"
    if group.created_by is not None:
        text += f", started by {short_function(group.created_by.function)}"
        if located.creator is not None:
            text += f" at {located.creator.path}:{located.creator.line}"
    if group.leaked:
        text += "; the runtime proved them leaked"
    elif group.reported:
        text += "; goleak found them still running after the test"
    elif group.baseline is not None:
        text += f"; {group.count:,} more than in the baseline"
    return text
