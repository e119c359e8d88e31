"""The result cache: a directory's findings, keyed by everything they depend on.

A package's findings depend on all its files, so the key of a directory hashes the content of
every Go file in it, plus the tool's own code, the enabled rules and levels, the go version
in force and the working directory (paths in findings are relative to it). Entries are JSON
written atomically; a corrupt or unreadable entry is a miss and is rewritten, never trusted.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import os
from pathlib import Path
from typing import Any

import platformdirs

import linter
import rules
from linter.findings import Finding, Notice, PackageResult

CACHE_FORMAT = 1


def default_cache_dir() -> str:
    return platformdirs.user_cache_dir("golint-leaks")


def settings_key(*parts: object) -> str:
    """The part of every key that does not depend on the files: code and settings."""
    return hashlib.sha256(repr((code_fingerprint(), *parts)).encode()).hexdigest()


def code_fingerprint() -> str:
    """Identifies the running linter code, so a changed rule never reads stale results.

    Hashes the source of every module of the linter and rules packages (a few hundred KB,
    about a millisecond), so an edit or upgrade invalidates the cache and a checkout that
    only touches mtimes does not.
    """
    digest = hashlib.sha256(linter.__version__.encode())
    for package in (linter, rules):
        for directory in package.__path__:
            for path in sorted(Path(directory).rglob("*.py")):
                digest.update(path.name.encode() + b"\x00" + path.read_bytes())
    return digest.hexdigest()


def entry_key(base: str, directory: str, files: list[tuple[str, bytes]], extra: str) -> str:
    """`base` covers settings and code; then each file's name and content hash."""
    digest = hashlib.sha256(base.encode())
    digest.update(b"\x00" + directory.encode() + b"\x00" + extra.encode())
    for name, data in files:
        digest.update(b"\x00" + name.encode() + b"\x00")
        digest.update(hashlib.blake2b(data, digest_size=16).digest())
    return digest.hexdigest()


def _entry_path(cache_dir: str, key: str) -> Path:
    return Path(cache_dir) / f"v{CACHE_FORMAT}" / key[:2] / f"{key}.json"


def load(cache_dir: str, key: str) -> tuple[PackageResult, int, int] | None:
    try:
        raw = _entry_path(cache_dir, key).read_text(encoding="utf-8")
        data: dict[str, Any] = json.loads(raw)
        result = PackageResult(
            findings=[Finding.from_dict(item) for item in data["findings"]],
            notices=[Notice(**item) for item in data["notices"]],
        )
        return result, int(data["files"]), int(data["packages"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def store(cache_dir: str, key: str, result: PackageResult, files: int, packages: int) -> None:
    """Write atomically; failures to cache never fail the run."""
    path = _entry_path(cache_dir, key)
    document = {
        "findings": [f.to_dict() for f in result.findings],
        "notices": [vars(n) for n in result.notices],
        "files": files,
        "packages": packages,
    }
    _write_atomically(path, json.dumps(document).encode("utf-8"))


_made_directories: set[Path] = set()
_temp_names = itertools.count()


def _write_atomically(path: Path, content: bytes) -> None:
    """Write to a name no other process uses (pid and a counter), then rename into place.

    mkstemp's random names and existence checks cost more than the write itself when a cold
    run stores a thousand small entries.
    """
    temp = path.parent / f".tmp-{os.getpid()}-{next(_temp_names)}"
    try:
        if path.parent not in _made_directories:
            path.parent.mkdir(parents=True, exist_ok=True)
            _made_directories.add(path.parent)
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.replace(temp, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temp)
