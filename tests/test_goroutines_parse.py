"""Dump parsing: every format, from real dumps of testdata/programs/, and the edge cases."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest

from linter.goroutines import parse
from linter.goroutines.dump import DumpError
from linter.goroutines.judge import top_function
from linter.goroutines.parse import read_dump
from tests.conftest import TESTDATA

DUMPS = TESTDATA / "dumps"
EDGE = DUMPS / "edge"
LEAKDEMO = "example.com/leakdemo"

# scenario -> (function parked in, state, `go` statement line, leaked in the leak profile)
SCENARIOS = {
    "handler": (f"{LEAKDEMO}/handler.Lookup.func1", "chan send", 20, True),
    "pipeline": (f"{LEAKDEMO}/pipeline.Sum.func1", "chan receive", 10, True),
    "ticker": (f"{LEAKDEMO}/ticker.Watch.func1", "chan receive", 9, False),
    "sessions": (f"{LEAKDEMO}/sessions.(*session).expire", "chan receive", 27, False),
}
# format suffix -> (format name, prints the creator, count of leaked goroutines in the dump)
FORMATS = {
    "debug1.txt": ("pprof debug=1", False, 40),
    "debug2.txt": ("traceback", True, 40),
    "debug0.pb.gz": ("pprof protobuf", False, 40),
    "leak.debug1.txt": ("pprof debug=1", False, 40),
    "leak.debug2.txt": ("traceback", True, 40),
    "leak.debug0.pb.gz": ("pprof protobuf", False, 40),
    "sigquit.txt": ("traceback", True, 40),
    "goleak.txt": ("goleak", True, 3),
}


def leak_group(dump, function):
    groups = [g for g in dump.groups if top_function(g.frames) == function]
    assert len(groups) == 1, [top_function(g.frames) for g in dump.groups]
    return groups[0]


@pytest.mark.parametrize("scenario", SCENARIOS)
@pytest.mark.parametrize("suffix", FORMATS)
def test_every_format_of_every_program_is_parsed(scenario, suffix):
    function, state, go_line, leaks = SCENARIOS[scenario]
    format_name, has_creator, count = FORMATS[suffix]
    dump = read_dump(str(DUMPS / f"{scenario}.{suffix}"))
    assert dump.formats == [format_name]
    assert dump.problems == []
    is_leak_profile = suffix.startswith("leak.") and not suffix.endswith("debug2.txt")
    if is_leak_profile and not leaks:
        # The detector cannot prove these leaked (a global map or the timer heap still
        # reaches their channels): the goroutineleak profile is empty.
        assert dump.groups == []
        return
    group = leak_group(dump, function)
    assert group.count == count
    assert group.frames[-1 if suffix == "debug1.txt" else 0].function  # frames were read
    if format_name in ("traceback", "goleak"):
        assert group.state == state
    elif format_name == "pprof protobuf":
        assert group.state == state and group.state_inferred  # read from the runtime frames
    else:
        assert group.state == ""  # debug=1 hides those frames: the source line will tell
    if has_creator:
        assert group.created_by is not None
        assert group.created_by.line == go_line
        assert group.created_by.path.endswith(f"programs/{scenario}/{scenario}.go")
    proved = suffix.startswith("leak.") and leaks
    assert group.leaked == (count if proved else 0)
    assert group.reported == (format_name == "goleak")
    if format_name in ("traceback", "goleak"):
        assert len(group.sample_ids) == 3
    site = next(f for f in group.frames if f.function == function)
    assert site.path.endswith(f"testdata/programs/{scenario}/{scenario}.go")


def test_sigquit_traceback_keeps_runtime_frames_and_gp_fields():
    dump = read_dump(str(DUMPS / "handler.sigquit.txt"))
    group = leak_group(dump, SCENARIOS["handler"][0])
    assert [f.function for f in group.frames[:3]] == [
        "runtime.gopark",
        "runtime.chansend",
        "runtime.chansend1",
    ]
    idle = [g for g in dump.groups if g.state == "idle"]
    assert idle, "goroutine 0 [idle] with its gp= m= mp= header is read"


def test_traceback_edge_cases():
    dump = read_dump(str(EDGE / "traceback_features.txt"))
    assert dump.problems == []
    handler = leak_group(dump, SCENARIOS["handler"][0])
    # 14 minutes, 3 minutes and "(leaked), 22 minutes, locked to thread" with labels: one
    # group (the wait time, markers and labels are not part of the signature).
    assert handler.count == 3
    assert (handler.min_wait, handler.max_wait) == (3, 22)
    assert handler.leaked == 1
    assert handler.sample_ids == [34, 35, 36]
    assert handler.created_by.function == f"{LEAKDEMO}/handler.Lookup"  # old and new forms
    pipeline = leak_group(dump, f"{LEAKDEMO}/pipeline.Map[...]")
    assert pipeline.signature.elided
    assert [f.function for f in pipeline.frames] == [
        f"{LEAKDEMO}/pipeline.Map[...]",
        f"{LEAKDEMO}/pipeline.Sum.func1",
    ]  # the ancestors' frames are not this goroutine's
    ticker = leak_group(dump, SCENARIOS["ticker"][0])
    assert ticker.state == "select (no cases)"
    assert ticker.max_wait == 1
    # The race report's frames and the goroutine with no stack are not goroutine groups.
    assert dump.goroutines == 7
    assert all("sessions" not in top_function(g.frames) for g in dump.groups)


def test_log_prefixed_crlf_container_log():
    dump = read_dump(str(EDGE / "kubernetes.log"))
    assert dump.problems == []
    group = leak_group(dump, SCENARIOS["sessions"][0])
    assert group.count == 12
    assert group.max_wait == 41
    assert group.created_by.path == "/app/sessions/sessions.go"
    assert group.frames[0].function == "runtime.gopark"
    assert group.frames[0].line == 435


def test_old_goleak_format_with_repeated_headers():
    dump = read_dump(str(EDGE / "goleak_v1_2.txt"))
    assert dump.formats == ["goleak"]
    group = leak_group(dump, SCENARIOS["ticker"][0])
    assert group.count == 2 and group.reported
    assert group.sample_ids == [19, 20]


def transformed(tmp_path: Path, source: str, change) -> str:
    text = (DUMPS / source).read_text()
    target = tmp_path / f"changed-{source}"
    target.write_bytes(change(text).encode())
    return str(target)


def summary(dump):
    return sorted((g.state, tuple(g.frames), g.created_by, g.count, g.leaked) for g in dump.groups)


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda t: t.replace("\n", "\r\n"), id="crlf"),
        pytest.param(lambda t: "".join("    " + line for line in t.splitlines(True)), id="indent"),
        pytest.param(
            lambda t: "".join(
                f"2026/05/0{i % 9 + 1} 10:{i % 60:02d}:07 app[{100 + i * 7}]: {line}"
                for i, line in enumerate(t.splitlines(True))
            ),
            id="syslog-prefix",
        ),
        pytest.param(lambda t: "\t" + t.replace("\n", "\n\t"), id="tab-indent"),
        pytest.param(
            lambda t: t.replace("\t", "        ").replace("\n", "\r\n"), id="pasted-spaces-crlf"
        ),
        pytest.param(lambda t: t.replace("\t", "  "), id="pasted-two-spaces"),
    ],
)
def test_prefixes_indentation_and_line_ends_change_nothing(tmp_path, change):
    original = read_dump(str(DUMPS / "pipeline.sigquit.txt"))
    changed = read_dump(transformed(tmp_path, "pipeline.sigquit.txt", change))
    assert changed.problems == []
    assert summary(changed) == summary(original)


def test_frames_without_positions_keep_their_functions(tmp_path):
    original = read_dump(str(DUMPS / "pipeline.debug2.txt"))
    cut = read_dump(
        transformed(tmp_path, "pipeline.debug2.txt", lambda t: re.sub(r"\n\t[^\n]*", "", t))
    )
    assert cut.problems == []

    def without_positions(dump):
        return sorted(
            (g.state, tuple(f.function for f in g.frames), g.created_by.function, g.count)
            for g in dump.groups
            if g.created_by
        )

    assert without_positions(cut) == without_positions(original)
    group = leak_group(cut, SCENARIOS["pipeline"][0])
    assert {(f.path, f.line) for f in group.frames} == {("", 0)}


def test_dump_pasted_into_markdown():
    dump = read_dump(str(EDGE / "pasted.md"))
    assert dump.problems == [] and dump.formats == ["traceback"]
    handler = leak_group(dump, SCENARIOS["handler"][0])
    assert handler.count == 3 and handler.max_wait == 14
    assert handler.frames[0].path == "/home/ci/leakdemo/handler/handler.go"
    assert handler.created_by.line == 20
    (cgo,) = [g for g in dump.groups if g.state == "syscall"]
    assert [(f.function, f.path, f.line) for f in cgo.frames[1:4]] == [
        ("crash_in_c", "/build/native/crash.c", 12),  # a C frame: pc=, no +0x offset
        ("non-Go function", "", 0),  # a C frame the symbolizer could not place
        ("main._Cfunc_crash", "_cgo_gotypes.go", 39),
    ]
    pipeline = leak_group(dump, SCENARIOS["pipeline"][0])
    assert pipeline.count == 2 and pipeline.frames[0].path == ""  # positions lost


def test_concatenated_dumps_and_formats_add_up(tmp_path):
    parts = [
        (DUMPS / "handler.debug2.txt").read_text(),
        "some log line in between\n",
        (DUMPS / "handler.debug1.txt").read_text(),
        (DUMPS / "handler.goleak.txt").read_text(),
        (DUMPS / "handler.debug2.txt").read_text(),
    ]
    target = tmp_path / "all.txt"
    target.write_text("\n".join(parts))
    dump = read_dump(str(target))
    assert dump.formats == ["traceback", "pprof debug=1", "goleak"]
    function = SCENARIOS["handler"][0]
    counts = sorted(g.count for g in dump.groups if top_function(g.frames) == function)
    # The tracebacks and goleak's blocks share a signature; debug=1 has no state: its own.
    assert counts == [40, 83]


@pytest.mark.parametrize(
    "source", ["sessions.sigquit.txt", "edge/kubernetes.log", "edge/traceback_features.txt"]
)
def test_small_chunks_give_the_same_groups(monkeypatch, source):
    whole = read_dump(str(DUMPS / source))
    monkeypatch.setattr(parse, "CHUNK_BYTES", 97)  # goroutines cut across chunks
    chunked = read_dump(str(DUMPS / source))
    assert summary(chunked) == summary(whole)
    assert chunked.problems == whole.problems == []


def test_gzipped_text_dump_is_read_as_text(tmp_path):
    target = tmp_path / "dump.txt.gz"
    target.write_bytes(gzip.compress((DUMPS / "ticker.debug2.txt").read_bytes()))
    dump = read_dump(str(target))
    assert leak_group(dump, SCENARIOS["ticker"][0]).count == 40


# -- bad input -------------------------------------------------------------------------------


def write(tmp_path: Path, name: str, data: bytes) -> str:
    target = tmp_path / name
    target.write_bytes(data)
    return str(target)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty file"),
        (b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 4, "neither gzip nor a pprof profile"),
        (b"hello\nthis is a log file\nwith no goroutines\n", "no goroutine dump found"),
        (gzip.compress(b"\x00\x01\x02 not a profile"), "neither gzip nor a pprof profile"),
        (b"\x1f\x8b\x08\x00garbage that is not deflate", "corrupt gzip data"),
    ],
    ids=["empty", "binary", "unknown-text", "gzip-not-profile", "corrupt-gzip"],
)
def test_unusable_files_raise_one_line_errors(tmp_path, data, message):
    with pytest.raises(DumpError, match=message) as raised:
        read_dump(write(tmp_path, "bad", data))
    assert "\n" not in str(raised.value)


def test_truncated_gzip_profile(tmp_path):
    data = (DUMPS / "handler.debug0.pb.gz").read_bytes()
    with pytest.raises(DumpError, match="truncated gzip data"):
        read_dump(write(tmp_path, "cut.pb.gz", data[: len(data) // 2]))


def test_profile_of_another_kind_is_refused(tmp_path):
    from linter.goroutines.pprof import Profile

    profile = Profile()
    profile.string_table.extend(["", "alloc_space", "bytes"])
    profile.sample_type.add(type=1, unit=2)
    data = gzip.compress(profile.SerializeToString())
    with pytest.raises(DumpError, match="'alloc_space', not a goroutine profile"):
        read_dump(write(tmp_path, "heap.pb.gz", data))


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(DumpError, match="cannot read"):
        read_dump(str(tmp_path / "nope.txt"))
    with pytest.raises(DumpError, match="not a regular file"):
        read_dump(str(tmp_path))


def test_truncated_text_dump_keeps_the_goroutines_before_the_cut(tmp_path):
    text = (DUMPS / "handler.debug2.txt").read_bytes()
    cut = text.index(b"handler.Lookup.func1()", len(text) // 2) + len(b"handler.Lookup.func1()")
    dump = read_dump(write(tmp_path, "cut.txt", text[:cut]))
    assert len(dump.problems) == 1
    assert dump.problems[0].startswith("truncated: the dump ends inside goroutine")
    header_line = text[: text[:cut].rfind(b"goroutine ")].count(b"\n") + 1
    assert f"(line {header_line})" in dump.problems[0]
    group = leak_group(dump, SCENARIOS["handler"][0])
    assert 0 < group.count < 40


def test_garbled_text_dump_says_where(tmp_path):
    text = (DUMPS / "pipeline.debug2.txt").read_text().splitlines(True)
    location = next(i for i, line in enumerate(text) if "pipeline.go:11" in line)
    text[location] = "#!%@ garbage where a file:line should be\n"
    dump = read_dump(write(tmp_path, "garbled.txt", "".join(text).encode()))
    assert len(dump.problems) == 1
    assert dump.problems[0].startswith("garbled: goroutine")
    assert f"before line {location + 1}" in dump.problems[0]
    assert leak_group(dump, SCENARIOS["pipeline"][0]).count == 39


def test_empty_leak_profile_is_valid_and_empty():
    dump = read_dump(str(DUMPS / "ticker.leak.debug1.txt"))
    assert dump.formats == ["pprof debug=1"] and dump.groups == [] and dump.problems == []
