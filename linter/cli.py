"""The command line: options, exit codes, and nothing else.

Exit codes: 0 nothing found (or only findings below --fail-on), 1 findings at or above
--fail-on, 2 usage or internal error. Errors are one line on
stderr; a Python traceback is shown only with --debug.
"""

from __future__ import annotations

import os
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

import click

from linter import __version__
from linter.baseline import BaselineError
from linter.buildtarget import KNOWN_ARCH, KNOWN_OS, BuildTarget, parse_tags
from linter.cache import default_cache_dir, settings_key
from linter.changes import ChangesError
from linter.cli_runtime import EvidenceOptions, EvidenceProblem, with_evidence
from linter.config import FAIL_ON_CHOICES, Config, ConfigError, find_config, load_config
from linter.discover import PatternError, discover, parse_shard, select_shard
from linter.engine import RunResult, Settings, enabled_rules, evidence_rules, run
from linter.findings import ERROR_KINDS, LEVELS, Finding, Notice
from linter.gomod import parse_version
from linter.newfindings import NewFindings
from linter.progress import Progress
from linter.registry import all_rules, find_rule
from linter.report import FORMATS, ReportData, render
from linter.report.paths import RepoPaths
from linter.report.targets import TargetError, plan
from linter.units import parse_duration, parse_size

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


@dataclass(frozen=True)
class Options:
    """The command line as parsed by click (one field per option)."""

    patterns: tuple[str, ...]
    output_format: str | None
    output: str | None
    reports: tuple[str, ...]
    enable: tuple[str, ...]
    disable: tuple[str, ...]
    list_rules: bool
    explain: str | None
    config_path: str | None
    jobs: int | None
    include_generated: bool
    go_version: str | None
    debug: bool
    dump: tuple[str, ...]
    dump_baseline: str | None
    min_goroutines: int
    min_wait: int
    cache_dir: str | None
    no_cache: bool
    shard: str | None
    fail_on: str | None
    path_prefix: str | None
    new_from_rev: str | None
    new_from_patch: str | None
    baseline: str | None
    tests: bool | None
    report_unused_ignores: bool
    tags: str | None
    goos: str | None
    goarch: str | None
    heap: tuple[str, ...]
    heap_baseline: str | None
    heap_min_growth: int | None
    heap_large_growth: int | None
    pprof: str | None
    warmup: float
    interval: float
    snapshots: int
    save: str | None
    pprof_timeout: float


class UsageProblem(Exception):
    """A problem the user can fix; printed as one line, exit 2."""


class _Duration(click.ParamType):
    """A Go duration (`30s`, `2m`, `1h30m`), in seconds."""

    name = "duration"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None):
        if isinstance(value, float):
            return value
        try:
            return parse_duration(str(value))
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


class _Size(click.ParamType):
    """A size as pprof prints it (`512kB`, `1MB`), in bytes."""

    name = "size"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None):
        if isinstance(value, int):
            return value
        try:
            return parse_size(str(value))
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


def list_rules() -> str:
    lines = []
    for rule in all_rules():
        marks = [] if rule.default else [f"opt-in: --enable default,{rule.code}"]
        marks += [] if rule.test_files else ["not in _test.go files"]
        lines.append(
            f"{rule.code}  {rule.name:<28} {rule.level:<8} {rule.precision:<7} {rule.summary}"
            + (f"  ({'; '.join(marks)})" if marks else "")
        )
    return "\n".join(lines) + "\n"


def explain(code_or_name: str) -> str:
    rule = find_rule(code_or_name)
    if rule is None:
        raise UsageProblem(f"unknown rule {code_or_name!r} (see --list-rules)")
    header = f"{rule.code} {rule.name} — {rule.summary}"
    meta = (
        f"default level: {rule.level}; precision: {rule.precision}; "
        f"{'on by default' if rule.default else 'opt-in (--enable default,' + rule.code + ')'}; "
        f"{'' if rule.test_files else 'not reported in _test.go files; '}"
        f"tags: {', '.join(rule.tags)}"
    )
    return f"{header}\n{meta}\n\n{rule.doc}\n"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' if count != 1 else ''}"


def _summary(result: RunResult, hidden: int) -> str:
    skipped = sum(1 for n in result.notices if n.kind == "skipped")
    per_level = [
        _plural(count, level)
        for level in LEVELS
        if (count := sum(1 for f in result.findings if f.level == level))
    ]
    parts = [
        _plural(len(result.findings), "finding")
        + (f" ({', '.join(per_level)})" if per_level else ""),
        f"{result.files} file{'s' if result.files != 1 else ''}",
        f"{result.packages} package{'s' if result.packages != 1 else ''}",
    ]
    if skipped:
        parts.append(f"{skipped} file{'s' if skipped != 1 else ''} skipped")
    if hidden:
        parts.append(f"{_plural(hidden, 'older finding')} not shown")
    return "golint-leaks: " + ", ".join(parts)


def fails(findings: list[Finding], fail_on: str) -> bool:
    """Whether any finding is at `fail_on` or more severe (LEVELS runs from most severe)."""
    if fail_on == "none":
        return False
    failing = LEVELS[: LEVELS.index(fail_on) + 1]
    return any(finding.level in failing for finding in findings)


def _print_notices(notices: list[Notice]) -> None:
    for notice in notices:
        where = notice.path + (f":{notice.line}" if notice.line else "")
        where = f"{where}: " if where else ""
        click.echo(f"{where}{notice.kind}: {notice.message}", err=True)


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("patterns", nargs=-1)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    help="Format of the main report [text].",
)
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON_CHOICES),
    help="Lowest level that makes the exit code 1 (config: fail-on) [warning].",
)
@click.option("-o", "--output", metavar="FILE", help="Write the main report here [stdout].")
@click.option(
    "--report",
    "reports",
    multiple=True,
    metavar="FORMAT[:PATH]",
    help="Also write a report in FORMAT to PATH (default stdout, replacing the text report); "
    "repeatable: one analysis, several reports.",
)
@click.option(
    "--enable",
    multiple=True,
    metavar="CODE|NAME",
    help="Run only these rules, a comma list (`default` = the default set, `all` = every rule).",
)
@click.option(
    "--disable", multiple=True, metavar="CODE|NAME", help="Do not run these rules (comma list)."
)
@click.option(
    "--tests",
    type=click.BOOL,
    metavar="true|false",
    help="Check _test.go files (config: tests) [true].",
)
@click.option(
    "--report-unused-ignores",
    is_flag=True,
    help="Report ignore comments that silence nothing (as notices, not findings).",
)
@click.option("--list-rules", is_flag=True, help="List the rules and exit.")
@click.option("--explain", metavar="CODE|NAME", help="Show a rule's documentation and exit.")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    help="Config file (default: .golint-leaks.toml found upwards from here).",
)
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="Worker processes [CPU count].")
@click.option("--include-generated", is_flag=True, help="Also check generated files.")
@click.option("--go-version", metavar="1.N", help="Override the go.mod go version.")
@click.option(
    "--tags",
    metavar="TAG,...",
    help="Build tags that hold, as for go vet -tags (config: tags).",
)
@click.option(
    "--goos", metavar="GOOS", help="Target OS for build constraints (config: goos) [linux]."
)
@click.option("--goarch", metavar="GOARCH", help="Target architecture (config: goarch) [amd64].")
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False),
    help="Where results are cached [the user cache directory].",
)
@click.option("--no-cache", is_flag=True, help="Neither read nor write the result cache.")
@click.option(
    "--shard",
    metavar="I/N",
    help="Check only shard I of N (1-based): a stable split of the packages for CI matrices.",
)
@click.option(
    "--new-from-rev",
    metavar="REV",
    help="Report only findings on lines changed since the git revision REV "
    "(committed, uncommitted and untracked changes).",
)
@click.option(
    "--new-from-patch",
    type=click.Path(dir_okay=False),
    metavar="FILE",
    help="Report only findings on lines a unified diff adds (paths relative to the "
    "repository root, as git diff writes them).",
)
@click.option(
    "--baseline",
    type=click.Path(dir_okay=False),
    metavar="REPORT",
    help="An earlier JSON or SARIF report: do not report the findings it contains.",
)
@click.option(
    "--path-prefix",
    metavar="DIR",
    help="Where the current directory sits in the repository, for SARIF and CI paths "
    "[detected: git top level, else the outermost go.mod].",
)
@click.option("--debug", is_flag=True, help="Show tracebacks for internal errors.")
@click.option(
    "--dump",
    multiple=True,
    type=click.Path(dir_okay=False),
    metavar="FILE",
    help="Goroutine dump to confirm findings with (repeatable): traceback, pprof "
    "goroutine/goroutineleak profile (debug=0, 1, 2) or goleak output.",
)
@click.option(
    "--dump-baseline",
    type=click.Path(dir_okay=False),
    metavar="FILE",
    help="Dump of the same process taken earlier: report only goroutine groups that grew.",
)
@click.option(
    "--min-goroutines",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    help="Blocked goroutines at one place before a dump group counts as a leak.",
)
@click.option(
    "--min-wait",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    metavar="MINUTES",
    help="Minutes a dump group must have been blocked to count as a leak.",
)
@click.option(
    "--heap",
    multiple=True,
    type=click.Path(dir_okay=False),
    metavar="FILE",
    help="Heap profile (pprof protobuf, from /debug/pprof/heap?gc=1), repeatable, oldest "
    "first: retained growth confirms findings or is reported as GLK901.",
)
@click.option(
    "--heap-baseline",
    type=click.Path(dir_okay=False),
    metavar="FILE",
    help="Heap profile of the same process taken before the --heap ones.",
)
@click.option(
    "--heap-min-growth",
    type=_Size(),
    metavar="SIZE",
    help="Retained growth at a site below this is ignored (config: heap-min-growth) [1MB].",
)
@click.option(
    "--heap-large-growth",
    type=_Size(),
    metavar="SIZE",
    help="Growth that makes GLK901 a warning between two snapshots "
    "(config: heap-large-growth) [64MB].",
)
@click.option(
    "--pprof",
    metavar="URL",
    help="Capture heap profiles and goroutine dumps from this running service's "
    "net/http/pprof (http:// or https:// base URL) and use them as evidence.",
)
@click.option(
    "--warmup",
    type=_Duration(),
    default="0",
    metavar="DURATION",
    help="With --pprof: wait this long before the first snapshot (Go syntax: 30s, 2m).",
)
@click.option(
    "--interval",
    type=_Duration(),
    default="2m",
    show_default=True,
    metavar="DURATION",
    help="With --pprof: time between snapshots.",
)
@click.option(
    "--snapshots",
    type=click.IntRange(min=2),
    default=2,
    show_default=True,
    help="With --pprof: how many snapshots to take (3 or more show steady growth).",
)
@click.option(
    "--save",
    type=click.Path(file_okay=False),
    metavar="DIR",
    help="With --pprof: keep the captured files here, to repeat the run offline.",
)
@click.option(
    "--pprof-timeout",
    type=_Duration(),
    default="30s",
    show_default=True,
    metavar="DURATION",
    help="With --pprof: how long to wait for each answer.",
)
@click.version_option(__version__, "--version", prog_name="golint-leaks")
def main(**options: object) -> None:
    """Find goroutine and memory leaks in Go packages (default pattern: ./...)."""
    opts = Options(**options)  # type: ignore[arg-type]
    try:
        code = _main(opts)
    except (
        UsageProblem,
        ConfigError,
        PatternError,
        ChangesError,
        BaselineError,
        TargetError,
        EvidenceProblem,
    ) as exc:
        click.echo(f"golint-leaks: {exc}", err=True)
        code = EXIT_ERROR
    except KeyboardInterrupt:
        click.echo("golint-leaks: interrupted", err=True)
        code = 130
    except Exception as exc:  # the user gets one line, not a traceback, unless --debug
        if opts.debug:
            traceback.print_exc()
        click.echo(f"golint-leaks: internal error: {type(exc).__name__}: {exc}", err=True)
        code = EXIT_ERROR
    sys.exit(code)


def _evidence_options(opts: Options, config: Config) -> EvidenceOptions:
    defaults = EvidenceOptions()
    options = EvidenceOptions(
        dumps=opts.dump,
        dump_baseline=opts.dump_baseline,
        min_goroutines=opts.min_goroutines,
        min_wait=opts.min_wait,
        ignore_functions=frozenset(config.ignore_functions),
        heaps=opts.heap,
        heap_baseline=opts.heap_baseline,
        heap_min_growth=_first(
            opts.heap_min_growth, config.heap_min_growth, defaults.heap_min_growth
        ),
        heap_large_growth=_first(
            opts.heap_large_growth, config.heap_large_growth, defaults.heap_large_growth
        ),
        pprof=opts.pprof,
        warmup=opts.warmup,
        interval=opts.interval,
        snapshots=opts.snapshots,
        save=opts.save,
        pprof_timeout=opts.pprof_timeout,
    )
    options.check()
    return options


def _first(*values: int | None) -> int:
    return next(value for value in values if value is not None)


def _build_target(opts: Options, config: Config, go_version: str | None) -> BuildTarget:
    """The target build constraints are evaluated for: options, then config, then defaults."""
    goos = opts.goos or config.goos or "linux"
    goarch = opts.goarch or config.goarch or "amd64"
    if goos not in KNOWN_OS:
        raise UsageProblem(f"unknown GOOS {goos!r} (known: {', '.join(sorted(KNOWN_OS))})")
    if goarch not in KNOWN_ARCH:
        raise UsageProblem(f"unknown GOARCH {goarch!r} (known: {', '.join(sorted(KNOWN_ARCH))})")
    try:
        tags = parse_tags(opts.tags) if opts.tags is not None else config.tags
    except ValueError as exc:
        raise UsageProblem(f"--tags: {exc}") from exc
    return BuildTarget(goos, goarch, tags, parse_version(go_version) if go_version else None)


def _main(opts: Options) -> int:
    if opts.list_rules:
        click.echo(list_rules(), nl=False)
        return EXIT_CLEAN
    if opts.explain:
        click.echo(explain(opts.explain), nl=False)
        return EXIT_CLEAN
    targets = plan(opts.output_format, opts.output, opts.reports)
    if opts.config_path and not Path(opts.config_path).is_file():
        raise UsageProblem(f"{opts.config_path}: config file not found")
    config_file = Path(opts.config_path) if opts.config_path else find_config(Path.cwd())
    config = load_config(config_file)
    for warning in config.warnings:
        click.echo(f"golint-leaks: warning: {warning}", err=True)
    evidence = _evidence_options(opts, config)
    enable, disable = list(opts.enable) or config.enable, [*config.disable, *opts.disable]
    try:
        enabled = enabled_rules(enable, disable)
        rescued = evidence_rules(enable, disable) if evidence.requested else ()
    except ValueError as exc:
        raise UsageProblem(str(exc)) from exc
    tests = config.tests if opts.tests is None else opts.tests
    discovery = discover(list(opts.patterns), config.exclude, config.root, tests)
    shard = parse_shard(opts.shard) if opts.shard else None
    if shard is not None:
        discovery.units = select_shard(discovery.units, *shard)
    levels = tuple(sorted(config.levels.items()))
    include_generated = opts.include_generated or config.include_generated
    go_version = opts.go_version or config.go_version
    if go_version is not None and parse_version(go_version) is None:
        raise UsageProblem(f"--go-version {go_version!r}: expected a Go version such as 1.22")
    cwd = os.getcwd()
    build = _build_target(opts, config, go_version)
    paths = RepoPaths(Path(cwd), opts.path_prefix)
    new_findings = NewFindings.prepare(
        revision=opts.new_from_rev,
        patch=opts.new_from_patch,
        baseline=opts.baseline,
        paths=paths,
    )
    settings = Settings(
        enabled=enabled + rescued,
        levels=levels,
        include_generated=include_generated,
        go_version=go_version,
        debug=opts.debug,
        cwd=cwd,
        cache_dir=None if opts.no_cache else (opts.cache_dir or default_cache_dir()),
        cache_key=settings_key(
            enabled + rescued,
            levels,
            include_generated,
            go_version,
            cwd,
            opts.report_unused_ignores,
            build,
        ),
        report_unused_ignores=opts.report_unused_ignores,
        build=build,
    )
    progress = Progress(len(discovery.units))
    try:
        result = run(discovery.units, settings, opts.jobs or os.cpu_count() or 1, progress.advance)
    finally:
        progress.close()
    if evidence.requested:
        result.findings, notices = with_evidence(
            result.findings, evidence, discovery.units, settings, frozenset(rescued)
        )
        result.notices.extend(notices)
    result.notices[:0] = [Notice("skipped", why, path) for path, why in discovery.skipped]
    found = len(result.findings)
    if new_findings is not None:
        result.findings = new_findings.select(result.findings, Path(cwd))
        result.notices = new_findings.select_notices(result.notices, Path(cwd))
    data = ReportData(
        findings=result.findings,
        notices=result.notices,
        files=result.files,
        packages=result.packages,
        rules=all_rules(),
        paths=paths,
        automation_id=f"golint-leaks/shard-{shard[0]}-of-{shard[1]}/" if shard else None,
    )
    for target in targets:
        target.write(render(target.format, data))
    _print_notices(result.notices)
    if result.files == 0 and not discovery.units:
        click.echo("golint-leaks: no Go files to check", err=True)
    else:
        click.echo(_summary(result, found - len(result.findings)), err=True)
    if any(n.kind in ERROR_KINDS for n in result.notices):
        return EXIT_ERROR
    fail_on = opts.fail_on or config.fail_on or "warning"
    return EXIT_FINDINGS if fails(result.findings, fail_on) else EXIT_CLEAN
