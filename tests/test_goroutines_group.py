"""Grouping, judging and the baseline diff of goroutine groups."""

from __future__ import annotations

import pytest

from linter.goroutines.group import (
    Frame,
    Group,
    GroupTable,
    Signature,
    grown_since,
    normalize_function,
    package_of,
)
from linter.goroutines.judge import (
    Thresholds,
    ignore_reason,
    infer_state,
    is_blocked,
    is_suspect,
    parse_state,
    top_function,
)

WORKER = Frame("github.com/acme/svc/pool.(*Pool).worker", "/src/svc/pool/pool.go", 40)


def group(*functions: str, state: str = "chan receive", count: int = 20, **extra) -> Group:
    frames = tuple(Frame(f, "/src/x.go", 10 + i) for i, f in enumerate(functions)) or (WORKER,)
    created_by = extra.pop("created_by", None)
    result = Group(Signature(state, frames, created_by), "traceback")
    result.observe(count, extra.pop("wait", 0), 7, extra.pop("leaked", False))
    for key, value in extra.items():
        setattr(result, key, value)
    return result


@pytest.mark.parametrize(
    ("bracket", "expected"),
    [
        ("chan send", ("chan send", None, False)),
        ("chan send (leaked)", ("chan send", None, True)),
        ("select, 14 minutes, locked to thread", ("select", 14, False)),
        ("chan receive (leaked), 1 minutes", ("chan receive", 1, True)),
        (
            "sync.WaitGroup.Wait (durable), synctest bubble 3",
            ("sync.WaitGroup.Wait (durable)", None, False),
        ),
        ("running (scan)", ("running", None, False)),
    ],
)
def test_parse_state(bracket, expected):
    assert parse_state(bracket) == expected


def test_blocked_states():
    for state in (
        "chan send",
        "chan receive (nil chan)",
        "select (no cases)",
        "sync.Cond.Wait",
        "semacquire",
        "sync.RWMutex.RLock",
        "sync.WaitGroup.Wait (durable)",
    ):
        assert is_blocked(state), state
    for state in ("running", "runnable", "IO wait", "sleep", "syscall", "GC worker (idle)", ""):
        assert not is_blocked(state), state


def test_state_inferred_from_runtime_and_sync_frames():
    def frames(*names):
        return [Frame(n, "", 1) for n in names]

    assert (
        infer_state(
            frames("runtime.gopark", "runtime.chansend", "runtime.chansend1", "main.worker")
        )
        == "chan send"
    )
    assert infer_state(frames("runtime.gopark", "runtime.selectgo", "main.loop")) == "select"
    assert infer_state(frames("runtime.gopark", "runtime.block", "main.f")) == "select (no cases)"
    # The sync wrapper says more than the semaphore under it.
    assert (
        infer_state(
            frames(
                "runtime.gopark",
                "runtime.semacquire1",
                "sync.runtime_SemacquireWaitGroup",
                "sync.(*WaitGroup).Wait",
                "main.f",
            )
        )
        == "sync.WaitGroup.Wait"
    )
    # debug=1 drops the leading runtime frames: a user frame on top says nothing.
    assert infer_state(frames("main.worker", "runtime.chansend1")) == ""


def test_functions_and_packages():
    assert package_of("github.com/acme/svc/pkg.(*T).run.func1") == "github.com/acme/svc/pkg"
    assert package_of("main.main") == "main"
    assert normalize_function("main.Map[go.shape.int,go.shape.string]") == "main.Map[...]"
    assert top_function([Frame("runtime.gopark", "", 1), WORKER]) == WORKER.function


def test_ignored_goroutines():
    assert ignore_reason(group("runtime.gopark", "runtime.forcegchelper")) == "runtime goroutine"
    gc = group("main.f", created_by=Frame("runtime.gcenable", "", 1))
    assert ignore_reason(gc) == "created by the runtime"
    assert ignore_reason(group("runtime.gopark", "testing.(*T).Run", "testing.runTests"))
    assert ignore_reason(group("net/http.(*persistConn).readLoop")) == "idle library goroutine"
    assert ignore_reason(group("os/signal.signal_recv", "os/signal.loop"))
    assert ignore_reason(group(WORKER.function)) == ""
    assert ignore_reason(group(WORKER.function), frozenset({WORKER.function})) == (
        "ignore-functions"
    )
    # ignore-functions names the top of the stack, not any frame (goleak's IgnoreTopFunction)
    assert ignore_reason(group("main.f", WORKER.function), frozenset({WORKER.function})) == ""


def test_suspects_pass_thresholds_or_are_proved():
    default = Thresholds()
    assert is_suspect(group(count=10), default)
    assert not is_suspect(group(count=9), default)
    assert not is_suspect(group(count=500, state="IO wait"), default)
    assert is_suspect(group(count=1, state="running", leaked=True), default)
    assert is_suspect(group(count=1, state="sleep", reported=True), default)
    patient = Thresholds(min_goroutines=1, min_wait=10)
    assert not is_suspect(group(count=50, wait=9), patient)
    assert is_suspect(group(count=50, wait=10), patient)
    unknown_wait = group(count=50)
    unknown_wait.min_wait = unknown_wait.max_wait = None  # debug=1, protobuf
    assert is_suspect(unknown_wait, patient)


def test_table_merges_by_signature_and_keeps_a_few_ids():
    table = GroupTable()
    signature = Signature("select", (WORKER,))
    for goroutine_id, wait in ((5, 3), (9, 14), (11, 0), (12, 1)):
        table.group_for(signature, "traceback").observe(1, wait, goroutine_id, False)
    (merged,) = table.groups()
    assert merged.count == 4 and table.goroutines == 4
    assert (merged.min_wait, merged.max_wait) == (0, 14)
    assert merged.sample_ids == [5, 9, 11]


def test_baseline_diff_keeps_only_growth():
    grew = group(WORKER.function, count=812)
    steady = group("github.com/acme/svc/cache.(*Cache).janitor", count=4)
    new = group("github.com/acme/svc/api.handle.func2", count=30)
    shrank = group("github.com/acme/svc/api.stream", count=2)
    baseline = [
        group(WORKER.function, count=12),
        group("github.com/acme/svc/cache.(*Cache).janitor", count=4),
        group("github.com/acme/svc/api.stream", count=9),
    ]
    result = grown_since([grew, steady, new, shrank], baseline)
    assert [(g.frames[0].function, g.count, g.baseline) for g in result] == [
        (WORKER.function, 800, 12),
        ("github.com/acme/svc/api.handle.func2", 30, 0),
    ]
    assert grew.count == 812  # the dump's own group is untouched
