"""A progress line on stderr for runs long enough to wonder about: `golint-leaks: 120/340
package directories` (a directory holds a package and its `_test` package), rewritten in
place, erased when the run ends.

Only on a terminal, and only after the first second: a pre-commit run or a redirected log
never sees it, and neither does a quick run.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

DELAY_SECONDS = 1.0
REFRESH_SECONDS = 0.1


class Progress:
    """Counts package directories done out of `total`; shows them when `stream` is a
    terminal."""

    def __init__(
        self,
        total: int,
        stream: TextIO | None = None,
        delay: float = DELAY_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.total = total
        self.done = 0
        self.clock = clock
        self.show_from = clock() + delay
        self.shown_at: float | None = None
        self.width = 0
        self.enabled = total > 0 and _is_terminal(self.stream)

    def advance(self) -> None:
        """One more directory checked."""
        self.done += 1
        if not self.enabled:
            return
        now = self.clock()
        recently = self.shown_at is not None and now - self.shown_at < REFRESH_SECONDS
        if now < self.show_from or (recently and self.done < self.total):
            return  # too early, or shown a moment ago (the last count is always shown)
        self.shown_at = now
        line = f"golint-leaks: {self.done}/{self.total} package directories"
        self.stream.write("\r" + line.ljust(self.width))
        self.stream.flush()
        self.width = len(line)

    def close(self) -> None:
        """Erase the line, so that what follows starts on a clean one."""
        if self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()
            self.width = 0


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or unusual stream
        return False
