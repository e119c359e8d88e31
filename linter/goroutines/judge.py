"""Which groups look leaked: blocked states, thresholds, and the goroutines we never blame.

A goroutine is *blocked* when it waits on something only another goroutine can provide:
a channel, a select, a sync primitive. Sleeping, doing I/O or running is not blocked. A
blocked group is a leak suspect when it is large enough and has waited long enough, or at
once when the runtime's goroutineleak detector proved it unreachable or goleak listed it as
still alive after a test.

Ignored by default (`IGNORED_TOP_FUNCTIONS` and `ignore_reason`): the runtime's own
goroutines (every frame in the runtime, or created by it), the testing harness (a testing
function on top of the stack), os/signal's watcher, and well-known idle library goroutines:
net/http keep-alive connections, database/sql's connection opener and cleaner, glog/klog
flush daemons and OpenCensus' view worker. `[runtime] ignore-functions` in the config adds
top-of-stack functions, like goleak's IgnoreTopFunction.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from linter.goroutines.group import Frame, Group, package_of

BLOCKED_STATES = frozenset(
    {
        "chan send",
        "chan receive",
        "chan send (nil chan)",
        "chan receive (nil chan)",
        "select",
        "select (no cases)",
        "sync.Cond.Wait",
        "semacquire",
        "sync.Mutex.Lock",
        "sync.RWMutex.RLock",
        "sync.RWMutex.Lock",
        "sync.WaitGroup.Wait",
    }
)

IGNORED_TOP_FUNCTIONS = frozenset(
    {
        "os/signal.signal_recv",
        "os/signal.loop",
        "net/http.(*persistConn).readLoop",
        "net/http.(*persistConn).writeLoop",
        "net/http.(*http2ClientConn).readLoop",
        "golang.org/x/net/http2.(*ClientConn).readLoop",
        "database/sql.(*DB).connectionOpener",
        "database/sql.(*DB).connectionCleaner",
        "github.com/golang/glog.(*fileSink).flushDaemon",
        "github.com/golang/glog.(*loggingT).flushDaemon",
        "k8s.io/klog.(*loggingT).flushDaemon",
        "k8s.io/klog/v2.(*flushDaemon).run.func1",
        "go.opencensus.io/stats/view.(*worker).start",
    }
)

# Frames that tell what a goroutine waits on when the dump does not print a state (pprof
# debug=0 keeps runtime frames; debug=1 drops the leading runtime ones but keeps sync's).
_WRAPPER_STATES = {
    "sync.(*Cond).Wait": "sync.Cond.Wait",
    "sync.(*WaitGroup).Wait": "sync.WaitGroup.Wait",
    "sync.(*Mutex).Lock": "sync.Mutex.Lock",
    "internal/sync.(*Mutex).Lock": "sync.Mutex.Lock",
    "sync.(*RWMutex).RLock": "sync.RWMutex.RLock",
    "sync.(*RWMutex).Lock": "sync.RWMutex.Lock",
    "time.Sleep": "sleep",
    "internal/poll.runtime_pollWait": "IO wait",
}
_PRIMITIVE_STATES = {
    "runtime.chansend": "chan send",
    "runtime.chansend1": "chan send",
    "runtime.chanrecv": "chan receive",
    "runtime.chanrecv1": "chan receive",
    "runtime.chanrecv2": "chan receive",
    "runtime.selectgo": "select",
    "runtime.block": "select (no cases)",
    "runtime.semacquire1": "semacquire",
    "sync.runtime_Semacquire": "semacquire",
    "sync.runtime_SemacquireMutex": "semacquire",
    "sync.runtime_SemacquireRWMutex": "semacquire",
    "sync.runtime_SemacquireRWMutexR": "semacquire",
    "sync.runtime_SemacquireWaitGroup": "semacquire",
    "internal/sync.runtime_SemacquireMutex": "semacquire",
    "sync.runtime_notifyListWait": "sync.Cond.Wait",
    "runtime.notifyListWait": "sync.Cond.Wait",
    "runtime.netpollblock": "IO wait",
    "runtime.timeSleep": "sleep",
}
_RUNTIME_PREFIXES = ("runtime.", "internal/runtime/", "runtime/internal/", "internal/sync.")
_MINUTES_RE = re.compile(r"(\d+) minutes?")


@dataclass(frozen=True)
class Thresholds:
    """--min-goroutines and --min-wait: how big and how old a blocked group must be."""

    min_goroutines: int = 10
    min_wait: int = 0


def parse_state(bracket: str) -> tuple[str, int | None, bool]:
    """`chan send (leaked), 12 minutes, locked to thread` -> ("chan send", 12, True)."""
    parts = bracket.split(", ")
    state = parts[0]
    leaked = " (leaked)" in state
    if leaked:
        state = state.replace(" (leaked)", "")
    state = state.replace(" (scan)", "")
    wait = None
    for part in parts[1:]:
        match = _MINUTES_RE.fullmatch(part)
        if match:
            wait = int(match.group(1))
    return state, wait, leaked


def is_blocked(state: str) -> bool:
    return state.removesuffix(" (durable)") in BLOCKED_STATES


def is_runtime_function(function: str) -> bool:
    return function.startswith(_RUNTIME_PREFIXES) or function == "runtime"


def top_function(frames: Iterable[Frame]) -> str:
    """The first function that is not the runtime's own (what goleak calls the top)."""
    first = ""
    for frame in frames:
        if not first:
            first = frame.function
        if not is_runtime_function(frame.function):
            return frame.function
    return first


def infer_state(frames: Iterable[Frame]) -> str:
    """What a stack without a printed state waits on, read from the runtime/sync frames."""
    primitive = ""
    for frame in frames:
        function = frame.function
        wrapper = _WRAPPER_STATES.get(function)
        if wrapper:
            return wrapper
        if not primitive:
            primitive = _PRIMITIVE_STATES.get(function, "")
        if not is_runtime_function(function) and package_of(function) not in ("sync", "time"):
            break
    return primitive


def ignore_reason(group: Group, extra: frozenset[str] = frozenset()) -> str:
    """Why a group is never blamed, or "" when it may be."""
    frames = group.frames
    if frames and all(is_runtime_function(f.function) for f in frames):
        return "runtime goroutine"
    creator = group.created_by
    if creator is not None and is_runtime_function(creator.function):
        return "created by the runtime"
    top = top_function(frames)
    if top in extra:
        return "ignore-functions"
    if top.startswith("testing."):
        return "testing harness"
    if top in IGNORED_TOP_FUNCTIONS:
        return "idle library goroutine"
    if any(f.function == "runtime.ensureSigM" for f in frames):
        return "os/signal watcher"
    return ""


def is_suspect(group: Group, thresholds: Thresholds) -> bool:
    """Proved leaked, listed by goleak, or blocked and past both thresholds."""
    if group.leaked or group.reported:
        return True
    if not is_blocked(group.state):
        return False
    if group.count < thresholds.min_goroutines:
        return False
    if thresholds.min_wait > 0 and group.max_wait is not None:
        return group.max_wait >= thresholds.min_wait
    return True
