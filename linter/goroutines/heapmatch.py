"""Allocation stacks that grew, against static findings: which finding explains the growth.

A finding names where its leak grows: its own location and related locations (the writes
and appends of a package-level map or slice, the call that opens a resource, the ticker's
constructor) and its scope (the goroutine of a blocked send or an endless loop). A growing
stack confirms it when

- any of the stack's frames in the tree runs one of those lines (the value is allocated,
  or the map grows, in a call made there), or else
- the stack's innermost frame in the tree lies in the finding's scope or in a function
  holding one of those lines (the value is built a few lines before it is stored).

Only the innermost enclosing code counts when several findings' code holds the frame, as
with goroutine dumps. Frames further out are never used alone: every leak's stack passes
through `main` and the request handler, and a finding there explains nothing below it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from linter.findings import Finding, Location
from linter.goroutines.located import Place
from linter.goroutines.tree import ScannedTree


@dataclass(frozen=True)
class _Target:
    index: int  # the finding's index among those given
    path: str
    start: int
    end: int

    def holds(self, place: Place) -> bool:
        return self.path == place.path and self.start <= place.line <= self.end


class GrowthTargets:
    """The lines and code of each finding that heap growth can confirm, by file."""

    def __init__(self, findings: Sequence[Finding | None], tree: ScannedTree) -> None:
        self._lines: dict[str, list[_Target]] = {}
        self._code: dict[str, list[_Target]] = {}
        for index, finding in enumerate(findings):
            if finding is not None:
                self._add(index, finding, tree)

    def _add(self, index: int, finding: Finding, tree: ScannedTree) -> None:
        places = [finding.location, *(related.location for related in finding.related)]
        for location in places:
            self._lines.setdefault(location.path, []).append(_target(index, location))
            around = tree.function_around(location.path, location.line)
            if around is not None:
                target = _Target(index, location.path, *around)
                self._code.setdefault(location.path, []).append(target)
        if finding.scope is not None:
            self._code.setdefault(finding.scope.path, []).append(_target(index, finding.scope))

    def explaining(self, places: Sequence[Place]) -> list[int]:
        """Indexes of the findings a growing stack confirms; `places` are its frames in the
        tree, innermost first."""
        hits = {
            target.index
            for place in places
            for target in self._lines.get(place.path, ())
            if target.holds(place)
        }
        if hits or not places:
            return sorted(hits)
        innermost = places[0]
        holding = [t for t in self._code.get(innermost.path, ()) if t.holds(innermost)]
        if not holding:
            return []
        smallest = min(t.end - t.start for t in holding)
        return sorted({t.index for t in holding if t.end - t.start == smallest})


def _target(index: int, location: Location) -> _Target:
    return _Target(index, location.path, location.line, location.end_line)
