"""Durations and sizes as Go engineers write and read them.

Durations use Go's `time.ParseDuration` syntax (`30s`, `2m`, `1h30m`, `1.5s`, `250ms`), the
syntax of every Go flag. Sizes are written and printed as `go tool pprof` prints them: units
of 1024 bytes, `kB`, `MB`, `GB` (`512kB`, `1MB`, `1.5GB`; `KiB`/`MiB`/`GiB` and plain bytes are
accepted too).
"""

from __future__ import annotations

import re

_DURATION_UNITS = {
    "ns": 1e-9,
    "us": 1e-6,
    "µs": 1e-6,
    "μs": 1e-6,
    "ms": 1e-3,
    "s": 1.0,
    "m": 60.0,
    "h": 3600.0,
}
_DURATION_PART_RE = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)")
_SIZE_RE = re.compile(r"(\d+(?:\.\d*)?|\.\d+)\s*([a-z]*)", re.IGNORECASE)
_SIZE_POWERS = {
    unit: power
    for power, prefix in enumerate(("", "k", "m", "g"))
    for unit in ({"", "b"} if not prefix else {prefix, prefix + "b", prefix + "ib"})
}


def parse_duration(text: str) -> float:
    """Seconds in a Go duration (`2m`, `1h30m`, `1.5s`); ValueError when it is not one.

    Go's syntax: a sequence of decimal numbers each with a unit; a bare `0` is zero.
    Negative durations make no sense for waiting and are refused.
    """
    value = text.strip()
    if not value:
        raise ValueError("empty duration (Go syntax: 30s, 2m, 1h30m)")
    if value == "0":
        return 0.0
    position, total = 0, 0.0
    while position < len(value):
        match = _DURATION_PART_RE.match(value, position)
        if match is None:
            raise ValueError(f"invalid duration {text!r} (Go syntax: 30s, 2m, 1h30m)")
        total += float(match.group(1)) * _DURATION_UNITS[match.group(2)]
        position = match.end()
    return total


def format_duration(seconds: float) -> str:
    """`45s`, `2m0s`, `1h5m0s`: Go's own `time.Duration.String` shape, to the second."""
    whole = round(seconds)
    if whole < 60:
        if seconds < 1 and seconds > 0:
            return f"{seconds * 1000:.0f}ms"
        return f"{whole}s"
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return (f"{hours}h" if hours else "") + f"{minutes}m{secs}s"


def parse_size(text: str) -> int:
    """Bytes in a size (`1MB`, `512kB`, `1.5GiB`, `4096`); ValueError when it is not one."""
    match = _SIZE_RE.fullmatch(text.strip())
    power = _SIZE_POWERS.get(match.group(2).lower()) if match else None
    if match is None or power is None:
        raise ValueError(f"invalid size {text!r} (e.g. 512kB, 1MB, 2GB)")
    return int(float(match.group(1)) * 1024**power)


def format_bytes(count: float, signed: bool = False) -> str:
    """`4.7 MB`, `21 MB`, `640 kB`, `96 B` (units of 1024, as pprof prints them); with
    `signed`, growth shows its sign (`+21 MB`)."""
    sign = ("+" if count >= 0 else "-") if signed else ("-" if count < 0 else "")
    size = abs(count)
    for unit in ("B", "kB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            break
        size /= 1024
    if unit == "B" or size >= 10:
        return f"{sign}{size:.0f} {unit}"
    return f"{sign}{size:.1f} {unit}"


def seconds_words(seconds: float) -> str:
    """`6 s`, `90 s`, `14 min`, `3 h`: the interval between snapshots, for messages."""
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.0f} h"
