"""Goroutine groups: one per (state, stack), with counts, wait times and sample ids.

A group's signature ignores what differs between goroutines parked at the same place: ids,
argument values, wait minutes, program counters. Memory grows with the number of distinct
signatures, never with the number of goroutines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

MAX_SAMPLE_IDS = 3

_GENERIC_ARGS_RE = re.compile(r"\[[^\[\]]*\]")


def normalize_function(name: str) -> str:
    """Generic instantiations print as `F[...]` in tracebacks and `F[go.shape.int]` in pprof."""
    if "[" not in name:
        return name
    return _GENERIC_ARGS_RE.sub("[...]", name)


def package_of(function: str) -> str:
    """The import path part of a qualified function name.

    `github.com/acme/svc/pkg.(*T).run` -> `github.com/acme/svc/pkg`; `main.main` -> `main`.
    """
    slash = function.rfind("/")
    dot = function.find(".", slash + 1)
    return function[:dot] if dot > 0 else function


@dataclass(frozen=True)
class Frame:
    """One stack frame as the dump printed it: the path is the build machine's."""

    function: str
    path: str
    line: int

    @property
    def package(self) -> str:
        return package_of(self.function)


@dataclass(frozen=True)
class Signature:
    """What makes goroutines "the same": state without wait time, frames, creator."""

    state: str
    frames: tuple[Frame, ...]
    created_by: Frame | None = None
    elided: bool = False


@dataclass
class Group:
    """Goroutines of one signature in one dump.

    `leaked` counts goroutines the runtime's goroutineleak detector proved unreachable;
    `reported` is set when goleak listed them as still running after a test; `wait_*` are
    minutes (None when the format does not say); `baseline` is the count in the baseline dump
    when a baseline was given (then `count` is the growth).
    """

    signature: Signature
    source: str
    count: int = 0
    leaked: int = 0
    reported: bool = False
    min_wait: int | None = None
    max_wait: int | None = None
    sample_ids: list[int] = field(default_factory=list)
    state_inferred: bool = False
    baseline: int | None = None

    @property
    def state(self) -> str:
        return self.signature.state

    @property
    def frames(self) -> tuple[Frame, ...]:
        return self.signature.frames

    @property
    def created_by(self) -> Frame | None:
        return self.signature.created_by

    def observe(self, count: int, wait: int | None, goroutine_id: int | None, leaked: bool) -> None:
        self.count += count
        if leaked:
            self.leaked += count
        if wait is not None:
            self.min_wait = wait if self.min_wait is None else min(self.min_wait, wait)
            self.max_wait = wait if self.max_wait is None else max(self.max_wait, wait)
        if goroutine_id is not None and len(self.sample_ids) < MAX_SAMPLE_IDS:
            self.sample_ids.append(goroutine_id)

    def absorb(self, other: Group) -> None:
        """Merge a group of the same signature (seen through another raw shape)."""
        self.count += other.count
        self.leaked += other.leaked
        self.reported = self.reported or other.reported
        for wait in (other.min_wait, other.max_wait):
            if wait is not None:
                self.observe(0, wait, None, False)
        room = MAX_SAMPLE_IDS - len(self.sample_ids)
        self.sample_ids.extend(other.sample_ids[: max(0, room)])


class GroupTable:
    """Canonical groups by signature, in first-seen order."""

    def __init__(self) -> None:
        self._groups: dict[Signature, Group] = {}

    def group_for(self, signature: Signature, source: str) -> Group:
        group = self._groups.get(signature)
        if group is None:
            group = Group(signature, source)
            self._groups[signature] = group
        return group

    def groups(self) -> list[Group]:
        return [g for g in self._groups.values() if g.count > 0]

    @property
    def goroutines(self) -> int:
        return sum(g.count for g in self._groups.values())


def grown_since(groups: list[Group], baseline: list[Group]) -> list[Group]:
    """The groups that grew since the baseline, each counting only its growth.

    Signatures are compared without the wait time, so a goroutine parked since before the
    baseline and one parked since are the same; a group absent from the baseline grew from 0.
    """
    before: dict[Signature, int] = {}
    for group in baseline:
        before[group.signature] = before.get(group.signature, 0) + group.count
    grown = []
    for group in groups:
        was = before.get(group.signature, 0)
        if group.count > was:
            grown.append(
                replace(
                    group,
                    count=group.count - was,
                    leaked=min(group.leaked, group.count - was),
                    sample_ids=list(group.sample_ids),
                    baseline=was,
                )
            )
    return grown
