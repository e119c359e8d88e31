"""What reading one dump file produced, and the error for a file that cannot be used."""

from __future__ import annotations

from dataclasses import dataclass, field

from linter.goroutines.group import Group

FORMAT_TRACEBACK = "traceback"
FORMAT_GOLEAK = "goleak"
FORMAT_DEBUG1 = "pprof debug=1"
FORMAT_PROTO = "pprof protobuf"


class DumpError(Exception):
    """A dump that cannot be used at all; the message is one line, without the path."""


@dataclass
class Dump:
    """What one dump file held. `problems` are one-line reasons the dump is damaged
    (truncated, garbled); the groups are what could be read around the damage."""

    path: str
    groups: list[Group] = field(default_factory=list)
    goroutines: int = 0
    formats: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def has_wait_times(self) -> bool:
        return any(f in (FORMAT_TRACEBACK, FORMAT_GOLEAK) for f in self.formats)
