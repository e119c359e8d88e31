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
    """One report: its format, where it goes (STDOUT or a file path), and the option that
    asked for it (for messages)."""

    format: str
    path: str = STDOUT
    option: str = ""

    @property
    def shown(self) -> str:
        return "stdout" if self.path == STDOUT else self.path

    def check_writable(self) -> None:
        """Raise TargetError if the report could not be written, before any analysis: a
        missing directory found after minutes of work loses them."""
        if self.path == STDOUT:
            return
        target = Path(self.path)
        directory = target.parent
        if target.is_dir():
            problem = "is a directory"
        elif target.exists() and not target.is_file():  # /dev/null, a FIFO: written in place
            problem = "" if os.access(target, os.W_OK) else "is not writable"
        elif not directory.exists():
            problem = f"directory {directory} does not exist"
        elif not directory.is_dir():
            problem = f"{directory} is not a directory"
        elif not os.access(directory, os.W_OK | os.X_OK):  # a file is replaced, not rewritten
            problem = f"directory {directory} is not writable"
        else:
            problem = ""
        if problem:
            raise TargetError(f"{self.option}: {problem}")

    def write(self, content: str) -> None:
        try:
            write_output(content, self.path)
        except OSError as exc:  # the disk filled up, the directory went away meanwhile
            raise TargetError(f"{self.option}: cannot write: {exc.strerror or exc}") from None


def parse_report(spec: str) -> Target:
    """`FORMAT` or `FORMAT:PATH` (split at the first colon: format names have none)."""
    name, _, path = spec.partition(":")
    if name not in FORMATS:
        raise TargetError(f"--report {spec}: unknown format {name!r} ({', '.join(FORMATS)})")
    return Target(name, path or STDOUT, f"--report {spec}")


def plan(output_format: str | None, output: str | None, reports: tuple[str, ...]) -> list[Target]:
    """The reports to write, main report first. The default text report on stdout gives way
    to a `--report` that goes to stdout; an explicit `--format` or `-o` never does."""
    extra = [parse_report(spec) for spec in reports]
    main = Target(output_format or "text", output or STDOUT, f"-o {output}")
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
        target.check_writable()
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
