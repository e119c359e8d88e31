"""The text formats of goroutine dumps, parsed chunk by chunk.

Text formats, auto-detected line by line, several per file, with CRLF line ends, log
prefixes (timestamps, container-log markers) and indentation, and the way they come back
when pasted into Markdown, chat or an issue tracker: frames indented with spaces instead of
tabs, C frames with `pc=` instead of a `+0x` offset, frames without a file:line at all (read
as frames outside the tree):

- tracebacks: panic and SIGQUIT output, any GOTRACEBACK level, `/debug/pprof/goroutine?debug=2`
  and the goroutineleak profile at debug=2 (`[chan send (leaked)]`);
- `debug=1` pprof text (`goroutine profile: total N`, `N @ 0x...`, `#\\t0x...\\tF+0x1f\\tfile:12`),
  for the goroutine and the goroutineleak profile;
- goleak's "found unexpected goroutines:" message, in go test output or bare;
- race-detector reports mixed in are skipped.

Speed: most goroutines of a big dump share a handful of stacks. The file is read in chunks,
argument values and frame pointers (the parts that differ between goroutines parked at the
same place) are blanked with one regex pass per chunk, and a goroutine whose blanked stack
was seen before costs one dict lookup. Anything unusual goes through the line parser.
"""

from __future__ import annotations

import re

from linter.goroutines.dump import (
    FORMAT_DEBUG1,
    FORMAT_GOLEAK,
    FORMAT_TRACEBACK,
    Dump,
    DumpError,
)
from linter.goroutines.group import Frame, Group, GroupTable, Signature, normalize_function
from linter.goroutines.judge import infer_state, parse_state

_HEADER_RE = re.compile(
    rb"goroutine (\d+)(?: gp=\S+)?(?: m=\S+)?(?: mp=\S+)? \[([^\]]*)\](?: \{.*\})?:\s*$"
)
_GOLEAK_RE = re.compile(rb"Goroutine (\d+) in state (.*), with \S+ on top of the stack:\s*$")
_RECORD_RE = re.compile(rb"(?:^|\s)(\d+) @(?: 0x[0-9a-fA-F]+)+\s*$")
_PROFILE_RE = re.compile(rb"(goroutine|goroutineleak) profile: total (\d+)")
_ARGS_RE = re.compile(rb"\([^()\n]*\)\n")
_FRAME_POINTERS_RE = re.compile(rb" fp=0x[0-9a-f]+ sp=0x[0-9a-f]+ pc=0x[0-9a-f]+")
# A frame's position, when it is indented with spaces: `path/file.go:12` (`??:0`) followed by
# a `+0x` offset, a C frame's `pc=0x...` or nothing, or a bare `pc=0x...` (a C frame).
_SPACED_LOCATION_RE = re.compile(rb"\S[^()]*:\d+(?:\s|$)|pc=0x")
_LOCATION_ENDS = (b" +0x", b" fp=", b" pc=")
_NON_GO_FUNCTION = b"non-Go function"
_PARENT_RE = re.compile(rb" in goroutine \d+\n")
_PREFIX_TOKEN_RE = re.compile(rb"\d+|[^\d]+")
_RACE_START = b"WARNING: DATA RACE"
_RACE_END = b"=================="


class _Goroutine:
    """A goroutine (or a debug=1 record) being read line by line."""

    __slots__ = (
        "ancestors",
        "count",
        "created_by",
        "elided",
        "goroutine_id",
        "kind",
        "leaked",
        "line",
        "parts",
        "pending",
        "pending_creator",
        "positionless",
        "state",
        "unavailable",
        "wait",
    )

    @property
    def name(self) -> str:
        if self.goroutine_id is None:
            return "a profile record"
        return f"goroutine {self.goroutine_id}"

    def expects_location(self) -> bool:
        """Whether a tab-indented line now is a frame's file:line (else it may be a header
        or a frame of a dump indented with tabs)."""
        return self.pending is not None or self.pending_creator is not None or self.ancestors

    def __init__(self, kind: str, line: int, goroutine_id: int | None, count: int = 1) -> None:
        self.kind = kind
        self.line = line
        self.goroutine_id = goroutine_id
        self.count = count
        self.state = ""
        self.wait: int | None = None
        self.leaked = False
        self.parts: list[tuple[bytes, bytes]] = []
        self.pending: bytes | None = None
        self.pending_creator: bytes | None = None
        self.created_by: tuple[bytes, bytes] | None = None
        self.elided = False
        self.ancestors = False
        self.unavailable = False
        self.positionless = False  # a frame came without a file:line (a pasted dump)


class TextParser:
    """The text formats, fed chunk by chunk (see the module docstring)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.table = GroupTable()
        self.formats: list[str] = []
        self.problems: list[str] = []
        self._line = 0
        self._current: _Goroutine | None = None
        self._prefix: re.Pattern[bytes] | None = None
        self._skipping_race = False
        self._leak_profile = False
        self._profiles = 0
        self._states: dict[bytes, tuple[str, int | None, bool]] = {}
        self._fast: dict[tuple[str, bytes], Group] = {}
        self._groups: dict[tuple, Group] = {}
        self._finished: Group | None = None
        self._finished_count = 0
        self._ended_with_newline = True
        self._at_blank_line = True  # whether the last chunk ended at a blank line
        self._raw = b""  # the line being parsed, before its prefix was stripped
        self._raw_offset = 0

    # -- chunks and the fast path --------------------------------------------------------

    def feed(self, chunk: bytes) -> None:
        self._ended_with_newline = chunk.endswith(b"\n")
        chunk = _ARGS_RE.sub(b"()\n", chunk)
        if b" fp=0x" in chunk:
            chunk = _FRAME_POINTERS_RE.sub(b"", chunk)
        if b" in goroutine " in chunk:
            chunk = _PARENT_RE.sub(b"\n", chunk)
        fast = self._fast
        states = self._states
        at_blank_line = chunk.endswith(b"\n\n")
        cut_at_line_end = not at_blank_line and chunk.endswith(b"\n")
        if cut_at_line_end:
            chunk = chunk[:-1]  # the line goes on in no next chunk: no empty line here
        blocks = chunk.split(b"\n\n")
        last = len(blocks) - 1
        for index, block in enumerate(blocks):
            start = self._line + 1
            self._line += block.count(b"\n") + 2
            if index > 0 or self._at_blank_line:
                self._end_goroutine()
            if not block:
                continue
            if self._prefix is None and not self._skipping_race and block.startswith(b"goroutine "):
                newline = block.find(b"\n")
                match = _HEADER_RE.match(block, 0, newline) if newline > 0 else None
                if match is not None:
                    bracket = match.group(2)
                    parsed = states.get(bracket)
                    if parsed is None:
                        parsed = states[bracket] = parse_state(bracket.decode("utf-8", "replace"))
                    state, wait, leaked = parsed
                    key = (state, block[newline + 1 :])
                    group = fast.get(key)
                    if group is not None:
                        goroutine_id = int(match.group(1)) if len(group.sample_ids) < 3 else None
                        group.observe(1, 0 if wait is None else wait, goroutine_id, leaked)
                        continue
                    self._lines(block, start)
                    if index < last:  # the last block of the file may go on in no chunk
                        self._end_goroutine()
                        if self._finished_count == 1 and self._finished is not None:
                            fast[key] = self._finished
                    continue
            self._lines(block, start)
        # The last block had no blank line after it within this chunk.
        self._line -= 1 if cut_at_line_end else 2
        self._at_blank_line = at_blank_line

    def _lines(self, block: bytes, first_line: int) -> None:
        self._finished = None
        self._finished_count = 0
        for offset, line in enumerate(block.split(b"\n")):
            self._parse_line(line, first_line + offset)

    # -- the line parser ------------------------------------------------------------------

    def _parse_line(self, line: bytes, number: int) -> None:
        if self._skipping_race:
            if line.lstrip().startswith(_RACE_END):
                self._skipping_race = False
            return
        raw = line
        if self._prefix is not None:
            match = self._prefix.match(line)
            if match:
                line = line[match.end() :]
        spaced = line[:1] == b" "
        if spaced:
            line = line.lstrip(b" ")
        self._raw_offset = len(raw) - len(line)
        self._raw = raw
        if not line or line.isspace():
            self._end_goroutine()
            return
        current = self._current
        if (
            current is not None
            and current.expects_location()
            and (line[:1] == b"\t" or (spaced and _SPACED_LOCATION_RE.match(line)))
        ):
            self._location(line.lstrip(b"\t"))
            return
        if current is not None and current.kind != "record" and line.endswith(b")"):
            if not current.ancestors:
                self._function(current, line[: line.rfind(b"(")])
            return
        if line == _NON_GO_FUNCTION and current is not None and not current.ancestors:
            self._flush_positionless(current)
            current.pending = line  # a C frame the symbolizer could not name
            return
        if line[:1] == b"#" and (current is None or current.kind == "record"):
            self._record_frame(line)
            return
        if line.startswith(b"created by "):
            self._creator(line[len(b"created by ") :])
            return
        if self._header(line, number):
            return
        if line.startswith(b"...") and line.endswith(b"elided..."):
            if current is not None:
                current.elided = True
            return
        if line.startswith(b"[originating from goroutine "):
            if current is not None:
                current.ancestors = True
            return
        if b"stack unavailable" in line:
            if current is not None:
                current.unavailable = True
            return
        if _RACE_START in line:
            self._end_goroutine()
            self._skipping_race = True
            return
        self._end_goroutine(unexpected=number)

    def _header(self, line: bytes, number: int) -> bool:
        """A line that starts a goroutine, a debug=1 record or a profile; False if not one."""
        if b"goroutine" in line:
            match = _HEADER_RE.search(line)
            if match is not None:
                current = self._current
                goroutine_id = int(match.group(1))
                if (
                    current is not None
                    and current.kind == FORMAT_GOLEAK
                    and current.goroutine_id == goroutine_id
                    and not current.parts
                ):
                    return True  # older goleak repeats the runtime's header inside its block
                self._start(match.start(), FORMAT_TRACEBACK, number, goroutine_id)
                self._set_state(self._current, match.group(2))
                return True
            match = _PROFILE_RE.search(line)
            if match is not None:
                self._end_goroutine()
                self._set_prefix(self._raw[: self._raw_offset + match.start()])
                self._leak_profile = match.group(1) == b"goroutineleak"
                self._profiles += 1
                self._add_format(FORMAT_DEBUG1)
                return True
        if b"Goroutine " in line:
            match = _GOLEAK_RE.search(line)
            if match is not None:
                self._start(match.start(), FORMAT_GOLEAK, number, int(match.group(1)))
                self._set_state(self._current, match.group(2))
                return True
        if b" @ 0x" in line:
            match = _RECORD_RE.search(line)
            if match is not None:
                self._start(match.start(1), "record", number, None, int(match.group(1)))
                return True
        return False

    def _start(
        self,
        at: int,
        kind: str,
        number: int,
        goroutine_id: int | None,
        count: int = 1,
    ) -> None:
        self._end_goroutine()
        self._set_prefix(self._raw[: self._raw_offset + at])
        self._current = _Goroutine(kind, number, goroutine_id, count)
        if kind != "record":
            self._add_format(kind)

    def _set_state(self, current: _Goroutine | None, bracket: bytes) -> None:
        if current is None:
            return
        state, wait, leaked = parse_state(bracket.decode("utf-8", "replace"))
        current.state, current.wait, current.leaked = state, wait, leaked

    def _set_prefix(self, prefix: bytes) -> None:
        """Learn the log prefix from a header line, as a pattern that tolerates changing
        digits (timestamps, pids); whitespace-only indentation is stripped without one."""
        prefix = prefix.rstrip(b"[")
        if not prefix or prefix.strip(b" ") == b"":
            self._prefix = None
            return
        pattern = b"".join(
            rb"\d+" if token[:1].isdigit() else re.escape(token)
            for token in _PREFIX_TOKEN_RE.findall(prefix.rstrip(b" "))
        )
        self._prefix = re.compile(pattern)

    def _function(self, current: _Goroutine, name: bytes) -> None:
        self._flush_positionless(current)
        current.pending = name.rsplit(b" ", 1)[-1] if b" " in name else name

    @staticmethod
    def _flush_positionless(current: _Goroutine) -> None:
        """A frame followed by another frame (or the end of its goroutine) came without a
        file:line, as in dumps pasted by hand: keep it as a frame outside the tree."""
        if current.pending is not None:
            current.parts.append((current.pending, b""))
            current.pending = None
            current.positionless = True
        if current.pending_creator is not None:
            current.created_by = (current.pending_creator, b"")
            current.pending_creator = None
            current.positionless = True

    def _location(self, text: bytes) -> None:
        current = self._current
        if current is None or current.ancestors:
            return
        if text.startswith(b"pc="):
            location = b""  # a C function the symbolizer could not place
        else:
            ends = [end for end in map(text.find, _LOCATION_ENDS) if end >= 0]
            location = text[: min(ends)] if ends else text.rstrip()
        if current.pending_creator is not None:
            current.created_by = (current.pending_creator, location)
            current.pending_creator = None
        elif current.pending is not None:
            current.parts.append((current.pending, location))
            current.pending = None

    def _creator(self, text: bytes) -> None:
        current = self._current
        if current is None or current.ancestors:
            return
        cut = text.find(b" in goroutine ")
        self._flush_positionless(current)
        current.pending_creator = (text[:cut] if cut >= 0 else text).strip()

    def _record_frame(self, line: bytes) -> None:
        """`#\\t0x58306e\\tpkg.F+0x8e\\t/path/file.go:21` (tabwriter may pad with more tabs)."""
        current = self._current
        if current is None or current.kind != "record":
            return
        fields = [f for f in line.split(b"\t") if f]
        if len(fields) < 4 or fields[0] != b"#" or not fields[1].startswith(b"0x"):
            return  # `# labels: {...}` or an unsymbolized PC
        function = fields[2]
        plus = function.rfind(b"+0x")
        current.parts.append((function[:plus] if plus > 0 else function, fields[-1]))

    # -- finishing goroutines ---------------------------------------------------------------

    def _end_goroutine(self, unexpected: int | None = None) -> None:
        current = self._current
        if current is None:
            return
        self._current = None
        if unexpected and (current.pending is not None or current.pending_creator is not None):
            self._problem(
                f"garbled: {current.name} (line {current.line}): "
                f"a frame has no file:line before line {unexpected}"
            )
            return
        self._flush_positionless(current)
        if not current.parts:
            if not current.unavailable and current.kind != FORMAT_GOLEAK:
                self._problem(f"garbled: {current.name} (line {current.line}) has no stack frames")
            return
        group = self._group_of(current)
        if current.kind == "record":
            group.observe(current.count, None, None, self._leak_profile)
        else:
            wait = current.wait
            if wait is None and current.kind == FORMAT_TRACEBACK:
                wait = 0  # a traceback prints minutes from the first one on
            group.observe(1, wait, current.goroutine_id, current.leaked)
            if current.kind == FORMAT_GOLEAK:
                group.reported = True
        self._finished = group
        self._finished_count += 1

    def _group_of(self, current: _Goroutine) -> Group:
        key = (
            current.kind,
            current.state,
            tuple(current.parts),
            current.created_by,
            current.elided,
        )
        group = self._groups.get(key)
        if group is not None:
            return group
        frames = tuple(_frame(function, location) for function, location in current.parts)
        creator = _frame(*current.created_by) if current.created_by else None
        state = current.state
        inferred = False
        if current.kind == "record":
            state = infer_state(frames)
            inferred = True
        source = FORMAT_DEBUG1 if current.kind == "record" else current.kind
        group = self.table.group_for(Signature(state, frames, creator, current.elided), source)
        group.state_inferred = inferred
        self._groups[key] = group
        return group

    def _add_format(self, name: str) -> None:
        if name not in self.formats:
            self.formats.append(name)

    def _problem(self, message: str) -> None:
        if len(self.problems) < 1:
            self.problems.append(message)

    def finish(self) -> Dump:
        current = self._current
        if current is not None and (
            (
                not current.positionless
                and (current.pending is not None or current.pending_creator is not None)
            )
            or not self._ended_with_newline
        ):
            self._current = None
            self.problems[:0] = [
                f"truncated: the dump ends inside {current.name} (line {current.line})"
            ]
            del self.problems[1:]
        self._end_goroutine()
        if not self.formats:
            raise DumpError(
                "no goroutine dump found (expected a Go traceback, a pprof goroutine "
                "profile or goleak's message)"
            )
        groups = self.table.groups()
        return Dump(
            path=self.path,
            groups=groups,
            goroutines=sum(g.count for g in groups),
            formats=list(self.formats),
            problems=list(self.problems),
        )


def _frame(function: bytes, location: bytes) -> Frame:
    path, _, line = location.rpartition(b":")
    if not path or not line.isdigit():
        path, line = location, b"0"
    name = normalize_function(function.decode("utf-8", "replace"))
    return Frame(name, path.decode("utf-8", "replace"), int(line))
