"""Heap snapshots compared per allocation stack, as `go tool pprof -diff_base` compares them.

`-diff_base old new` subtracts the old profile's values from the new one's, stack by stack
(stacks merged by their frames), so a function's or line's figure is the sum over its
stacks. Retention is what matters for leaks: a stack *grew* when it holds more in-use bytes
in the last snapshot than in the first. Its series (one `Values` per snapshot, oldest first)
says whether it grew in every interval, and its allocation counts come along for the
evidence. Growth of `alloc_*` alone is churn and is never a stack that grew here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from linter.goroutines.group import Frame
from linter.goroutines.heapprofile import HeapProfile, InUse, Locations, Stack, Values


@dataclass(frozen=True)
class StackGrowth:
    """One allocation stack that retains more at the end than at the start."""

    frames: tuple[Frame, ...]
    series: tuple[Values, ...]  # one per snapshot, oldest first

    @property
    def growth(self) -> Values:
        return self.series[-1].minus(self.series[0])


@dataclass(frozen=True)
class HeapSeries:
    """What the snapshots show: the stacks that grew, and when the snapshots were taken."""

    paths: tuple[str, ...]
    times_nanos: tuple[int, ...]
    stacks: tuple[StackGrowth, ...]

    @property
    def interval_seconds(self) -> float | None:
        """Seconds from the first snapshot to the last, when both carry their time."""
        first, last = self.times_nanos[0], self.times_nanos[-1]
        return (last - first) / 1e9 if first and last and last >= first else None


def grown_stacks(profiles: Sequence[HeapProfile], locations: Locations) -> HeapSeries:
    """The stacks whose in-use bytes grew from the first snapshot to the last."""
    first, last = profiles[0].in_use, profiles[-1].in_use
    nothing: InUse = (0, 0)
    grew: list[Stack] = [
        stack for stack, (_, held) in last.items() if held > first.get(stack, nothing)[1]
    ]
    per_profile = [profile.values_of(grew) for profile in profiles]
    stacks = tuple(
        StackGrowth(locations.frames(stack), tuple(values[stack] for values in per_profile))
        for stack in grew
    )
    return HeapSeries(
        tuple(p.path for p in profiles), tuple(p.time_nanos for p in profiles), stacks
    )
