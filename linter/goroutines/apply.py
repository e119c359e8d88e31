"""The runtime pass as the CLI runs it: read the dumps, judge, locate, match, report.

Every problem with a dump becomes a notice (a `dump-error` for a file that cannot be read,
which makes the run exit 2) and never stops the other dumps or the static findings from
being reported.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from linter.discover import Unit
from linter.engine import RunResult, Settings, display_path
from linter.findings import Finding, Notice
from linter.goroutines.dump import Dump, DumpError
from linter.goroutines.evidence import confirmed_message, evidence, short_function, state_words
from linter.goroutines.group import Frame, Group, grown_since
from linter.goroutines.judge import Thresholds, ignore_reason, is_suspect
from linter.goroutines.locate import TreeIndex
from linter.goroutines.located import Located, Place
from linter.goroutines.match import match, runtime_findings
from linter.goroutines.parse import read_dump
from linter.goroutines.sources import SourceLines
from linter.registry import all_rules, find_rule

RUNTIME_RULE = "GLK900"
# Rules whose findings goroutines parked in their code can confirm: a file left open or a
# map that grows is not what a goroutine waits on, even when one waits nearby.
CONFIRMABLE_TAGS = frozenset({"goroutine-leak", "timer"})


@dataclass(frozen=True)
class RuntimeRequest:
    """What the user asked of the runtime pass (--dump, --dump-baseline, thresholds, config)."""

    dumps: tuple[str, ...]
    baseline: str | None = None
    thresholds: Thresholds = field(default_factory=Thresholds)
    ignore_functions: frozenset[str] = frozenset()


class _Placer:
    """Frames -> places in the tree, with display paths as the engine computes them."""

    def __init__(self, files: Iterable[Path], cwd: str, sources: SourceLines) -> None:
        self.index = TreeIndex(files)
        self.cwd = cwd
        self.sources = sources

    def place(self, frame: Frame) -> Place | None:
        real = self.index.resolve(frame)
        if real is None or not self.sources.exists(real, frame.line):
            return None
        shown = display_path(Path(self.index.given[real]), self.cwd)
        return Place(frame, real, shown)


def apply_dumps(
    result: RunResult, request: RuntimeRequest, units: list[Unit], settings: Settings
) -> None:
    """Confirm `result.findings` with the dumps, add GLK900 findings and notices, in place."""
    sources = SourceLines()
    placer = _Placer((f for unit in units for f in unit.files), settings.cwd, sources)
    notices = result.notices
    baseline: Dump | None = None
    if request.baseline:
        baseline = _read(request.baseline, notices, settings.cwd)
        if baseline is None:
            return  # without the baseline, every group would look like growth
    suspects: list[Located] = []
    for path in dict.fromkeys(request.dumps):  # the same file twice is one dump
        dump = _read(path, notices, settings.cwd)
        if dump is None:
            continue
        groups = dump.groups if baseline is None else grown_since(dump.groups, baseline.groups)
        suspects.extend(_suspects(dump, groups, request, placer, notices, settings.cwd))
    confirmable = {rule.code for rule in all_rules() if CONFIRMABLE_TAGS.intersection(rule.tags)}
    candidates = [f if f.rule in confirmable else None for f in result.findings]
    confirmed, unexplained = match(candidates, suspects)
    for index, groups in confirmed.items():
        finding = result.findings[index]
        result.findings[index] = finding.with_(
            evidence=evidence(groups, confirmed=True),
            message=confirmed_message(finding.message, groups),
        )
    _report_outside(unexplained, notices)
    if RUNTIME_RULE in settings.enabled:
        result.findings.extend(_runtime_findings(unexplained, settings, sources))
    result.findings.sort(key=Finding.sort_key)


def _read(path: str, notices: list[Notice], cwd: str) -> Dump | None:
    shown = display_path(Path(path), cwd)
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
    request: RuntimeRequest,
    placer: _Placer,
    notices: list[Notice],
    cwd: str,
) -> list[Located]:
    shown = display_path(Path(dump.path), cwd)
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
        places = tuple(placer.place(frame) for frame in group.frames)
        in_tree = in_tree or any(p is not None for p in places)
        if ignore_reason(group, request.ignore_functions):
            continue
        if not group.state and places and places[0] is not None:
            group = _with_state_from_source(group, places[0], placer.sources)
        if not is_suspect(group, request.thresholds):
            continue
        creator = placer.place(group.created_by) if group.created_by else None
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


def _runtime_findings(
    unexplained: list[Located], settings: Settings, sources: SourceLines
) -> list[Finding]:
    rule = find_rule(RUNTIME_RULE)
    if rule is None:
        return []
    levels = dict(settings.levels)
    configured = levels.get(rule.code) or levels.get(rule.name)
    # A count alone may be an idle worker pool: a note, unless the config says otherwise.
    chosen = (configured, configured) if configured else (rule.level, "note")
    return runtime_findings(unexplained, rule.code, rule.name, chosen, sources)
