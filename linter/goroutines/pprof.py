"""The pprof protobuf profile (`debug=0`, what `go tool pprof` fetches), decoded with protobuf.

The schema is pprof's profile.proto (github.com/google/pprof/proto/profile.proto), built here
as a descriptor at import so no generated code or protoc is needed. A goroutine profile is
already aggregated by stack (value[0] counts goroutines), so decoding it whole costs memory
in proportion to distinct stacks. Profiles carry no goroutine state: it is read from the
runtime frames, which debug=0 keeps.
"""

from __future__ import annotations

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
from google.protobuf.message import DecodeError

from linter.goroutines.dump import FORMAT_PROTO, Dump, DumpError
from linter.goroutines.group import Frame, GroupTable, Signature, normalize_function
from linter.goroutines.judge import infer_state

_FIELD = descriptor_pb2.FieldDescriptorProto
_INT64, _UINT64, _BOOL, _MESSAGE = (
    _FIELD.TYPE_INT64,
    _FIELD.TYPE_UINT64,
    _FIELD.TYPE_BOOL,
    _FIELD.TYPE_MESSAGE,
)
_SCHEMA: dict[str, list[tuple[str, int, int, str, bool]]] = {
    # message: [(field, number, type, message type, repeated)]
    "Profile": [
        ("sample_type", 1, _MESSAGE, "ValueType", True),
        ("sample", 2, _MESSAGE, "Sample", True),
        ("mapping", 3, _MESSAGE, "Mapping", True),
        ("location", 4, _MESSAGE, "Location", True),
        ("function", 5, _MESSAGE, "Function", True),
        ("string_table", 6, _FIELD.TYPE_STRING, "", True),
        ("drop_frames", 7, _INT64, "", False),
        ("keep_frames", 8, _INT64, "", False),
        ("time_nanos", 9, _INT64, "", False),
        ("duration_nanos", 10, _INT64, "", False),
        ("period_type", 11, _MESSAGE, "ValueType", False),
        ("period", 12, _INT64, "", False),
        ("comment", 13, _INT64, "", True),
        ("default_sample_type", 14, _INT64, "", False),
    ],
    "ValueType": [("type", 1, _INT64, "", False), ("unit", 2, _INT64, "", False)],
    "Sample": [
        ("location_id", 1, _UINT64, "", True),
        ("value", 2, _INT64, "", True),
        ("label", 3, _MESSAGE, "Label", True),
    ],
    "Label": [
        ("key", 1, _INT64, "", False),
        ("str", 2, _INT64, "", False),
        ("num", 3, _INT64, "", False),
        ("num_unit", 4, _INT64, "", False),
    ],
    "Mapping": [
        ("id", 1, _UINT64, "", False),
        ("memory_start", 2, _UINT64, "", False),
        ("memory_limit", 3, _UINT64, "", False),
        ("file_offset", 4, _UINT64, "", False),
        ("filename", 5, _INT64, "", False),
        ("build_id", 6, _INT64, "", False),
        ("has_functions", 7, _BOOL, "", False),
        ("has_filenames", 8, _BOOL, "", False),
        ("has_line_numbers", 9, _BOOL, "", False),
        ("has_inline_frames", 10, _BOOL, "", False),
    ],
    "Location": [
        ("id", 1, _UINT64, "", False),
        ("mapping_id", 2, _UINT64, "", False),
        ("address", 3, _UINT64, "", False),
        ("line", 4, _MESSAGE, "Line", True),
        ("is_folded", 5, _BOOL, "", False),
    ],
    "Line": [
        ("function_id", 1, _UINT64, "", False),
        ("line", 2, _INT64, "", False),
        ("column", 3, _INT64, "", False),
    ],
    "Function": [
        ("id", 1, _UINT64, "", False),
        ("name", 2, _INT64, "", False),
        ("system_name", 3, _INT64, "", False),
        ("filename", 4, _INT64, "", False),
        ("start_line", 5, _INT64, "", False),
    ],
}
_PACKAGE = "golintleaks.pprof"


def _profile_class() -> type:
    file_proto = descriptor_pb2.FileDescriptorProto(
        name="golintleaks/pprof/profile.proto", package=_PACKAGE, syntax="proto3"
    )
    for message_name, fields in _SCHEMA.items():
        message = file_proto.message_type.add(name=message_name)
        for field_name, number, kind, type_name, repeated in fields:
            field = message.field.add(name=field_name, number=number, type=kind)
            field.label = _FIELD.LABEL_REPEATED if repeated else _FIELD.LABEL_OPTIONAL
            if type_name:
                field.type_name = f".{_PACKAGE}.{type_name}"
    pool = descriptor_pool.DescriptorPool()
    pool.Add(file_proto)
    return message_factory.GetMessageClass(pool.FindMessageTypeByName(f"{_PACKAGE}.Profile"))


Profile = _profile_class()


def read_profile(path: str, data: bytes) -> Dump:
    """Decode an (already gunzipped) pprof goroutine or goroutineleak profile."""
    profile = Profile()
    try:
        profile.ParseFromString(data)
    except DecodeError as exc:
        raise DumpError("binary file that is neither gzip nor a pprof profile") from exc
    strings = list(profile.string_table)

    def text(index: int) -> str:
        return strings[index] if 0 <= index < len(strings) else ""

    kinds = [text(t.type) for t in profile.sample_type]
    if not kinds or kinds[0] not in ("goroutine", "goroutineleak"):
        shown = kinds[0] if kinds and kinds[0] else "unknown"
        raise DumpError(f"pprof profile of type {shown!r}, not a goroutine profile")
    leaked = kinds[0] == "goroutineleak"
    functions = {f.id: (text(f.name), text(f.filename)) for f in profile.function}
    locations: dict[int, tuple[Frame, ...]] = {}
    for location in profile.location:
        frames = []
        for line in location.line:  # inlined callees first, as in a traceback
            name, filename = functions.get(line.function_id, ("", ""))
            if name:
                frames.append(Frame(normalize_function(name), filename, int(line.line)))
        locations[location.id] = tuple(frames)
    table = GroupTable()
    for sample in profile.sample:
        frames = tuple(
            frame for location_id in sample.location_id for frame in locations.get(location_id, ())
        )
        frames = tuple(f for f in frames if f.function != "runtime.goexit")
        if not frames or not sample.value:
            continue
        group = table.group_for(Signature(infer_state(frames), frames), FORMAT_PROTO)
        group.state_inferred = True
        group.observe(int(sample.value[0]), None, None, leaked)
    groups = table.groups()
    return Dump(path, groups, sum(g.count for g in groups), [FORMAT_PROTO], [])
