"""The command line: options, exit codes, and nothing else.

Exit codes: 0 nothing found (or only findings below --fail-on), 1 findings at or above
--fail-on, 2 usage or internal error. Errors are one line on
stderr; a Python traceback is shown only with --debug.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import traceback
from dataclasses import dataclass
from pathlib import Path

import click

from linter import __version__
from linter.cache import default_cache_dir, settings_key
from linter.cli_runtime import EvidenceOptions, EvidenceProblem, with_evidence
from linter.config import FAIL_ON_CHOICES, Config, ConfigError, find_config, load_config
from linter.discover import PatternError, discover, parse_shard, select_shard
from linter.engine import RunResult, Settings, enabled_rules, evidence_rules, run
from linter.findings import ERROR_KINDS, LEVELS, Finding, Notice
from linter.gomod import parse_version
from linter.registry import all_rules, find_rule
from linter.report import json as json_report
from linter.report import sarif as sarif_report
from linter.report import text as text_report
from linter.units import parse_duration, parse_size

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


@dataclass(frozen=True)
class Options:
    """The command line as parsed by click (one field per option)."""

    patterns: tuple[str, ...]
    output_format: str
    output: str | None
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


def write_output(content: str, output: str | None) -> None:
    """Write atomically: an interrupted run never leaves a half-written report behind."""
    if output is None or output == "-":
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


def list_rules() -> str:
    lines = []
    for rule in all_rules():
        opt_in = "" if rule.default else "  (opt-in: --enable default," + rule.code + ")"
        lines.append(
            f"{rule.code}  {rule.name:<28} {rule.level:<8} {rule.precision:<7} {rule.summary}"
            f"{opt_in}"
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
        f"tags: {', '.join(rule.tags)}"
    )
    return f"{header}\n{meta}\n\n{rule.doc}\n"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' if count != 1 else ''}"


def _summary(result: RunResult) -> str:
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
    return "golint-leaks: " + ", ".join(parts)


def fails(findings: list[Finding], fail_on: str) -> bool:
    """Whether any finding is at `fail_on` or more severe (LEVELS runs from most severe)."""
    if fail_on == "none":
        return False
    failing = LEVELS[: LEVELS.index(fail_on) + 1]
    return any(finding.level in failing for finding in findings)


def _print_notices(notices: list[Notice]) -> None:
    for notice in notices:
        where = f"{notice.path}: " if notice.path else ""
        click.echo(f"{where}{notice.kind}: {notice.message}", err=True)


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("patterns", nargs=-1)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "sarif"]),
    default="text",
    show_default=True,
    help="Report format.",
)
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON_CHOICES),
    help="Lowest level that makes the exit code 1 (config: fail-on) [warning].",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report here.")
@click.option(
    "--enable",
    multiple=True,
    metavar="CODE|NAME",
    help="Run only these rules (`default` = the default set, `all` = every rule).",
)
@click.option("--disable", multiple=True, metavar="CODE|NAME", help="Do not run these rules.")
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
    except (UsageProblem, ConfigError, PatternError, EvidenceProblem) as exc:
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


def _main(opts: Options) -> int:
    if opts.list_rules:
        write_output(list_rules(), None)
        return EXIT_CLEAN
    if opts.explain:
        write_output(explain(opts.explain), None)
        return EXIT_CLEAN
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
    discovery = discover(list(opts.patterns), config.exclude, config.root)
    shard = parse_shard(opts.shard) if opts.shard else None
    if shard is not None:
        discovery.units = select_shard(discovery.units, *shard)
    levels = tuple(sorted(config.levels.items()))
    include_generated = opts.include_generated or config.include_generated
    go_version = opts.go_version or config.go_version
    if go_version is not None and parse_version(go_version) is None:
        raise UsageProblem(f"--go-version {go_version!r}: expected a Go version such as 1.22")
    cwd = os.getcwd()
    settings = Settings(
        enabled=enabled + rescued,
        levels=levels,
        include_generated=include_generated,
        go_version=go_version,
        debug=opts.debug,
        cwd=cwd,
        cache_dir=None if opts.no_cache else (opts.cache_dir or default_cache_dir()),
        cache_key=settings_key(enabled + rescued, levels, include_generated, go_version, cwd),
    )
    result = run(discovery.units, settings, opts.jobs or os.cpu_count() or 1)
    if evidence.requested:
        result.findings, notices = with_evidence(
            result.findings, evidence, discovery.units, settings, frozenset(rescued)
        )
        result.notices.extend(notices)
    result.notices[:0] = [Notice("skipped", why, path) for path, why in discovery.skipped]
    if opts.output_format == "text":
        content = text_report.render(result.findings)
    elif opts.output_format == "json":
        content = json_report.render(result.findings, result.notices, result.files, result.packages)
    else:
        automation_id = f"golint-leaks/shard-{shard[0]}-of-{shard[1]}/" if shard else None
        content = sarif_report.render(result.findings, result.notices, all_rules(), automation_id)
    write_output(content, opts.output)
    _print_notices(result.notices)
    if result.files == 0 and not discovery.units:
        click.echo("golint-leaks: no Go files to check", err=True)
    else:
        click.echo(_summary(result), err=True)
    if any(n.kind in ERROR_KINDS for n in result.notices):
        return EXIT_ERROR
    fail_on = opts.fail_on or config.fail_on or "warning"
    return EXIT_FINDINGS if fails(result.findings, fail_on) else EXIT_CLEAN
