"""Suspect groups against static findings: which findings a dump confirms, and what is left.

A finding is confirmed by a group when the group's site (its topmost frame in the tree) lies
in the finding's scope (the code the finding is about: by default the innermost function
around it, e.g. the goroutine literal of a blocked send or the function that owns a ticker),
or when the group's `created by` site is the finding's own location (the `go` statement of a
goroutine-without-exit). When several findings' scopes hold the site, only the innermost
scopes count. Groups no finding explains become findings at their site, which the command
line reports as GLK900.
"""

from __future__ import annotations

from linter.findings import Finding, Location
from linter.goroutines.evidence import blocked_message, evidence
from linter.goroutines.located import Located
from linter.goroutines.sources import SourceLines
from linter.reporting import fingerprint


def _contains(location: Location | None, path: str, line: int) -> bool:
    return (
        location is not None
        and location.path == path
        and (location.line <= line <= location.end_line)
    )


def explaining(findings: list[Finding | None], located: Located) -> list[int]:
    """Indexes of the findings this group confirms (None stands for one that cannot be)."""
    hits: set[int] = set()
    creator = located.creator
    if creator is not None:
        hits.update(
            i
            for i, f in enumerate(findings)
            if f is not None and _contains(f.location, creator.path, creator.line)
        )
    site = located.site
    if site is not None:
        scoped = [
            (f.scope.end_line - f.scope.line, i)
            for i, f in enumerate(findings)
            if f is not None and f.scope is not None and _contains(f.scope, site.path, site.line)
        ]
        if scoped:
            innermost = min(size for size, _ in scoped)
            hits.update(i for size, i in scoped if size == innermost)
    return sorted(hits)


def match(
    findings: list[Finding | None], suspects: list[Located]
) -> tuple[dict[int, list[Located]], list[Located]]:
    """(finding index -> the groups confirming it, the groups nothing explains).

    A None in `findings` is a finding of a rule that parked goroutines cannot confirm."""
    confirmed: dict[int, list[Located]] = {}
    unexplained = []
    for located in suspects:
        hits = explaining(findings, located)
        for index in hits:
            confirmed.setdefault(index, []).append(located)
        if not hits:
            unexplained.append(located)
    return confirmed, unexplained


def is_proved(groups: list[Located]) -> bool:
    """Evidence beyond a count: the runtime proved a leak, goleak listed the goroutines after
    a test, or the group grew since the baseline dump. Many goroutines parked at one place
    without it may be an idle worker pool."""
    return any(x.group.leaked or x.group.reported or x.group.baseline is not None for x in groups)


def blocked_findings(unexplained: list[Located], sources: SourceLines) -> list[Finding]:
    """One finding per site and state, carrying every group parked there, for the command
    line to stamp as GLK900 (`engine.finish`).

    Its level is left to the rule when there is proof beyond a count (`is_proved`) and is a
    note otherwise; its fingerprint seed is the site, the state and the largest group's stack.
    """
    by_site: dict[tuple[str, int, str, str], list[Located]] = {}
    for located in unexplained:
        site = located.site
        if site is None:
            continue
        key = (site.path, site.line, site.frame.function, located.group.state)
        by_site.setdefault(key, []).append(located)
    findings = []
    for (path, line, function, state), groups in by_site.items():
        site = groups[0].site
        assert site is not None
        start, end = sources.span(site.real, line)
        largest = max(groups, key=lambda x: x.group.count)
        proved = is_proved(groups)
        message = blocked_message(largest)
        if not proved:
            message += "; pass an earlier dump as --dump-baseline to see whether they grow"
        findings.append(
            Finding(
                message=message,
                location=Location(path, line, start, line, end),
                level="" if proved else "note",
                fingerprint=fingerprint(
                    function, state, *(f.function for f in largest.group.frames)
                ),
                evidence=evidence(groups, confirmed=False),
            )
        )
    return findings
