"""Only new findings: what `--new-from-rev`, `--new-from-patch` and `--baseline` leave to report.

Everything is read and checked before the analysis starts (an unknown revision or an
unreadable baseline is a usage error, not a surprise after minutes of work); the findings
are filtered after it, so the cache and the rules never know.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from linter import baseline as baselines
from linter import changes
from linter.findings import Finding, Location, Notice
from linter.report.paths import RepoPaths


@dataclass(frozen=True)
class NewFindings:
    """Changed lines a finding must touch, and fingerprints it must not have (either may be
    None: not asked for)."""

    changed: changes.ChangedLines | None
    known: frozenset[str] | None

    @classmethod
    def prepare(
        cls,
        *,
        revision: str | None,
        patch: str | None,
        baseline: str | None,
        paths: RepoPaths,
    ) -> NewFindings | None:
        """None when no option asks for new findings only; raises ChangesError or
        BaselineError with a one-line message when one cannot be honoured."""
        if revision and patch:
            raise changes.ChangesError("--new-from-rev and --new-from-patch exclude each other")
        changed = None
        if revision:
            changed = changes.from_git(revision, paths.cwd)
        elif patch:
            changed = changes.from_patch(Path(patch), paths.root or paths.cwd)
        known = baselines.load_fingerprints(Path(baseline)) if baseline else None
        return cls(changed, known) if changed is not None or known is not None else None

    def select(self, findings: list[Finding], cwd: Path) -> list[Finding]:
        if self.changed is not None:
            findings = changes.on_changed_lines(findings, self.changed, cwd)
        if self.known is not None:
            findings = baselines.not_in_baseline(findings, self.known)
        return findings

    def select_notices(self, notices: list[Notice], cwd: Path) -> list[Notice]:
        """Notices about a line (an unused ignore comment) only when that line changed."""
        if self.changed is None:
            return notices
        changed = self.changed
        return [
            notice
            for notice in notices
            if not notice.line
            or changed.touches(Location(notice.path, notice.line, 1, notice.line, 1), cwd)
        ]
