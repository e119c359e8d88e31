"""The command line's runtime step: the evidence options, the runtime passes, their findings.

Goroutine dumps (`--dump`), heap profiles (`--heap`) or a live capture (`--pprof URL`, which
fetches both) go through the runtime passes, which return confirmations of the static
findings and the evidence nothing explains. This is the one place that turns the latter
into findings of their own: blocked goroutines into GLK900, retained heap growth into GLK901,
stamped by `engine.finish` like every static finding. Findings of opt-in rules that run only
because evidence was given (`engine.evidence_rules`) are kept only when it confirms them.

The runtime modules (and protobuf) are imported only when evidence is given.
"""

from __future__ import annotations

import contextlib
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from linter.discover import Unit
from linter.engine import Settings, finish
from linter.findings import Finding, Notice
from linter.registry import find_rule

if TYPE_CHECKING:
    from linter.goroutines.capture import Captured
    from linter.goroutines.tree import ScannedTree

BLOCKED_GOROUTINES_RULE = "GLK900"
HEAP_GROWTH_RULE = "GLK901"


class EvidenceProblem(Exception):
    """Evidence options that do not go together, or a capture that failed: one line, exit 2."""


@dataclass(frozen=True)
class EvidenceOptions:
    """The runtime options of the command line, with the config's values filled in."""

    dumps: tuple[str, ...] = ()
    dump_baseline: str | None = None
    min_goroutines: int = 10
    min_wait: int = 0
    ignore_functions: frozenset[str] = frozenset()
    heaps: tuple[str, ...] = ()
    heap_baseline: str | None = None
    heap_min_growth: int = 1 << 20
    heap_large_growth: int = 64 << 20
    pprof: str | None = None
    warmup: float = 0.0
    interval: float = 120.0
    snapshots: int = 2
    save: str | None = None
    pprof_timeout: float = 30.0

    @property
    def requested(self) -> bool:
        return bool(self.dumps or self.dump_baseline or self.heaps or self.heap_baseline) or (
            self.pprof is not None
        )

    def check(self) -> None:
        """Refuse combinations that cannot mean anything, before the static pass runs."""
        if self.dump_baseline and not self.dumps:
            raise EvidenceProblem("--dump-baseline needs at least one --dump to compare with it")
        if self.heap_baseline and not self.heaps:
            raise EvidenceProblem("--heap-baseline needs at least one --heap to compare with it")
        files = self.dumps or self.heaps
        if self.pprof is not None and files:
            raise EvidenceProblem(
                "--pprof captures its own dumps and profiles; give either --pprof or "
                "--dump/--heap files"
            )
        if self.pprof is None and self.save:
            raise EvidenceProblem("--save keeps what --pprof captures; it needs --pprof")
        if self.pprof is not None:
            from linter.goroutines.capture import CaptureError, pprof_base

            try:
                pprof_base(self.pprof)
            except CaptureError as exc:
                raise EvidenceProblem(str(exc)) from exc


def with_evidence(
    findings: list[Finding],
    options: EvidenceOptions,
    units: list[Unit],
    settings: Settings,
    rescued: frozenset[str],
) -> tuple[list[Finding], list[Notice]]:
    """The findings confirmed by the evidence, plus GLK900 and GLK901, and the notices."""
    from linter.goroutines.tree import ScannedTree

    files = [f for unit in units for f in unit.files]
    if options.pprof is None:
        return _passes(findings, options, ScannedTree(files, settings.cwd), settings, rescued)
    with _capture_directory(options.save) as directory:
        captured = _capture(options, directory)
        # Saved files are shown where they are (to repeat the run); temporary ones by what
        # they are, since they are gone when the report is read.
        tree = ScannedTree(files, settings.cwd, None if options.save else captured.labels)
        requested = replace(
            options,
            pprof=None,
            heaps=tuple(captured.heaps),
            dumps=(captured.goroutines[-1], *captured.leaks[-1:]),
            dump_baseline=captured.goroutines[0],
        )
        if options.save:
            _say_how_to_repeat(requested)
        return _passes(findings, requested, tree, settings, rescued)


def _passes(
    findings: list[Finding],
    options: EvidenceOptions,
    tree: ScannedTree,
    settings: Settings,
    rescued: frozenset[str],
) -> tuple[list[Finding], list[Notice]]:
    from linter.goroutines.dump_pass import DumpRequest, check_dumps
    from linter.goroutines.heap_pass import HeapRequest, HeapThresholds, check_heap
    from linter.goroutines.heapevidence import growth_findings
    from linter.goroutines.judge import Thresholds
    from linter.goroutines.match import blocked_findings
    from linter.goroutines.outcome import confirm

    notices: list[Notice] = []
    added: list[Finding] = []
    if options.dumps:
        request = DumpRequest(
            options.dumps,
            options.dump_baseline,
            Thresholds(options.min_goroutines, options.min_wait),
            options.ignore_functions,
        )
        outcome = check_dumps(findings, request, tree)
        findings = confirm(findings, outcome.confirmations)
        notices.extend(outcome.notices)
        blocked = blocked_findings(outcome.unexplained, tree.sources)
        added.extend(_stamped(BLOCKED_GOROUTINES_RULE, blocked, settings, tree))
    if options.heaps:
        thresholds = HeapThresholds(options.heap_min_growth, options.heap_large_growth)
        heap_request = HeapRequest(options.heaps, options.heap_baseline, thresholds)
        heap = check_heap(findings, heap_request, tree)
        findings = confirm(findings, heap.confirmations)
        notices.extend(heap.notices)
        grown = growth_findings(heap.unexplained, tree.sources, options.heap_large_growth)
        added.extend(_stamped(HEAP_GROWTH_RULE, grown, settings, tree))
    kept = [f for f in findings if f.rule not in rescued or (f.evidence or {}).get("confirmed")]
    return sorted(kept + added, key=Finding.sort_key), notices


def _stamped(code: str, raw: list[Finding], settings: Settings, tree: ScannedTree) -> list[Finding]:
    rule = find_rule(code)
    if rule is None or rule.code not in settings.enabled:
        return []
    return finish(rule, raw, dict(settings.levels), tree)


@contextlib.contextmanager
def _capture_directory(save: str | None) -> Iterator[Path]:
    """--save DIR (created if needed), else a temporary directory removed afterwards."""
    if save:
        directory = Path(save)
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise EvidenceProblem(f"--save {save}: {exc.strerror or exc}") from exc
        yield directory
        return
    with tempfile.TemporaryDirectory(prefix="golint-leaks-pprof-") as temporary:
        yield Path(temporary)


def _capture(options: EvidenceOptions, directory: Path) -> Captured:
    from linter.goroutines.capture import CaptureError, CaptureRequest, capture

    request = CaptureRequest(
        url=options.pprof or "",
        warmup=options.warmup,
        interval=options.interval,
        snapshots=options.snapshots,
        timeout=options.pprof_timeout,
    )
    try:
        return capture(request, directory, sys.stderr)
    except CaptureError as exc:
        raise EvidenceProblem(str(exc)) from exc


def _say_how_to_repeat(files: EvidenceOptions) -> None:
    arguments = [f"--heap {path}" for path in files.heaps]
    arguments += [f"--dump-baseline {files.dump_baseline}"]
    arguments += [f"--dump {path}" for path in files.dumps]
    sys.stderr.write(
        f"golint-leaks: saved; to repeat offline: golint-leaks {' '.join(arguments)} ...\n"
    )
