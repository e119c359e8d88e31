"""A suspect group placed in the tree: its frames resolved, its site and creator known."""

from __future__ import annotations

from dataclasses import dataclass

from linter.goroutines.group import Frame, Group


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
