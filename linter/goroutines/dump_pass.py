"""The goroutine-dump pass: findings and dumps in; confirmations, unexplained groups and
notices out.

Every problem with a dump becomes a notice (a `dump-error` for a file that cannot be read,
which makes the run exit 2) and never stops the other dumps or the static findings from
being reported.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from linter.findings import Finding, Notice
from linter.goroutines.dump import Dump, DumpError
from linter.goroutines.evidence import confirmed_words, evidence, short_function, state_words
from linter.goroutines.group import Group, grown_since
from linter.goroutines.judge import Thresholds, ignore_reason, is_suspect
from linter.goroutines.located import Located, Place
from linter.goroutines.match import match
from linter.goroutines.outcome import Confirmation, Outcome
from linter.goroutines.parse import read_dump
from linter.goroutines.sources import SourceLines
from linter.goroutines.tree import ScannedTree
from linter.registry import Evidence, find_rule


@dataclass(frozen=True)
class DumpRequest:
    """What the user asked of the dump pass (--dump, --dump-baseline, thresholds, config)."""

    dumps: tuple[str, ...]
    baseline: str | None = None
    thresholds: Thresholds = field(default_factory=Thresholds)
    ignore_functions: frozenset[str] = frozenset()


def check_dumps(
    findings: Sequence[Finding], request: DumpRequest, tree: ScannedTree
) -> Outcome[Located]:
    """Which findings the dumps confirm, which placed suspect groups nothing explains."""
    outcome: Outcome[Located] = Outcome()
    baseline: Dump | None = None
    if request.baseline:
        baseline = _read(request.baseline, outcome.notices, tree)
        if baseline is None:
            return outcome  # without the baseline, every group would look like growth
    suspects: list[Located] = []
    for path in dict.fromkeys(request.dumps):  # the same file twice is one dump
        dump = _read(path, outcome.notices, tree)
        if dump is None:
            continue
        groups = dump.groups if baseline is None else grown_since(dump.groups, baseline.groups)
        suspects.extend(_suspects(dump, groups, request, tree, outcome.notices))
    confirmed, unexplained = match([_confirmable(f) for f in findings], suspects)
    outcome.confirmations = [
        Confirmation(index, evidence(groups, confirmed=True), confirmed_words(groups))
        for index, groups in confirmed.items()
    ]
    _report_outside(unexplained, outcome.notices)
    outcome.unexplained = [x for x in unexplained if x.site is not None]
    return outcome


def _confirmable(finding: Finding) -> Finding | None:
    rule = find_rule(finding.rule)
    return finding if rule is not None and Evidence.GOROUTINES in rule.confirmable_by else None


def _read(path: str, notices: list[Notice], tree: ScannedTree) -> Dump | None:
    shown = tree.show(path)
    try:
        dump = read_dump(path)
    except DumpError as exc:
        notices.append(Notice("dump-error", str(exc), shown))
        return None
    for problem in dump.problems:
        notices.append(
            Notice(
                "dump-error",
                f"{problem}; the {dump.goroutines:,} goroutines read around it were used",
                shown,
            )
        )
    return dump


def _suspects(
    dump: Dump,
    groups: list[Group],
    request: DumpRequest,
    tree: ScannedTree,
    notices: list[Notice],
) -> list[Located]:
    shown = tree.show(dump.path)
    format_name = ", ".join(dump.formats)
    if request.thresholds.min_wait > 0 and not dump.has_wait_times and groups:
        notices.append(
            Notice(
                "warning",
                f"{format_name} records no wait times; --min-wait does not filter this dump",
                shown,
            )
        )
    suspects = []
    in_tree = False
    for group in groups:
        places = tuple(tree.place(frame) for frame in group.frames)
        in_tree = in_tree or any(p is not None for p in places)
        if ignore_reason(group, request.ignore_functions):
            continue
        if not group.state and places and places[0] is not None:
            group = _with_state_from_source(group, places[0], tree.sources)
        if not is_suspect(group, request.thresholds):
            continue
        creator = tree.place(group.created_by) if group.created_by else None
        suspects.append(Located(shown, format_name, group, places, creator))
    if groups and not in_tree:
        count = sum(g.count for g in groups)
        notices.append(
            Notice(
                "warning",
                f"no frame of this dump ({count:,} goroutines in {len(groups):,} stacks) is in "
                "the scanned tree; check the packages given (the dump's paths match nothing)",
                shown,
            )
        )
    return suspects


def _with_state_from_source(group: Group, top: Place, sources: SourceLines) -> Group:
    """pprof debug=1 hides the runtime frames that tell the state; the parked line does."""
    state = sources.state_at(top.real, top.line)
    if not state:
        return group
    return replace(group, signature=replace(group.signature, state=state), state_inferred=True)


def _report_outside(unexplained: list[Located], notices: list[Notice]) -> None:
    """Suspect groups with no frame in the tree cannot be placed: say they exist."""
    outside = [x for x in unexplained if x.site is None]
    if not outside:
        return
    largest = max(outside, key=lambda x: x.group.count)
    total = sum(x.group.count for x in outside)
    frames = largest.group.frames
    top = short_function(frames[0].function) if frames else "?"
    notices.append(
        Notice(
            "warning",
            f"{len(outside):,} blocked goroutine group{'s' if len(outside) != 1 else ''} "
            f"({total:,} goroutines) have no frame in the scanned tree; largest: "
            f"{largest.group.count:,} in {top} [{state_words(largest.group)}]",
            largest.dump,
        )
    )
