"""The memory-leak method on the real program: cmd/heapdemo runs on 127.0.0.1 and loads
itself; its heap profiles and goroutine dumps are captured both as files (fetched the way
the README says, with curl's equivalent) and by `golint-leaks --pprof`, over short
intervals. Both ways must confirm the two globals by heap growth, report one GLK901 at the
tracker's map and none at the churn, and confirm the blocked goroutines."""

from __future__ import annotations

import time
import urllib.request

import pytest

from tests.conftest import lint_json
from tests.gotool import heapdemo
from tests.test_heap_cli import HANDLER, PROGRAMS, assert_heap_method_works, finding

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("at_root")]
WARMUP, INTERVAL, SNAPSHOTS = 1.0, 2.0, 3


@pytest.fixture(scope="module")
def service(go, tmp_path_factory):
    binary, env = go
    with heapdemo(binary, env, tmp_path_factory.mktemp("heapdemo")) as url:
        yield url


def fetch(url: str, target) -> str:
    with urllib.request.urlopen(url, timeout=60) as answer:
        target.write_bytes(answer.read())
    return str(target)


def assert_goroutines_confirmed(document: dict) -> None:
    blocked = finding(document, *HANDLER)
    assert blocked["evidence"]["confirmed"] is True
    assert blocked["evidence"]["groups"][0]["baseline"] is not None  # grew since the first


def test_profiles_fetched_as_files(service, tmp_path):
    time.sleep(WARMUP)
    heaps, goroutines = [], []
    for number in range(1, SNAPSHOTS + 1):
        if number > 1:
            time.sleep(INTERVAL)
        heaps.append(fetch(f"{service}/debug/pprof/heap?gc=1", tmp_path / f"h{number}.pb.gz"))
        goroutines.append(
            fetch(f"{service}/debug/pprof/goroutine?debug=2", tmp_path / f"g{number}.txt")
        )
    code, document, err = lint_json(
        *(arg for path in heaps for arg in ("--heap", path)),
        "--dump-baseline",
        goroutines[0],
        "--dump",
        goroutines[-1],
        PROGRAMS,
    )
    assert code == 1, err
    assert_heap_method_works(document, SNAPSHOTS)
    assert_goroutines_confirmed(document)


def test_profiles_captured_with_pprof(service, tmp_path):
    code, document, err = lint_json(
        "--pprof",
        service,
        "--warmup",
        f"{WARMUP}s",
        "--interval",
        f"{INTERVAL}s",
        "--snapshots",
        str(SNAPSHOTS),
        "--save",
        str(tmp_path),
        PROGRAMS,
    )
    assert code == 1, err
    assert f"golint-leaks: snapshot 3 of 3: fetching from {service}/debug/pprof/" in err
    assert_heap_method_works(document, SNAPSHOTS)
    assert_goroutines_confirmed(document)
    saved = sorted(p.name for p in tmp_path.iterdir())
    assert "heap-3.pb.gz" in saved and "goroutines-3.txt" in saved
    assert "goroutineleak-3.txt" in saved  # Go 1.26 and later serve the leak profile
