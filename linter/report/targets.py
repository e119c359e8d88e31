"""Where reports go: one run can write several (text on the terminal, SARIF to a file, GitHub
annotations in the log) from a single analysis.

`--format F -o PATH` names the main report (text on stdout by default); each
`--report FORMAT[:PATH]` adds one more (no PATH, or `-`, is stdout). A `--report` to stdout
takes the place of the default text report; two reports to the same place are a usage error.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from linter.report import FORMATS

STDOUT = "-"


class TargetError(Exception):
    """A report option that cannot be honoured; one line, exit 2."""


@dataclass(frozen=True)
class Target:
    """One report: its format and where it goes (STDOUT or a file path)."""

    format: str
    path: str = STDOUT

    @property
    def shown(self) -> str:
        return "stdout" if self.path == STDOUT else self.path


def parse_report(spec: str) -> Target:
    """`FORMAT` or `FORMAT:PATH` (split at the first colon: format names have none)."""
    name, _, path = spec.partition(":")
    if name not in FORMATS:
        raise TargetError(f"--report {spec}: unknown format {name!r} ({', '.join(FORMATS)})")
    return Target(name, path or STDOUT)


def plan(output_format: str | None, output: str | None, reports: tuple[str, ...]) -> list[Target]:
    """The reports to write, main report first. The default text report on stdout gives way
    to a `--report` that goes to stdout; an explicit `--format` or `-o` never does."""
    extra = [parse_report(spec) for spec in reports]
    main = Target(output_format or "text", output or STDOUT)
    explicit = output_format is not None or output is not None
    targets = extra if not explicit and any(t.path == STDOUT for t in extra) else [main, *extra]
    seen: dict[str, Target] = {}
    for target in targets:
        key = target.path if target.path == STDOUT else os.path.realpath(target.path)
        if key in seen:
            raise TargetError(
                f"two reports would go to {target.shown} ({seen[key].format} and "
                f"{target.format}); give each its own path"
            )
        seen[key] = target
    return targets


def write_output(content: str, output: str) -> None:
    """Write atomically: an interrupted run never leaves a half-written report behind."""
    if output == STDOUT:
        sys.stdout.write(content)
        sys.stdout.flush()
        return
    target = Path(output)
    if target.exists() and not target.is_file():  # /dev/null, a FIFO: write in place
        with open(target, "w", encoding="utf-8") as handle:
            handle.write(content)
        return
    directory = target.parent if str(target.parent) else Path(".")
    fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(content)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp_name, 0o666 & ~umask)  # mkstemp's 0600 is not what users expect
        os.replace(temp_name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
