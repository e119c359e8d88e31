"""The scanned tree as the runtime pass sees it: frames placed in its files, paths shown.

Evidence names files by the paths of the machine that produced it; findings name them as
the engine shows them (relative to the working directory). `ScannedTree` turns a frame into
a `Place` carrying both, reads the lines a frame points at, remembers which file each shown
path is, so suppression comments there can be honoured, and tells which function holds a
line (heap growth allocated there belongs to it).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from linter.findings import Location
from linter.gomod import module_file_path
from linter.goroutines.group import Frame
from linter.goroutines.locate import TreeIndex
from linter.goroutines.located import Place
from linter.goroutines.sources import SourceLines
from linter.registry import Rule
from linter.source import SourceError, captures, display_path, parse_file, query, read_go_bytes

_FUNCTIONS = query("[(function_declaration) (method_declaration) (func_literal)] @function")


class ScannedTree:
    """The files of the static pass, addressable by the frames of a dump or profile."""

    def __init__(
        self, files: Iterable[Path], cwd: str, labels: Mapping[str, str] | None = None
    ) -> None:
        self.index = TreeIndex(files)
        self.cwd = cwd
        self.labels = dict(labels or {})  # evidence files shown by what they are, not where
        self.sources = SourceLines()
        self._real: dict[str, str] = {}  # shown path -> real path
        self._functions: dict[str, list[tuple[int, int]]] = {}  # shown path -> line spans

    def place(self, frame: Frame) -> Place | None:
        """Where the frame ran in the tree, or None when outside it (or past a file's end:
        evidence from another version of the code)."""
        real = self.index.resolve(frame)
        if real is None or not self.sources.exists(real, frame.line):
            return None
        shown = self.show(self.index.given[real])
        self._real[shown] = real
        return Place(frame, real, shown)

    def show(self, path: str) -> str:
        """A path (a scanned file, a dump) as findings and notices show it; a file captured
        into a temporary directory by what it is (`URL (snapshot 2)`)."""
        return self.labels.get(path) or display_path(Path(path), self.cwd)

    # `engine.FindingFiles`, for the findings the command line builds from evidence:

    def silenced(self, location: Location, rule: Rule) -> bool:
        """Whether an ignore comment silences the rule there (a file placed before)."""
        real = self._real.get(location.path)
        return real is not None and self.sources.suppressed(
            real, location.line, rule.code, rule.name
        )

    def identity(self, location: Location) -> str:
        """The file by its module path, as the engine names files in fingerprints."""
        real = Path(self._real.get(location.path) or location.path)
        return module_file_path(real.parent, real.name) or location.path

    def function_around(self, shown: str, line: int) -> tuple[int, int] | None:
        """(first line, last line) of the innermost function or function literal holding
        `line` of a scanned file; None at package level or when the file cannot be read."""
        spans = self._functions.get(shown)
        if spans is None:
            spans = self._functions[shown] = self._function_spans(shown)
        around = [span for span in spans if span[0] <= line <= span[1]]
        return min(around, key=lambda span: span[1] - span[0]) if around else None

    def _function_spans(self, shown: str) -> list[tuple[int, int]]:
        real = Path(self._real.get(shown) or os.path.join(self.cwd, shown))
        try:
            go_file = parse_file(real, shown, read_go_bytes(real))
        except (SourceError, ValueError, RecursionError):
            return []
        nodes = captures(_FUNCTIONS, go_file.root).get("function", [])
        return [(node.start_point[0] + 1, node.end_point[0] + 1) for node in nodes]
