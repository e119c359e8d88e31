"""The heap pass: findings and heap profiles in; confirmations, unexplained growth and
notices out.

Snapshots are the baseline (if any) and then the profiles, oldest first. Every allocation
stack that retains more at the last snapshot than at the first is placed in the tree and
matched to the findings (`heapmatch`); what a finding accounts for confirms it when it
reaches `--heap-min-growth`, and growth no finding explains is grouped by its allocation
site (the innermost frame in the tree) for the command line to report as GLK901. A profile
that cannot be read is a `heap-error` notice (the run exits 2); the others are still used.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from linter.findings import Finding, Notice
from linter.goroutines.evidence import short_function
from linter.goroutines.heapdiff import grown_stacks
from linter.goroutines.heapevidence import confirmed_words, heap_evidence
from linter.goroutines.heapmatch import GrowthTargets
from linter.goroutines.heapprofile import HeapError, HeapProfile, Locations, read_heap
from linter.goroutines.located import PlacedStack, Retention
from linter.goroutines.outcome import Confirmation, Outcome
from linter.goroutines.tree import ScannedTree
from linter.registry import Evidence, find_rule
from linter.units import format_bytes

NOTICE_KIND = "heap-error"


@dataclass(frozen=True)
class HeapThresholds:
    """--heap-min-growth and --heap-large-growth, in bytes of retained (in-use) growth."""

    min_growth: int = 1 << 20  # below this, growth at a site is noise (sampling, buffers)
    large_growth: int = 64 << 20  # this much between two snapshots is a warning by itself


@dataclass(frozen=True)
class HeapRequest:
    """What the user asked of the heap pass (--heap, --heap-baseline, thresholds)."""

    profiles: tuple[str, ...]  # oldest first
    baseline: str | None = None
    thresholds: HeapThresholds = field(default_factory=HeapThresholds)


def check_heap(
    findings: Sequence[Finding], request: HeapRequest, tree: ScannedTree
) -> Outcome[Retention]:
    """Which findings heap growth confirms, which allocation sites grow unexplained."""
    outcome: Outcome[Retention] = Outcome()
    profiles = _read_all(request, tree, outcome.notices)
    if profiles is None:
        return outcome
    locations, snapshots = profiles
    series = grown_stacks(snapshots, locations)
    placed = [
        PlacedStack(stack, tuple(tree.place(frame) for frame in stack.frames))
        for stack in sorted(series.stacks, key=lambda s: -s.growth.inuse_bytes)
    ]
    targets = GrowthTargets([_confirmable(f) for f in findings], tree)
    by_finding: dict[int, list[PlacedStack]] = {}
    by_site: dict[tuple[str, int, str], list[PlacedStack]] = {}
    outside: list[PlacedStack] = []
    for stack in placed:
        in_tree = stack.in_tree
        hits = targets.explaining(in_tree)
        for index in hits:
            by_finding.setdefault(index, []).append(stack)
        if not in_tree:
            outside.append(stack)
        elif not hits:
            site = in_tree[0]
            by_site.setdefault((site.path, site.line, site.frame.function), []).append(stack)
    shown = tuple(tree.show(path) for path in series.paths)
    minimum = request.thresholds.min_growth

    def retention(stacks: list[PlacedStack]) -> Retention:
        return Retention(tuple(stacks), shown, series.interval_seconds)

    for index, stacks in sorted(by_finding.items()):
        confirmed = retention(stacks)
        if confirmed.total.inuse_bytes >= minimum:
            outcome.confirmations.append(
                Confirmation(
                    index,
                    {"confirmed": True, "heap": heap_evidence(confirmed, True)},
                    confirmed_words(confirmed),
                )
            )
    sites = [retention(stacks) for stacks in by_site.values()]
    outcome.unexplained = [s for s in sites if s.total.inuse_bytes >= minimum]
    _report_outside(retention(outside), len(placed), minimum, outcome.notices)
    return outcome


def _confirmable(finding: Finding) -> Finding | None:
    rule = find_rule(finding.rule)
    return finding if rule is not None and Evidence.HEAP in rule.confirmable_by else None


def _read_all(
    request: HeapRequest, tree: ScannedTree, notices: list[Notice]
) -> tuple[Locations, list[HeapProfile]] | None:
    """The snapshots, oldest first; None when fewer than two can be compared."""
    locations = Locations()
    if request.baseline:
        baseline = _read(request.baseline, locations, tree, notices)
        if baseline is None:
            return None  # without the baseline, nothing says what grew
    snapshots = [baseline] if request.baseline else []
    for path in dict.fromkeys(request.profiles):  # the same file twice is one snapshot
        profile = _read(path, locations, tree, notices)
        if profile is not None:
            snapshots.append(profile)
    if len(snapshots) < 2:
        if snapshots:
            notices.append(
                Notice(
                    "warning",
                    "one heap profile shows what is in use, not what grows: give an earlier "
                    "one with --heap-baseline, or several --heap, oldest first",
                    tree.show(snapshots[0].path),
                )
            )
        return None
    times = [p.time_nanos for p in snapshots]
    if all(times) and times != sorted(times):
        notices.append(
            Notice(
                "warning",
                "heap profiles are not oldest first by the time they were taken; "
                "growth is measured in the order given",
                tree.show(snapshots[-1].path),
            )
        )
    return locations, snapshots


def _read(
    path: str, locations: Locations, tree: ScannedTree, notices: list[Notice]
) -> HeapProfile | None:
    try:
        return read_heap(path, locations)
    except HeapError as exc:
        notices.append(Notice(NOTICE_KIND, str(exc), tree.show(path)))
        return None


def _report_outside(outside: Retention, placed: int, minimum: int, notices: list[Notice]) -> None:
    """Growth with no frame in the tree (a library's cache, the runtime) cannot be placed:
    say it exists when it is large; say so too when nothing at all could be placed."""
    where = outside.profiles[-1]
    if placed and len(outside.stacks) == placed:
        notices.append(
            Notice(
                "warning",
                f"no frame of the {placed:,} growing allocation stacks is in the scanned "
                "tree; check the packages given (the profiles' paths match nothing)",
                where,
            )
        )
        return
    total = outside.total.inuse_bytes
    if not outside.stacks or total < minimum:
        return
    largest = outside.stacks[0]
    function = largest.growth.frames[0].function if largest.growth.frames else "?"
    largest_words = format_bytes(largest.growth.growth.inuse_bytes, signed=True)
    notices.append(
        Notice(
            "warning",
            f"{format_bytes(total, signed=True)} retained by {len(outside.stacks):,} "
            f"allocation stack{'s' if len(outside.stacks) != 1 else ''} with no frame in the "
            f"scanned tree; largest: {largest_words} in {short_function(function)}",
            where,
        )
    )
