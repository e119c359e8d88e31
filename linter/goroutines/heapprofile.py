"""Heap profiles (pprof protobuf, gzipped or not): the four sample types, per allocation stack.

A Go heap profile (`/debug/pprof/heap`, `runtime/pprof.WriteHeapProfile`) has one sample per
allocation stack and object size, with four values: `alloc_objects` and `alloc_space`
(everything allocated there since the program started) and `inuse_objects` and `inuse_space`
(what the last completed garbage collection found still reachable). Stacks start at the
allocating frame: runtime/pprof hides the runtime's own malloc frames.

A stack is keyed by what its frames are (function, file, line, inlined callees first), not by
the file's own location ids, so the same code has the same stack in every snapshot, as
`go tool pprof` merges them.

Speed: a 50 MB profile holds over a million samples, too many to visit one by one in Python,
and most of them (everything ever allocated and since freed) retain nothing. The C decoder
does the bulk (see `profileproto`'s views): all values arrive as one flat list, the samples
that retain memory are picked from it, and only their stacks are decoded, in one pass. The
other samples are read only when a stack that retains memory in one snapshot needs its
allocation counts from a snapshot where it retains none.
"""

from __future__ import annotations

import gzip
import itertools
import operator
import os
import stat
import zlib
from array import array
from collections import Counter
from collections.abc import Iterable
from typing import NamedTuple

from google.protobuf.message import DecodeError

from linter.goroutines.group import Frame, normalize_function
from linter.goroutines.profileproto import LocationIds, SampleBlobs, SampleValues, string_reader

SAMPLE_TYPES = ("alloc_objects", "alloc_space", "inuse_objects", "inuse_space")
_GZIP_MAGIC = b"\x1f\x8b"
_LOCATIONS_TAG = 0x0A  # Sample.location_id, packed
_ID_ZERO = b"\x08\x00"  # Sample.location_id = 0, unpacked: separates joined samples
_SEPARATOR = array("I", [0xFFFFFFFF]).tobytes()  # no Locations id reaches 2**24
# A stack whose frames this file holds at more program counters than this (one line calling
# malloc from several places, in many frames) is found by decoding every sample instead.
_MAX_KEY_VARIANTS = 256

Stack = bytes  # `Locations` ids as array("I") bytes, allocating frame first


class HeapError(Exception):
    """A heap profile that cannot be used; the message is one line, without the path."""


class Values(NamedTuple):
    """The four sample values of a stack (or their growth between two snapshots)."""

    alloc_objects: int = 0
    alloc_bytes: int = 0
    inuse_objects: int = 0
    inuse_bytes: int = 0

    def plus(self, other: Values) -> Values:
        return Values._make(map(operator.add, self, other))

    def minus(self, other: Values) -> Values:
        return Values._make(map(operator.sub, self, other))


class Locations:
    """The locations of all profiles of one run, by what they are (an inlined call chain)."""

    def __init__(self) -> None:
        self._ids: dict[tuple[Frame, ...], int] = {}
        self._chains: list[tuple[Frame, ...]] = []

    def intern(self, chain: tuple[Frame, ...]) -> int:
        found = self._ids.get(chain)
        if found is None:
            found = self._ids[chain] = len(self._chains)
            self._chains.append(chain)
        return found

    def frames(self, stack: Stack) -> tuple[Frame, ...]:
        """The stack's frames, allocating frame first, inlined calls as frames of their own."""
        return tuple(frame for location in array("I", stack) for frame in self._chains[location])


class _Translation(dict):
    """This file's location ids -> `Locations` ids; an id the file does not define (a
    malformed profile) is an unknown frame, and id 0 the separator of joined samples."""

    def __init__(self, known: dict[int, int], unknown: int) -> None:
        super().__init__(known)
        self[0] = 0xFFFFFFFF
        self.unknown = unknown

    def __missing__(self, key: int) -> int:
        return self.unknown

    def local_ids(self, location: int) -> list[int]:
        """This file's ids of a `Locations` id (several program counters at the same lines)."""
        if not hasattr(self, "_reverse"):
            self._reverse: dict[int, list[int]] = {}
            for local, known in self.items():
                if local:
                    self._reverse.setdefault(known, []).append(local)
        return self._reverse.get(location, [])


class InUse(NamedTuple):
    """What a stack holds at the last garbage collection before the snapshot."""

    objects: int
    bytes: int


class HeapProfile:
    """One heap profile: `in_use` holds every stack with memory in use; `values_of` gives
    any stack's four values, summed over all its samples."""

    def __init__(
        self,
        path: str,
        time_nanos: int,
        samples: SampleBlobs,
        values: SampleValues,
        columns: tuple[int, ...],
        translation: _Translation,
    ) -> None:
        self.path = path
        self.time_nanos = time_nanos
        self._blobs = samples.sample
        self._values = values.sample.value
        self._columns = columns
        self._width = len(samples.sample_type)
        self._translation = translation
        self.in_use: dict[Stack, InUse] = self._in_use()

    def _in_use(self) -> dict[Stack, InUse]:
        objects, space = (self._values[self._columns[i] :: self._width] for i in (2, 3))
        holding = list(itertools.compress(range(len(objects)), map(operator.or_, objects, space)))
        keys = _canonical_keys([self._blobs[i] for i in holding], self._translation)
        rows = [(objects[i], space[i]) for i in holding]
        summed = _sum_by_key(keys, rows)
        return dict(zip(summed, map(InUse._make, summed.values()), strict=True))

    def values_of(self, stacks: Iterable[Stack]) -> dict[Stack, Values]:
        """Each stack's values summed over all its samples here (zero where it has none): one
        pass over the samples, matching their keys in this file."""
        wanted = list(dict.fromkeys(stacks))
        by_key: dict[bytes, Stack] = {}
        for stack in wanted:
            variants = self._local_variants(stack)
            if variants is None:
                return self._values_everywhere(wanted)
            by_key.update(dict.fromkeys(variants, stack))
        keys = list(map(_sample_key, self._blobs))
        totals = dict.fromkeys(wanted, Values())
        for index in itertools.compress(range(len(keys)), map(by_key.__contains__, keys)):
            stack = by_key[keys[index]]
            totals[stack] = totals[stack].plus(self._row(index))
        return totals

    def _values_everywhere(self, stacks: list[Stack]) -> dict[Stack, Values]:
        """`values_of` by translating every sample's stack, for stacks with too many keys."""
        keys = _canonical_keys(list(self._blobs), self._translation)
        wanted = set(stacks)
        totals = dict.fromkeys(stacks, Values())
        for index in itertools.compress(range(len(keys)), map(wanted.__contains__, keys)):
            totals[keys[index]] = totals[keys[index]].plus(self._row(index))
        return totals

    def _local_variants(self, stack: Stack) -> list[bytes] | None:
        """The keys this file's samples of `stack` may have (one per combination of program
        counters at the same lines); None when there are too many to try."""
        choices = [self._translation.local_ids(location) for location in array("I", stack)]
        if any(not options for options in choices):
            return []
        count = 1
        for options in choices:
            count *= len(options)
        if count > _MAX_KEY_VARIANTS:
            return None
        return [_encode_key(ids) for ids in itertools.product(*choices)]

    def _row(self, index: int) -> Values:
        base = index * self._width
        return Values(*(self._values[base + column] for column in self._columns))


def read_heap(path: str, locations: Locations) -> HeapProfile:
    """Parse one heap profile file. Raises HeapError when it cannot be used."""
    raw = _read_bytes(path)
    if raw.lstrip().startswith(b"heap profile:"):
        raise HeapError(
            "a text heap profile (?debug=1); fetch /debug/pprof/heap without debug, "
            "as go tool pprof does"
        )
    samples, values = SampleBlobs(), SampleValues()
    try:
        samples.ParseFromString(raw)
        values.ParseFromString(raw)
    except DecodeError as exc:
        raise HeapError("not a pprof profile (neither gzip nor protobuf)") from exc
    text = string_reader(samples)

    kinds = [text(t.type) for t in samples.sample_type]
    if not set(SAMPLE_TYPES) <= set(kinds):
        shown = ", ".join(kinds) or "no sample types"
        hint = "; give goroutine profiles as --dump" if "goroutine" in kinds[:1] else ""
        raise HeapError(f"pprof profile of {shown}, not a heap profile{hint}")
    if len(values.sample.value) != len(samples.sample) * len(kinds):
        raise HeapError(
            f"malformed: {len(values.sample.value):,} values for {len(samples.sample):,} "
            f"samples of {len(kinds)} types"
        )
    functions = {f.id: (text(f.name), text(f.filename)) for f in samples.function}
    known = {}
    for location in samples.location:
        chain = tuple(
            Frame(normalize_function(name), filename, int(line.line))
            for line in location.line
            for name, filename in (functions.get(line.function_id, ("", "")),)
        ) or (Frame(f"0x{location.address:x}", "", 0),)
        known[location.id] = locations.intern(chain)
    translation = _Translation(known, locations.intern((Frame("?", "", 0),)))
    columns = tuple(kinds.index(name) for name in SAMPLE_TYPES)
    return HeapProfile(path, samples.time_nanos, samples, values, columns, translation)


def _read_bytes(path: str) -> bytes:
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise HeapError("not a regular file")
        if info.st_size == 0:
            raise HeapError("empty file")
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise HeapError(f"cannot read: {exc.strerror or exc}") from exc
    if not data.startswith(_GZIP_MAGIC):
        return data
    try:
        return gzip.decompress(data)
    except EOFError as exc:
        raise HeapError("truncated gzip data (the file ends early)") from exc
    except (zlib.error, gzip.BadGzipFile) as exc:
        raise HeapError(f"corrupt gzip data: {exc}") from exc


def _canonical_keys(blobs: list[bytes], translation: _Translation) -> list[Stack]:
    """The stacks of encoded samples, decoded and translated in bulk: the encodings joined by
    an id 0 parse as one sample whose ids are everybody's, separated by zeros."""
    if not blobs:
        return []
    joined = LocationIds()
    joined.ParseFromString(_ID_ZERO.join(blobs))
    ids = array("I", map(translation.__getitem__, joined.location_id))
    return ids.tobytes().split(_SEPARATOR)


def _sum_by_key(keys: list[Stack], rows: list[tuple[int, ...]]) -> dict[Stack, tuple[int, ...]]:
    """Rows summed per key. Most stacks have one sample; those with several (one per object
    size) are found by C-level counting, so only they are summed in Python."""
    summed = dict(zip(keys, rows, strict=True))
    if len(summed) == len(keys):
        return summed
    shared = {key for key, count in Counter(keys).items() if count > 1}
    for key in shared:
        summed[key] = (0,) * len(rows[0])
    pairs = zip(keys, rows, strict=True)
    for key, row in itertools.compress(pairs, map(shared.__contains__, keys)):
        summed[key] = tuple(map(operator.add, summed[key], row))
    return summed


def _sample_key(blob: bytes) -> bytes:
    """The location ids of an encoded sample, as bytes that identify its stack in this file.

    Go writes each field once, values first, then the ids packed (`0a <length> <varints>`):
    that field, as it is, is the key. Any other layout (unpacked ids, as Go writes stacks of
    one or two frames) is decoded and re-encoded the packed way, so equal stacks get equal
    keys.
    """
    position, end = 0, len(blob)
    while position + 1 < end and blob[position] & 7 == 2:  # length-delimited fields
        tag, length, start = blob[position], blob[position + 1], position + 2
        if length >= 0x80:
            length, start = _varint(blob, position + 1)
        if tag == _LOCATIONS_TAG:
            return blob[position : start + length]
        position = start + length
    return _encode_key(_location_ids(blob))


def _location_ids(blob: bytes) -> list[int]:
    """Sample.location_id (field 1, packed or not) from a sample's encoding."""
    ids: list[int] = []
    position = 0
    while position < len(blob):
        tag, position = _varint(blob, position)
        field, wire = tag >> 3, tag & 7
        if wire == 0:
            value, position = _varint(blob, position)
            if field == 1:
                ids.append(value)
        elif wire == 2:
            length, position = _varint(blob, position)
            end = position + length
            while field == 1 and position < end:
                value, position = _varint(blob, position)
                ids.append(value)
            position = end
        elif wire in (1, 5):
            position += 8 if wire == 1 else 4
        else:
            raise HeapError(f"malformed sample (wire type {wire})")
    return ids


def _varint(data: bytes, position: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        if position >= len(data):
            raise HeapError("malformed sample (truncated varint)")
        byte = data[position]
        position += 1
        result |= (byte & 0x7F) << shift
        if byte < 0x80:
            return result, position
        shift += 7


def _encode_key(ids: Iterable[int]) -> bytes:
    payload = b"".join(map(_encode_varint, ids))
    return bytes([_LOCATIONS_TAG]) + _encode_varint(len(payload)) + payload


def _encode_varint(value: int) -> bytes:
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)
