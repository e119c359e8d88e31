"""Source lines of the scanned tree, read for the few lines a dump points at.

The runtime pass needs a line's text to place a GLK900 finding (its first and last column),
to honour `//golint-leaks:ignore` there, and to tell what a goroutine waits on when the dump
does not say (pprof debug=1 hides the runtime frames that would).
"""

from __future__ import annotations

import re

from linter.source import parse_suppression

_SELECT_RE = re.compile(r"^\s*select\s*\{")
_RANGE_RE = re.compile(r"^\s*for\b.*\brange\b")
_SEND_RE = re.compile(r"^\s*(?:case\s+)?([\w.\[\]()*]+)\s*<-")
_NOT_OPERANDS = frozenset({"return", "case", "go", "defer", "if", "else", "for", "switch"})


def _utf16_length(text: str) -> int:
    return sum(2 if ord(ch) > 0xFFFF else 1 for ch in text)


class SourceLines:
    """Lines of tree files, read once per file, on demand."""

    def __init__(self) -> None:
        self._files: dict[str, list[str]] = {}
        self._suppressions: dict[str, dict[int, set[str]]] = {}

    def line(self, path: str, number: int) -> str:
        lines = self._files.get(path)
        if lines is None:
            try:
                with open(path, "rb") as handle:
                    text = handle.read().decode("utf-8", "replace")
            except OSError:
                text = ""
            lines = self._files[path] = text.splitlines()
        return lines[number - 1] if 1 <= number <= len(lines) else ""

    def exists(self, path: str, number: int) -> bool:
        """Whether the line is in the file (a dump from another version may point past it)."""
        self.line(path, number)
        return 1 <= number <= len(self._files.get(path, ()))

    def span(self, path: str, number: int) -> tuple[int, int]:
        """(first column, end column) of the line's code, 1-based, in UTF-16 code units."""
        text = self.line(path, number)
        code = text.rstrip()
        indent = len(code) - len(code.lstrip())
        start = 1 + _utf16_length(code[:indent])
        return start, max(start, 1 + _utf16_length(code))

    def suppressions(self, path: str) -> dict[int, set[str]]:
        """The rules silenced by `//golint-leaks:ignore` or `//nolint`, by line (see
        `linter.source.is_suppressed`)."""
        found = self._suppressions.get(path)
        if found is None:
            self.line(path, 1)
            found = self._suppressions[path] = {}
            for number, text in enumerate(self._files[path], start=1):
                comment = text.find("//")
                if comment >= 0 and (rules := parse_suppression(text[comment:])):
                    found[number] = rules
        return found

    def state_at(self, path: str, number: int) -> str:
        """What a goroutine parked on this line waits on, read from the code; "" if unclear."""
        text = self.line(path, number)
        comment = text.find("//")
        code = text[:comment] if comment >= 0 else text
        if _SELECT_RE.match(code):
            return "select"
        if _RANGE_RE.match(code):
            return "chan receive"
        if "<-" not in code:
            return ""
        send = _SEND_RE.match(code)
        if send and send.group(1) not in _NOT_OPERANDS:
            return "chan send"
        return "chan receive"
