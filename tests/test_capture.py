"""Live capture (`--pprof URL`): snapshots from a net/http/pprof endpoint, progress on stderr,
one-line errors with exit 2, Ctrl-C. A small local server replays the real snapshots of
cmd/heapdemo in testdata/dumps/heap/ (the live program itself is in test_heap_live.py)."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from tests.conftest import ROOT, TESTDATA, lint

pytestmark = pytest.mark.usefixtures("at_root")

HEAP = TESTDATA / "dumps" / "heap"
PROGRAMS = "testdata/programs/..."


class Replay(BaseHTTPRequestHandler):
    """Serves the committed snapshots in order; `behaviour` changes what it answers."""

    behaviour = "replay"
    served: ClassVar[dict[str, int]] = {}

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if self.behaviour == "slow":
            time.sleep(3)
        if self.behaviour == "html" or path == "/":
            return self._answer(200, b"<!DOCTYPE html><html>a web page</html>")
        if self.behaviour == "redirect-away":
            self.send_response(302)
            self.send_header("Location", "http://elsewhere.invalid/debug/pprof/heap")
            self.end_headers()
            return None
        if self.behaviour == "404" or path not in ("/debug/pprof/heap", "/debug/pprof/goroutine"):
            return self._answer(404, b"404 page not found\n")
        count = self.served[path] = self.served.get(path, 0) + 1
        name = f"heap-{count}.pb.gz" if path.endswith("heap") else f"goroutines-{count}.txt"
        return self._answer(200, (HEAP / name).read_bytes())

    def _answer(self, status: int, body: bytes) -> None:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # a client gave up
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[tuple[str, type[Replay]]]:
    handler = type("Handler", (Replay,), {"served": {}})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", handler
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_snapshots_are_captured_saved_and_used_like_files(server, tmp_path):
    url, _ = server
    saved = tmp_path / "snapshots"
    code, out, err = lint(
        "--format",
        "json",
        "--pprof",
        url,
        "--interval",
        "0s",
        "--snapshots",
        "3",
        "--save",
        str(saved),
        PROGRAMS,
    )
    assert code == 1, err
    assert sorted(p.name for p in saved.iterdir()) == [
        "goroutines-1.txt",
        "goroutines-2.txt",
        "goroutines-3.txt",
        "heap-1.pb.gz",
        "heap-2.pb.gz",
        "heap-3.pb.gz",
    ]
    lines = err.splitlines()
    assert f"golint-leaks: snapshot 1 of 3: fetching from {url}/debug/pprof/" in lines
    assert "golint-leaks: waiting 0s for snapshot 3 of 3" in lines
    assert any(
        line.startswith("golint-leaks: saved; to repeat offline: golint-leaks --heap ")
        for line in lines
    )
    document = json.loads(out)
    rules = {(f["rule"], f["location"]["path"]) for f in document["findings"] if f["evidence"]}
    assert rules == {
        ("GLK301", "testdata/programs/catalog/catalog.go"),
        ("GLK302", "testdata/programs/journal/journal.go"),
        ("GLK901", "testdata/programs/tracker/tracker.go"),
        ("GLK202", "testdata/programs/handler/handler.go"),
    }


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/debug/pprof", "/debug/pprof/heap?gc=1: 404 Not Found: no pprof handler there"),
        ("/service/", "/service/debug/pprof/heap?gc=1: 404 Not Found: no pprof handler there"),
    ],
)
def test_the_pprof_path_is_found_under_the_url(server, url, message):
    base, handler = server
    handler.behaviour = "404"
    code, _, err = lint("--pprof", base + url, PROGRAMS)
    assert code == 2
    assert (
        err.strip().splitlines()[-1] == f"golint-leaks: {base}{message} (import _ "
        '"net/http/pprof" and serve it, or give the URL it is served under)'
    )


def test_an_answer_that_is_not_a_profile(server):
    base, handler = server
    handler.behaviour = "html"
    code, _, err = lint("--pprof", base, PROGRAMS)
    assert code == 2
    assert err.strip().splitlines()[-1] == (
        f"golint-leaks: {base}/debug/pprof/heap?gc=1: the answer is not a heap profile "
        "(it starts with '<!DOCTYPE html><html>a web page</html>')"
    )


def test_redirects_off_the_host_are_refused(server):
    base, handler = server
    handler.behaviour = "redirect-away"
    code, _, err = lint("--pprof", base, PROGRAMS)
    assert code == 2
    assert err.strip().splitlines()[-1] == (
        f"golint-leaks: {base}/debug/pprof/heap?gc=1: redirected to http://elsewhere.invalid; "
        "only redirects on the same host are followed"
    )


def test_a_server_that_does_not_answer_in_time(server):
    base, handler = server
    handler.behaviour = "slow"
    code, _, err = lint("--pprof", base, "--pprof-timeout", "500ms", PROGRAMS)
    assert code == 2
    host = base.removeprefix("http://")
    assert err.strip().splitlines()[-1] == (
        f"golint-leaks: {host} did not answer within 500ms (--pprof-timeout)"
    )


def test_connection_refused():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code, _, err = lint("--pprof", f"http://127.0.0.1:{port}", PROGRAMS)
    assert code == 2
    assert err.strip().splitlines()[-1] == (
        f"golint-leaks: cannot connect to 127.0.0.1:{port}: connection refused (is the "
        "service running, and listening there?)"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--pprof", "ftp://127.0.0.1/"], "expected an http:// or https:// URL"),
        (["--pprof", "localhost:6060"], "expected an http:// or https:// URL"),
        (["--pprof", "http://127.0.0.1:1", "--heap", "x.pb.gz"], "give either --pprof or"),
        (["--save", "dir"], "--save keeps what --pprof captures; it needs --pprof"),
        (["--pprof", "http://127.0.0.1:1", "--interval", "2 minutes"], "invalid duration"),
        (["--pprof", "http://127.0.0.1:1", "--snapshots", "1"], "1 is not in the range x>=2"),
    ],
)
def test_usage_errors_before_anything_runs(args, message):
    code, out, err = lint(*args, PROGRAMS)
    assert code == 2 and message in err and out == ""


def test_ctrl_c_while_waiting_stops_cleanly(server, tmp_path):
    base, _ = server
    exe = Path(sys.executable).parent / "golint-leaks"
    process = subprocess.Popen(
        [str(exe), "--no-cache", "--pprof", base, "--interval", "10m", PROGRAMS],
        cwd=ROOT,
        env={**os.environ, "TMPDIR": str(tmp_path)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    seen = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        seen.append(line)
        if line.startswith("golint-leaks: waiting 10m0s for snapshot 2 of 2"):
            break
    else:
        process.kill()
        pytest.fail("never started waiting: " + "".join(seen))
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert err.strip() == "golint-leaks: interrupted"
    assert out == ""
    assert list(tmp_path.iterdir()) == []  # the first snapshot's files are gone
