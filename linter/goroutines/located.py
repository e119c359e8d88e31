"""Evidence placed in the tree: a suspect goroutine group (its frames resolved, its site
and creator known) or a growing allocation stack, and the retention a finding or site has."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from linter.goroutines.group import Frame, Group
from linter.goroutines.heapdiff import StackGrowth
from linter.goroutines.heapprofile import Values


@dataclass(frozen=True)
class Place:
    """A frame that lies in the scanned tree. `real` is the file's real path (to read it),
    `path` the path as findings show it (relative to the working directory)."""

    frame: Frame
    real: str
    path: str

    @property
    def line(self) -> int:
        return self.frame.line


@dataclass(frozen=True)
class Located:
    """One suspect group of one dump with each frame's place (None outside the tree).

    `site` is the topmost frame inside the tree, where the goroutines are parked as far as
    the user's code is concerned; `creator` is the `go` statement that started them.
    """

    dump: str
    dump_format: str
    group: Group
    places: tuple[Place | None, ...]
    creator: Place | None

    @property
    def site(self) -> Place | None:
        return next((p for p in self.places if p is not None), None)


@dataclass(frozen=True)
class PlacedStack:
    """An allocation stack that grew, with each frame's place (None outside the tree)."""

    growth: StackGrowth
    places: tuple[Place | None, ...]

    @property
    def in_tree(self) -> tuple[Place, ...]:
        """Its frames in the tree, innermost (allocating) first."""
        return tuple(place for place in self.places if place is not None)


@dataclass(frozen=True)
class Retention:
    """The growing stacks that one finding or one allocation site accounts for, and the
    snapshots they grew in (profile paths as shown, seconds from the first to the last)."""

    stacks: tuple[PlacedStack, ...]  # largest growth first
    profiles: tuple[str, ...]
    interval_seconds: float | None

    @property
    def total(self) -> Values:
        total = Values()
        for stack in self.stacks:
            total = total.plus(stack.growth.growth)
        return total

    @property
    def inuse_series(self) -> tuple[int, ...]:
        """In-use bytes of these stacks at each snapshot, oldest first."""
        return tuple(
            sum(stack.growth.series[i].inuse_bytes for stack in self.stacks)
            for i in range(len(self.profiles))
        )

    @property
    def monotonic(self) -> bool:
        """Grew in every interval, across three snapshots or more: the surest sign."""
        series = self.inuse_series
        return len(series) >= 3 and all(b > a for a, b in itertools.pairwise(series))

    @property
    def site(self) -> Place:
        """The innermost frame in the tree of the largest stack (all share it at a site)."""
        return self.stacks[0].in_tree[0]
