"""What a runtime pass returns, and how its confirmations change the findings.

A pass (goroutine dumps, heap profiles) takes the static findings and its evidence and
returns an `Outcome`: confirmations of findings, the evidence nothing explains (for the
command line to report as its own findings), and notices. It never changes the findings it
was given; `confirm` builds the confirmed ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from linter.findings import Finding, Notice

Unexplained = TypeVar("Unexplained")


@dataclass(frozen=True)
class Confirmation:
    """Evidence that confirms the finding at `index`: the data merged into its evidence and
    the words added to its message (`confirmed by ...`)."""

    index: int
    evidence: dict[str, Any]
    words: str


@dataclass
class Outcome(Generic[Unexplained]):
    """What a runtime pass learned: confirmations, evidence no finding explains, notices."""

    confirmations: list[Confirmation] = field(default_factory=list)
    unexplained: list[Unexplained] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)


def confirm(findings: Sequence[Finding], confirmations: Sequence[Confirmation]) -> list[Finding]:
    """The findings with their confirmations applied, in the same order."""
    confirmed = list(findings)
    for confirmation in confirmations:
        finding = confirmed[confirmation.index]
        confirmed[confirmation.index] = finding.with_(
            evidence={**(finding.evidence or {}), **confirmation.evidence},
            message=f"{finding.message} ({confirmation.words})",
        )
    return confirmed
