"""Runs the rules over discovered directories, in parallel, and applies config/suppressions.

Each worker process imports the rules once (compiling their queries once), then for each
directory: reads and parses its files, splits them into packages, runs every enabled rule,
and sends back plain findings. Trees never leave the worker and are dropped after the
package, so memory stays flat however large the repository.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from linter import cache
from linter.buildconstraint import ConstraintError
from linter.buildtarget import BuildTarget
from linter.discover import Unit
from linter.findings import Finding, Location, Notice, PackageResult
from linter.gomod import module_file_path, nearest_gomod, parse_version
from linter.registry import Rule, all_rules
from linter.reporting import fingerprint
from linter.semantic.facts import checking
from linter.source import (
    GoFile,
    Package,
    SourceError,
    display_path,
    group_into_packages,
    is_generated,
    parse_file,
    read_go_bytes,
)
from linter.suppressions import SuppressionLog


@dataclass(frozen=True)
class Settings:
    """Everything a worker needs besides the unit; plain data so it pickles."""

    enabled: tuple[str, ...]
    levels: tuple[tuple[str, str], ...] = ()
    include_generated: bool = False
    go_version: str | None = None
    debug: bool = False
    cwd: str = ""
    cache_dir: str | None = None
    cache_key: str = ""  # settings and code identity, computed once by the caller
    build: BuildTarget = field(default_factory=BuildTarget)  # constraints are evaluated for it
    report_unused_ignores: bool = False


@dataclass
class RunResult:
    findings: list[Finding] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    files: int = 0
    packages: int = 0


def check_unit(unit: Unit, settings: Settings) -> tuple[PackageResult, int, int]:
    """Check one directory; returns (result, files parsed, packages checked)."""
    quick_key = _stat_key(unit, settings) if settings.cache_dir else None
    if quick_key is not None:
        cached = cache.load(settings.cache_dir, quick_key)
        if cached is not None:
            return cached
    result = PackageResult()
    sources: list[tuple[Path, str, bytes]] = []
    target = settings.build.for_module(nearest_gomod(unit.directory))
    for path in unit.files:
        if not target.builds_name(path.name):
            continue
        shown = display_path(path, settings.cwd)
        try:
            data = read_go_bytes(path)
        except SourceError as exc:
            result.notices.append(Notice("skipped", str(exc), shown))
            continue
        generated = not settings.include_generated and is_generated(data)
        if not generated and _builds(target, data, shown, result.notices):
            sources.append((path, shown, data))
    key = None
    if settings.cache_dir:
        key = cache.entry_key(
            settings.cache_key,
            display_path(unit.directory, settings.cwd),
            [(shown, data) for _, shown, data in sources],
            repr(sorted(map(str, unit.report_paths or ())))
            + repr(result.notices)
            + _gomod_identity(unit.directory),
        )
        cached = cache.load(settings.cache_dir, key)
        if cached is not None:
            if quick_key is not None:  # same contents, new stat data (a checkout, a touch)
                cache.store(settings.cache_dir, quick_key, *cached)
            return cached
    if unit.report_paths is not None:
        sources = _packages_of_named_files(sources, unit.report_paths)
    parsed: list[GoFile] = []
    for path, shown, data in sources:
        try:
            go_file = parse_file(path, shown, data)
        except (ValueError, RecursionError) as exc:  # tree-sitter refusing pathological input
            result.notices.append(Notice("skipped", f"cannot parse: {exc}", shown))
            continue
        if go_file.has_syntax_errors:
            result.notices.append(
                Notice("syntax", "syntax errors; checked where the parser recovered", shown)
            )
        parsed.append(go_file)
    checked = _check_files(unit, parsed, settings, result)
    if key is not None and not any(n.kind == "internal-error" for n in result.notices):
        for entry in (key, quick_key):
            if entry is not None:
                cache.store(settings.cache_dir, entry, *checked)
    return checked


def _builds(target: BuildTarget, data: bytes, shown: str, notices: list[Notice]) -> bool:
    """Whether the file's build constraints hold for the target; an unreadable `//go:build`
    line is reported and the file checked as if it had none (go would refuse the package)."""
    try:
        return target.builds_content(data)
    except ConstraintError as exc:
        notices.append(Notice("warning", f"invalid //go:build line ({exc}); checked anyway", shown))
        return True


def _stat_key(unit: Unit, settings: Settings) -> str | None:
    """A cache key from the files' stat data, so a warm run need not read them at all.

    Size, inode and nanosecond mtime and ctime: ctime changes with every write and cannot be
    set back by tools, so equal stat data means equal contents. When it differs (a checkout
    that rewrote identical files), the content key still finds the entry, and this key is
    written next to it.
    """
    signature = []
    for path in unit.files:
        try:
            info = os.stat(path)
        except OSError:
            return None  # let the full path report what is wrong with the file
        signature.append(
            f"{path}:{info.st_size}:{info.st_ino}:{info.st_mtime_ns}:{info.st_ctime_ns}"
        )
    return cache.entry_key(
        settings.cache_key,
        "stat:" + display_path(unit.directory, settings.cwd),
        [],
        "\n".join(signature)
        + repr(sorted(map(str, unit.report_paths or ())))
        + _gomod_identity(unit.directory),
    )


_PACKAGE_CLAUSE = re.compile(rb"^package\s+(\w+)", re.MULTILINE)


def _packages_of_named_files(
    sources: list[tuple[Path, str, bytes]], named: set[Path]
) -> list[tuple[Path, str, bytes]]:
    """Pre-commit names files: parse only their packages (not, say, the `x_test` package
    beside them), which is most of a one-file run's cost in a large directory."""

    def clause(data: bytes) -> bytes | None:
        match = _PACKAGE_CLAUSE.search(data)
        return match.group(1) if match else None

    wanted_paths = {os.path.abspath(p) for p in named}
    wanted = {clause(data) for path, _, data in sources if os.path.abspath(path) in wanted_paths}
    return [source for source in sources if clause(source[2]) in wanted]


def _gomod_identity(directory: Path) -> str:
    gomod = nearest_gomod(directory)
    if gomod is None:
        return "no-go.mod"
    # godebug (asynctimerchan=1) changes what the timer rules report; problems are notices.
    # The toolchain directive sets the release tags build constraints are evaluated with.
    return repr(
        (
            gomod.module_path,
            gomod.go_version,
            gomod.toolchain,
            sorted(gomod.godebug.items()),
            gomod.problems,
        )
    )


def _check_files(
    unit: Unit, parsed: list[GoFile], settings: Settings, result: PackageResult
) -> tuple[PackageResult, int, int]:
    gomod = nearest_gomod(unit.directory)
    if gomod is not None:  # a malformed go.mod is a warning; what could be read is used
        shown = display_path(gomod.path, settings.cwd)
        result.notices.extend(Notice("warning", f"go.mod: {p}", shown) for p in gomod.problems)
    go_version = parse_version(settings.go_version) if settings.go_version else None
    if go_version is None and gomod is not None:
        go_version = gomod.go_version
    rules = [r for r in all_rules() if r.code in settings.enabled and r.check is not None]
    levels = dict(settings.levels)
    report_paths = (
        frozenset(os.path.abspath(p) for p in unit.report_paths)
        if unit.report_paths is not None
        else None
    )
    groups = group_into_packages(parsed)
    for (directory, name), files in sorted(groups.items(), key=lambda kv: kv[0][1]):
        if report_paths is not None and not any(
            os.path.abspath(f.path) in report_paths for f in files
        ):
            continue  # pre-commit named no file of this package: nothing to report
        package = Package(
            directory=directory,
            name=name,
            files=files,
            go_version=go_version,
            module_path=gomod.module_path if gomod else None,
            report_paths=report_paths,
        )
        log = SuppressionLog()
        ran = []
        with checking(package):  # package facts are shared by the rules, then dropped
            for rule in rules:
                found = _run_rule(rule, package, levels, settings, result.notices, log)
                if found is not None:
                    ran.append(rule)
                    result.findings.extend(found)
        if settings.report_unused_ignores:
            judged = [
                f for f in files if report_paths is None or os.path.abspath(f.path) in report_paths
            ]
            result.notices.extend(log.unused(judged, ran))
    return result, len(parsed), len(groups)


def _run_rule(
    rule: Rule,
    package: Package,
    levels: dict[str, str],
    settings: Settings,
    notices: list[Notice],
    log: SuppressionLog,
) -> list[Finding] | None:
    """The rule's findings on the package, not silenced by a comment; None if it failed."""
    reported = (
        {f.display_path for f in package.files if os.path.abspath(f.path) in package.report_paths}
        if package.report_paths is not None
        else None
    )
    try:
        raw = list(rule.check(package))
    except Exception as exc:  # one rule failing must not stop the run
        where = package.files[0].display_path if package.files else str(package.directory)
        detail = traceback.format_exc() if settings.debug else f"{type(exc).__name__}: {exc}"
        notices.append(
            Notice(
                "internal-error",
                f"internal error in rule {rule.code} ({rule.name}) on package "
                f"{package.name}: {detail}",
                where,
                rule.code,
            )
        )
        return None
    kept = [
        finding
        for finding in raw
        if (reported is None or finding.location.path in reported)
        and (rule.test_files or not finding.location.path.endswith("_test.go"))
    ]
    return finish(rule, kept, levels, _PackageFiles(package, log))


class FindingFiles(Protocol):
    """The files a pass's findings are in, as `finish` needs them."""

    def silenced(self, location: Location, rule: Rule) -> bool:
        """Whether a suppression comment there silences the rule."""
        ...

    def identity(self, location: Location) -> str:
        """The file as fingerprints name it, the same from any checkout and directory."""
        ...


class _PackageFiles:
    """The parsed files of one package, their comments logged as they silence findings."""

    def __init__(self, package: Package, log: SuppressionLog) -> None:
        self._by_path = {f.display_path: f for f in package.files}
        self._log = log

    def silenced(self, location: Location, rule: Rule) -> bool:
        go_file = self._by_path.get(location.path)
        return go_file is not None and self._log.silenced(go_file, location.line, rule)

    def identity(self, location: Location) -> str:
        go_file = self._by_path.get(location.path)
        if go_file is None:
            return location.path
        return module_file_path(go_file.path.parent, go_file.path.name) or go_file.display_path


def finish(
    rule: Rule, raw: Iterable[Finding], levels: Mapping[str, str], files: FindingFiles
) -> list[Finding]:
    """A rule's findings as users see them: silenced ones dropped, level and fingerprint set.

    Both passes end here: the static rules' findings and those the command line builds from
    runtime evidence (GLK900, GLK901). The level is the config's (`levels`, by code or name),
    else the finding's own (a rule may lower it, e.g. harmless on new Go), else the rule's.
    The fingerprint hashes the rule, the file's identity and the finding's own seed.
    """
    configured_level = levels.get(rule.code) or levels.get(rule.name)
    findings = []
    occurrences: dict[tuple[str, str, str], int] = {}
    # Findings that share a node (three maps of one `var stats = struct{...}`) share a seed
    # and are told apart by their occurrence index; counting in location-and-message order,
    # not in the order a rule happened to yield them (set order, which varies with
    # PYTHONHASHSEED), keeps each fingerprint on its own finding in every run.
    for finding in sorted(raw, key=Finding.sort_key):
        if files.silenced(finding.location, rule):
            continue
        seed = (rule.code, files.identity(finding.location), finding.fingerprint)
        count = occurrences.get(seed, 0)
        occurrences[seed] = count + 1
        findings.append(
            finding.with_(
                rule=rule.code,
                name=rule.name,
                level=configured_level or finding.level or rule.level,
                fingerprint=fingerprint(*seed, str(count)),
            )
        )
    return findings


def _worker(args: tuple[Unit, Settings]) -> tuple[PackageResult, int, int]:
    unit, settings = args
    return check_unit(unit, settings)


def _init_worker() -> None:
    # Ctrl-C reaches the whole process group: only the parent handles it, once.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    all_rules()  # import rule modules (and compile their queries) once per process


def run(
    units: list[Unit],
    settings: Settings,
    jobs: int,
    progress: Callable[[], None] | None = None,
) -> RunResult:
    """Check all units; results are sorted so output is identical for any `jobs`.
    `progress` is called once per unit checked."""
    outcome = RunResult()
    for result, files, packages in _map(units, settings, jobs):
        if progress is not None:
            progress()
        outcome.findings.extend(result.findings)
        outcome.notices.extend(result.notices)
        outcome.files += files
        outcome.packages += packages
    outcome.findings.sort(key=Finding.sort_key)
    # Every directory of a module repeats its go.mod's warnings: say each once.
    outcome.notices = sorted(
        set(outcome.notices), key=lambda n: (n.path, n.line, n.kind, n.message, n.rule)
    )
    return outcome


def _unit_bytes(unit: Unit) -> int:
    total = 0
    for path in unit.files:
        with contextlib.suppress(OSError):
            total += os.stat(path).st_size
    return total


def _map(
    units: list[Unit], settings: Settings, jobs: int
) -> Iterator[tuple[PackageResult, int, int]]:
    work: Iterable[tuple[Unit, Settings]] = ((u, settings) for u in units)
    jobs = max(1, min(jobs, len(units)))
    if jobs == 1:
        all_rules()
        yield from map(_worker, work)
        return
    # Largest directories first, in small chunks: the workers then finish together instead
    # of one of them parsing the runtime package alone at the end.
    largest_first = sorted(units, key=_unit_bytes, reverse=True)
    work = ((u, settings) for u in largest_first)
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker)
    try:
        yield from pool.map(_worker, work, chunksize=2)
    except BaseException:
        # Ctrl-C or a failure: do not wait for the remaining packages.
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


def _rule_keys() -> dict[str, set[str]]:
    by_key = {}
    for rule in all_rules():
        by_key[rule.code] = {rule.code}
        by_key[rule.name] = {rule.code}
    by_key["all"] = {r.code for r in all_rules()}
    by_key["default"] = {r.code for r in all_rules() if r.default}
    return by_key


def _resolve(items: Iterable[str], by_key: dict[str, set[str]]) -> set[str]:
    codes: set[str] = set()
    for item in items:
        for part in item.split(","):  # `GLK101,GLK202` as well as repeated options
            key = part.strip()
            if not key:
                continue
            found = by_key.get(key.upper()) or by_key.get(key.lower())
            if found is None:
                raise ValueError(f"unknown rule {key!r} (see --list-rules)")
            codes |= found
    return codes


def enabled_rules(enable: Iterable[str], disable: Iterable[str]) -> tuple[str, ...]:
    """Codes of enabled rules: the default set, or only `enable` if given, minus `disable`.

    Items may be comma lists. In `enable`, `default` stands for the default set and `all` for
    every rule, so an opt-in rule is added with `default,GLK401`. Unknown names raise
    ValueError so a typo in a config is not silently a no-op.
    """
    by_key = _rule_keys()
    enable_set, disable_set = _resolve(enable, by_key), _resolve(disable, by_key)
    chosen = enable_set or by_key["default"]
    return tuple(sorted(chosen - disable_set))


def evidence_rules(enable: Iterable[str], disable: Iterable[str]) -> tuple[str, ...]:
    """Opt-in rules to run when runtime evidence is given, reporting only what it confirms.

    A rule is opt-in because it is not precise enough alone; a candidate that goroutines or
    heap growth confirm is a leak all the same. These are the opt-in rules that evidence can
    confirm and that the selection leaves out without excluding them: not disabled, and
    `enable`, if given, asks for the default set (an explicit list is taken at its word).
    """
    by_key = _rule_keys()
    enable = list(enable)
    if enable and not by_key["default"] <= _resolve(enable, by_key):
        return ()
    chosen = set(enabled_rules(enable, disable)) | _resolve(disable, by_key)
    return tuple(
        sorted(
            rule.code
            for rule in all_rules()
            if not rule.default and rule.confirmable_by and rule.code not in chosen
        )
    )
