"""`.golint-leaks.toml`: which rules run, at what level, which paths are excluded.

Values are data only: they are type-checked and never evaluated.
"""

from __future__ import annotations

import contextlib
import sys
from dataclasses import dataclass, field
from pathlib import Path

from linter.buildtarget import parse_tags
from linter.findings import LEVELS
from linter.units import parse_size

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CONFIG_NAME = ".golint-leaks.toml"
_TOP_KEYS = {
    "enable",
    "disable",
    "exclude",
    "include-generated",
    "go-version",
    "fail-on",
    "tags",
    "goos",
    "goarch",
    "tests",
    "rules",
    "runtime",
}
# The lowest level that makes the exit code 1; "none" never fails on findings.
FAIL_ON_CHOICES = (*LEVELS, "none")


class ConfigError(Exception):
    """A config file that cannot be used; the message names the file and the key."""


@dataclass
class Config:
    path: Path | None = None
    enable: list[str] = field(default_factory=list)
    disable: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    include_generated: bool = False
    go_version: str | None = None
    levels: dict[str, str] = field(default_factory=dict)
    fail_on: str | None = None
    tags: tuple[str, ...] = ()
    goos: str | None = None
    goarch: str | None = None
    tests: bool = True
    ignore_functions: list[str] = field(default_factory=list)
    heap_min_growth: int | None = None
    heap_large_growth: int | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def root(self) -> Path:
        """Exclude globs are relative to the directory holding the config file."""
        return self.path.parent if self.path else Path.cwd()


def find_config(start: Path) -> Path | None:
    current = start.resolve()
    for directory in (current, *current.parents):
        candidate = directory / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


def _string_list(data: dict, key: str, where: str) -> list[str]:
    value = data.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: '{key}' must be a list of strings")
    return value


def load_config(path: Path | None) -> Config:
    if path is None:
        return Config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc
    where = str(path)
    config = Config(path=path)
    config.warnings = [f"{where}: unknown key '{k}' ignored" for k in data if k not in _TOP_KEYS]
    config.enable = _string_list(data, "enable", where)
    config.disable = _string_list(data, "disable", where)
    config.exclude = _string_list(data, "exclude", where)
    generated = data.get("include-generated", False)
    if not isinstance(generated, bool):
        raise ConfigError(f"{where}: 'include-generated' must be true or false")
    config.include_generated = generated
    tests = data.get("tests", True)
    if not isinstance(tests, bool):
        raise ConfigError(f"{where}: 'tests' must be true or false")
    config.tests = tests
    go_version = data.get("go-version")
    if go_version is not None and not isinstance(go_version, str):
        raise ConfigError(f"{where}: 'go-version' must be a string like \"1.22\"")
    config.go_version = go_version
    fail_on = data.get("fail-on")
    if fail_on is not None and fail_on not in FAIL_ON_CHOICES:
        raise ConfigError(f"{where}: 'fail-on' must be one of {', '.join(FAIL_ON_CHOICES)}")
    config.fail_on = fail_on
    try:
        config.tags = parse_tags(",".join(_string_list(data, "tags", where)))
    except ValueError as exc:
        raise ConfigError(f"{where}: 'tags': {exc}") from exc
    for key in ("goos", "goarch"):
        value = data.get(key)
        if value is not None and not isinstance(value, str):
            raise ConfigError(f"{where}: '{key}' must be a string like \"linux\"")
        setattr(config, key, value)
    rules = data.get("rules", {})
    if not isinstance(rules, dict):
        raise ConfigError(f"{where}: [rules] must be a table")
    for rule, settings in rules.items():
        if not isinstance(settings, dict):
            raise ConfigError(f"{where}: [rules.{rule}] must be a table")
        level = settings.get("level")
        if level is not None:
            if level not in LEVELS:
                raise ConfigError(f"{where}: rules.{rule}.level must be one of {LEVELS}")
            config.levels[rule] = level
    runtime = data.get("runtime", {})
    if not isinstance(runtime, dict):
        raise ConfigError(f"{where}: [runtime] must be a table")
    config.ignore_functions = _string_list(runtime, "ignore-functions", f"{where} [runtime]")
    config.heap_min_growth = _size(runtime, "heap-min-growth", where)
    config.heap_large_growth = _size(runtime, "heap-large-growth", where)
    return config


def _size(runtime: dict, key: str, where: str) -> int | None:
    """A size in bytes (`"1MB"`, `"512kB"`, or a number of bytes), or None when not set."""
    value = runtime.get(key)
    if value is None:
        return None
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            return parse_size(value)
    elif isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    raise ConfigError(f'{where}: runtime.{key} must be a size such as "1MB" or "512kB"')
