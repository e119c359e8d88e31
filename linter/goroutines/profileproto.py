"""pprof's profile.proto as protobuf message classes, built at import from a descriptor.

The schema is github.com/google/pprof/proto/profile.proto, declared here as data so no
generated code or protoc is needed. `Profile` decodes a whole profile. The heap reader
decodes profiles through *views* of the same wire format, each declaring a field the way
that lets protobuf's C decoder do the per-sample work:

- `SampleKeys`: the profile (tables as usual) with each sample's `location_id` as `bytes`:
  a packed field is a length-delimited one, so each sample's ids arrive still encoded, a
  ready-made key (a sample that wrote them unpacked keeps them as an unknown field);
- `SampleValues`: the profile's `sample` as one non-repeated message: protobuf merges every
  occurrence of it, so all samples' values arrive as one flat list, in sample order;
- `FlatSample`: one sample's `location_id` and `value`, to decode many samples' ids at once
  (encodings joined with an encoded id 0 between them: no location has id 0).
"""

from __future__ import annotations

from collections.abc import Callable

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

_FIELD = descriptor_pb2.FieldDescriptorProto
_INT64, _UINT64, _BOOL, _MESSAGE = (
    _FIELD.TYPE_INT64,
    _FIELD.TYPE_UINT64,
    _FIELD.TYPE_BOOL,
    _FIELD.TYPE_MESSAGE,
)
SCHEMA: dict[str, list[tuple[str, int, int, str, bool]]] = {
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


def _message_class(schema: dict, package: str, root: str) -> type:
    file_proto = descriptor_pb2.FileDescriptorProto(
        name=f"golintleaks/{package}.proto", package=package, syntax="proto3"
    )
    for message_name, fields in schema.items():
        message = file_proto.message_type.add(name=message_name)
        for field_name, number, kind, type_name, repeated in fields:
            field = message.field.add(name=field_name, number=number, type=kind)
            field.label = _FIELD.LABEL_REPEATED if repeated else _FIELD.LABEL_OPTIONAL
            if type_name:
                field.type_name = f".{package}.{type_name}"
    pool = descriptor_pool.DescriptorPool()
    pool.Add(file_proto)
    return message_factory.GetMessageClass(pool.FindMessageTypeByName(f"{package}.{root}"))


def _with_samples_as(sample: tuple[str, int, int, str, bool]) -> dict:
    return {
        **SCHEMA,
        "Profile": [sample if f[0] == "sample" else f for f in SCHEMA["Profile"]],
    }


Profile = _message_class(SCHEMA, "golintleaks.pprof", "Profile")
SampleKeys = _message_class(
    {
        **_with_samples_as(("sample", 2, _MESSAGE, "Keyed", True)),
        "Keyed": [("location_id", 1, _FIELD.TYPE_BYTES, "", False)],
    },
    "golintleaks.keys",
    "Profile",
)
SampleValues = _message_class(
    {
        "Profile": [("sample", 2, _MESSAGE, "Values", False)],
        "Values": [("value", 2, _INT64, "", True)],
    },
    "golintleaks.values",
    "Profile",
)
FlatSample = _message_class(
    {"Sample": [("location_id", 1, _UINT64, "", True), ("value", 2, _INT64, "", True)]},
    "golintleaks.flat",
    "Sample",
)


def string_reader(profile: object) -> Callable[[int], str]:
    """A decoded profile's string table as a function of the index; an index out of range
    reads as "" (a damaged profile still names what it can)."""
    strings = list(profile.string_table)  # type: ignore[attr-defined]
    return lambda index: strings[index] if 0 <= index < len(strings) else ""
