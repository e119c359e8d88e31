"""The pprof protobuf goroutine profile (`debug=0`, what `go tool pprof` fetches).

Decoded with protobuf (`profileproto.Profile`). A goroutine profile is already aggregated by
stack (value[0] counts goroutines), so decoding it whole costs memory in proportion to
distinct stacks. Profiles carry no goroutine state: it is read from the
runtime frames, which debug=0 keeps.
"""

from __future__ import annotations

from google.protobuf.message import DecodeError

from linter.goroutines.dump import FORMAT_PROTO, Dump, DumpError
from linter.goroutines.group import Frame, GroupTable, Signature, normalize_function
from linter.goroutines.judge import infer_state
from linter.goroutines.profileproto import Profile, string_reader


def read_profile(path: str, data: bytes) -> Dump:
    """Decode an (already gunzipped) pprof goroutine or goroutineleak profile."""
    profile = Profile()
    try:
        profile.ParseFromString(data)
    except DecodeError as exc:
        raise DumpError("binary file that is neither gzip nor a pprof profile") from exc
    text = string_reader(profile)

    kinds = [text(t.type) for t in profile.sample_type]
    if not kinds or kinds[0] not in ("goroutine", "goroutineleak"):
        shown = kinds[0] if kinds and kinds[0] else "unknown"
        hint = "; give heap profiles as --heap" if "alloc_space" in kinds else ""
        raise DumpError(f"pprof profile of type {shown!r}, not a goroutine profile{hint}")
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
