"""Heap profiles (pprof protobuf, gzipped or not): the four sample types, per allocation stack.

A Go heap profile (`/debug/pprof/heap`, `runtime/pprof.WriteHeapProfile`) has one sample per
allocation stack and object size, with four values: `alloc_objects` and `alloc_space`
(everything allocated there since the program started) and `inuse_objects` and `inuse_space`
(what the last completed garbage collection found still reachable). Stacks start at the
allocating frame: runtime/pprof hides the runtime's own malloc frames.

A stack is keyed by what its frames are (function, file, line, inlined callees first), not by
the file's own location ids, so the same code has the same stack in every snapshot, as
`go tool pprof` merges them.

Speed: a 50 MB profile holds millions of samples, too many to visit one by one in Python.
protobuf's C decoder does the bulk (see `profileproto`'s views): every sample's location
ids arrive still packed, a key per sample, and all values as one flat list. Only the
samples that retain memory (non-zero `inuse` values, usually a small part) are decoded and
translated into stacks, in one joined parse; the others are found by key when a stack that
grew needs its allocation counts.
"""

from __future__ import annotations

import itertools
import operator
import os
import stat
import zlib
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple

from google.protobuf.message import DecodeError

from linter.goroutines.group import Frame, normalize_function
from linter.goroutines.profileproto import FlatSample, SampleKeys, SampleValues, string_reader

SAMPLE_TYPES = ("alloc_objects", "alloc_space", "inuse_objects", "inuse_space")
_GZIP_MAGIC = b"\x1f\x8b"
_LOCATIONS_TAG = 0x0A  # Sample.location_id, packed
_ID_ZERO = b"\x08\x00"  # Sample.location_id = 0, unpacked: separates joined samples
# Stacks are split at this 4-byte separator: ids below 2**24 have a zero top byte, so it
# can only match where it was put.
_SEPARATOR = array("I", [0xFFFFFFFF]).tobytes()
_MAX_LOCATIONS = 1 << 24
# A stack whose frames this file holds at more program counters than this (one line calling
# malloc from several places, in many frames) is found by decoding every sample instead.
_MAX_KEY_VARIANTS = 256
_LOCATION_IDS = operator.attrgetter("location_id")

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
            if len(self._chains) >= _MAX_LOCATIONS:
                raise HeapError(f"more than {_MAX_LOCATIONS:,} distinct code locations")
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

    def local_keys(self, stacks: list[Stack]) -> list[list[bytes]] | None:
        """For each stack, the keys this file's samples of it may have (their packed ids):
        one per combination of program counters at the same lines, usually exactly one, none
        when a location is missing here; None when a stack has too many to try."""
        if not hasattr(self, "_reverse"):
            self._reverse: dict[int, list[int]] = {}
            for local, known in self.items():
                if local:
                    self._reverse.setdefault(known, []).append(local)
            self._single = {k: ids[0] for k, ids in self._reverse.items() if len(ids) == 1}
            self._single[0xFFFFFFFF] = 0
        single = self._single.keys()
        simple = [i for i, stack in enumerate(stacks) if single >= set(array("I", stack))]
        keys: list[list[bytes]] = [[] for _ in stacks]
        canonical = array("I", b"".join(stacks[i] + _SEPARATOR for i in simple))
        packed = _packed_runs(map(self._single.__getitem__, canonical))
        for index, key in zip(simple, packed, strict=True):
            keys[index] = [key]  # one program counter per location: packed in bulk
        for index in set(range(len(stacks))).difference(simple):
            options = [self._reverse.get(location, ()) for location in array("I", stacks[index])]
            count = 1
            for ids in options:
                count *= len(ids)
            if count > _MAX_KEY_VARIANTS:
                return None
            keys[index] = _packed_runs(x for ids in itertools.product(*options) for x in (*ids, 0))
        return keys


# What a stack holds at the last garbage collection before the snapshot: (objects, bytes).
# A plain tuple: a large profile has hundreds of thousands.
InUse = tuple[int, int]


class HeapProfile:
    """One heap profile: `in_use` holds every stack with memory in use; `values_of` gives
    any stack's four values, summed over all its samples.

    `keys` holds every sample's location ids in this file, packed (varints), which key the
    samples' stacks in this file; `values` the samples' values one after the other, `width`
    per sample, in `columns` order.
    """

    def __init__(
        self,
        path: str,
        time_nanos: int,
        keys: list[bytes],
        values: Sequence[int],
        columns: tuple[int, ...],
        width: int,
        translation: _Translation,
    ) -> None:
        self.path = path
        self.time_nanos = time_nanos
        self._keys = keys
        self._values = values
        self._columns = columns
        self._width = width
        self._translation = translation
        self.in_use: dict[Stack, InUse] = self._in_use()

    def _in_use(self) -> dict[Stack, InUse]:
        objects, space = (self._values[self._columns[i] :: self._width] for i in (2, 3))
        holding = list(itertools.compress(range(len(objects)), map(operator.or_, objects, space)))
        stacks = _translated(list(map(self._keys.__getitem__, holding)), self._translation)
        rows = list(
            zip(map(objects.__getitem__, holding), map(space.__getitem__, holding), strict=True)
        )
        return _sum_by_key(stacks, rows)

    def values_of(self, stacks: Iterable[Stack]) -> dict[Stack, Values]:
        """Each stack's values summed over all its samples here (zero where it has none):
        one pass over the sample keys, for the keys the stacks may have in this file."""
        wanted = list(dict.fromkeys(stacks))
        choices = self._translation.local_keys(wanted)
        if choices is None:
            return self._values_everywhere(wanted)
        by_key = {key: stack for stack, keys in zip(wanted, choices, strict=True) for key in keys}
        totals = dict.fromkeys(wanted, Values())
        keys = self._keys
        for index in itertools.compress(range(len(keys)), map(by_key.__contains__, keys)):
            stack = by_key[keys[index]]
            totals[stack] = totals[stack].plus(self._row(index))
        return totals

    def _values_everywhere(self, stacks: list[Stack]) -> dict[Stack, Values]:
        """`values_of` by translating every sample's stack, for stacks with too many keys."""
        translated = _translated(self._keys, self._translation)
        wanted = set(stacks)
        totals = dict.fromkeys(stacks, Values())
        hits = itertools.compress(range(len(translated)), map(wanted.__contains__, translated))
        for index in hits:
            totals[translated[index]] = totals[translated[index]].plus(self._row(index))
        return totals

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
    profile, values = SampleKeys(), SampleValues()
    try:
        profile.ParseFromString(raw)
        values.ParseFromString(raw)
    except DecodeError as exc:
        raise HeapError("not a pprof profile (neither gzip nor protobuf)") from exc
    del raw
    text = string_reader(profile)
    kinds = [text(t.type) for t in profile.sample_type]
    if not set(SAMPLE_TYPES) <= set(kinds):
        shown = ", ".join(kinds) or "no sample types"
        hint = "; give goroutine profiles as --dump" if "goroutine" in kinds[:1] else ""
        raise HeapError(f"pprof profile of {shown}, not a heap profile{hint}")
    samples = len(profile.sample)
    if len(values.sample.value) != samples * len(kinds):
        raise HeapError(
            f"malformed: {len(values.sample.value):,} values for {samples:,} samples of "
            f"{len(kinds)} types"
        )
    keys = _sample_keys(profile)
    columns = tuple(kinds.index(name) for name in SAMPLE_TYPES)
    translation = _translation(profile, text, locations)
    time_nanos = profile.time_nanos
    del profile  # the samples' keys are copied out
    return HeapProfile(
        path, time_nanos, keys, values.sample.value, columns, len(kinds), translation
    )


def _translation(
    profile: SampleKeys, text: Callable[[int], str], locations: Locations
) -> _Translation:
    functions = {f.id: (text(f.name), text(f.filename)) for f in profile.function}
    known = {}
    for location in profile.location:
        chain = tuple(
            Frame(normalize_function(name), filename, int(line.line))
            for line in location.line
            for name, filename in (functions.get(line.function_id, ("", "")),)
        ) or (Frame(f"0x{location.address:x}", "", 0),)
        known[location.id] = locations.intern(chain)
    return _Translation(known, locations.intern((Frame("?", "", 0),)))


def _sample_keys(profile: SampleKeys) -> list[bytes]:
    """Each sample's location ids, packed, as the file has them; a sample that wrote them
    unpacked (Go does for stacks of one or two frames) is decoded and packed here."""
    keys = list(map(_LOCATION_IDS, profile.sample))
    if b"" not in keys:
        return keys
    for index in itertools.compress(range(len(keys)), map(operator.not_, keys)):
        unknown = FlatSample.FromString(profile.sample[index].SerializeToString())
        keys[index] = _packed_runs([*unknown.location_id, 0])[0]
    return keys


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
    unzip = zlib.decompressobj(wbits=31)  # gzip, its header and CRC checked in C
    try:
        raw = unzip.decompress(data)
    except zlib.error as exc:
        raise HeapError(f"corrupt gzip data: {exc}") from exc
    if not unzip.eof:
        raise HeapError("truncated gzip data (the file ends early)")
    return raw


def _translated(keys: list[bytes], translation: _Translation) -> list[Stack]:
    """Stacks (in `Locations` ids) of samples' keys, decoded and translated in bulk: the keys
    joined by a zero parse as one field of every id, separated by zeros."""
    if not keys:
        return []
    joined = _ID_ZERO[1:].join(keys)
    flat = FlatSample()
    flat.ParseFromString(bytes([_LOCATIONS_TAG]) + _encode_varint(len(joined)) + joined)
    ids = array("I", map(translation.__getitem__, flat.location_id))
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


def _packed_runs(ids: Iterable[int]) -> list[bytes]:
    """Runs of ids, each ended by a 0, packed as protobuf packs a repeated integer field (by
    its encoder, in one go): no varint but 0 ends in a byte 0."""
    flat = FlatSample()
    flat.location_id.extend(ids)
    if not flat.location_id:
        return []
    encoded = flat.SerializeToString()
    length, start = _varint(encoded, 1)
    return encoded[start : start + length].split(b"\x00")[:-1]


def _encode_varint(value: int) -> bytes:
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)
