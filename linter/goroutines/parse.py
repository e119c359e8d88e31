"""Goroutine dumps in every format Go engineers hand around: which reader a file needs.

Gzip is opened as a stream (a gzipped text dump is read as text, anything else must be the
pprof protobuf profile, `debug=0`); a file with NUL bytes must be a raw protobuf profile;
everything else is text, read in chunks that end at blank lines so no goroutine is cut
(`linter.goroutines.textdump` parses them). Memory grows with distinct stacks only.
"""

from __future__ import annotations

import gzip
import os
import stat
import zlib
from collections.abc import Iterator
from typing import BinaryIO

from linter.goroutines import pprof
from linter.goroutines.dump import Dump, DumpError
from linter.goroutines.textdump import TextParser

CHUNK_BYTES = 4 << 20
_SNIFF_BYTES = 8192
_GZIP_MAGIC = b"\x1f\x8b"


def read_dump(path: str) -> Dump:
    """Parse one dump file of any supported format. Raises DumpError when nothing is usable."""
    try:
        info = os.stat(path)
    except OSError as exc:
        raise DumpError(f"cannot read: {exc.strerror or exc}") from exc
    if not stat.S_ISREG(info.st_mode):
        raise DumpError("not a regular file")
    if info.st_size == 0:
        raise DumpError("empty file")
    try:
        with open(path, "rb") as handle:
            head = handle.read(_SNIFF_BYTES)
            handle.seek(0)
            if head.startswith(_GZIP_MAGIC):
                return _read_gzip(path, handle)
            if b"\x00" in head:
                return _read_binary(path, handle.read())
            return _read_text(path, handle)
    except OSError as exc:
        raise DumpError(f"cannot read: {exc.strerror or exc}") from exc


def _read_gzip(path: str, handle: BinaryIO) -> Dump:
    try:
        with gzip.GzipFile(fileobj=handle) as unzipped:
            head = unzipped.read(_SNIFF_BYTES)
            if b"\x00" not in head and _looks_like_text_dump(head):
                unzipped.seek(0)
                return _read_text(path, unzipped)
            data = head + unzipped.read()
    except EOFError as exc:
        raise DumpError("truncated gzip data (the file ends early)") from exc
    except (zlib.error, gzip.BadGzipFile) as exc:
        raise DumpError(f"corrupt gzip data: {exc}") from exc
    return _read_binary(path, data)


def _read_binary(path: str, data: bytes) -> Dump:
    return pprof.read_profile(path, data)


def _looks_like_text_dump(head: bytes) -> bool:
    return b"goroutine" in head or b"Goroutine" in head


def _read_text(path: str, handle: BinaryIO) -> Dump:
    parser = TextParser(path)
    for chunk in _blank_line_chunks(handle):
        parser.feed(chunk)
    return parser.finish()


def _blank_line_chunks(handle: BinaryIO) -> Iterator[bytes]:
    """Chunks of whole lines, ending at a blank line where there is one in reach (a log
    whose blank lines carry a prefix has none: then at the last line end)."""
    carry = b""
    while True:
        data = handle.read(CHUNK_BYTES)
        if not data:
            break
        buffer = carry + data
        if b"\r" in buffer:
            buffer = buffer.replace(b"\r\n", b"\n")
        blank = buffer.rfind(b"\n\n")
        if blank >= 0:
            cut = blank + 2
        elif len(buffer) >= CHUNK_BYTES:
            cut = buffer.rfind(b"\n") + 1  # 0 when there is no line end at all
        else:
            cut = 0
        if cut == 0:
            carry = buffer
            continue
        carry = buffer[cut:]
        yield buffer[:cut]
    if carry:
        yield carry
