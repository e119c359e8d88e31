"""Source lines of the scanned tree, read for the few lines a dump points at.

The runtime pass needs a line's text to place a GLK900 finding (its first and last column),
to honour `//golint-leaks:ignore` there (and `//lint:file-ignore` anywhere in the file), and
to tell what a goroutine waits on when the
dump does not say (pprof debug=1 hides the runtime frames that would).
"""

from __future__ import annotations

import re

from linter.source import ALL_RULES, Suppression, parse_ignore, parse_suppression

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
        self._file_ignores: dict[str, list[Suppression]] = {}

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

    def suppressed(self, path: str, number: int, code: str, name: str) -> bool:
        """An ignore comment on the line or the line above, or a file directive."""
        for candidate in (number, number - 1):
            text = self.line(path, candidate)
            comment = text.find("//")
            if comment < 0:
                continue
            rules = parse_suppression(text[comment:])
            if ALL_RULES in rules or code in rules or name in rules:
                return True
        return any(ignore.silences(code, name) for ignore in self.file_ignores(path))

    def file_ignores(self, path: str) -> list[Suppression]:
        """The file's `//lint:file-ignore` directives."""
        found = self._file_ignores.get(path)
        if found is None:
            self.line(path, 1)
            found = self._file_ignores[path] = [
                ignore
                for text in self._files.get(path, ())
                if "lint:file-ignore" in text
                and (ignore := parse_ignore(text[text.find("//") :])) is not None
                and ignore.whole_file
            ]
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
