"""Live capture from a running service's net/http/pprof: the two-snapshot method, done for you.

After an optional warm-up (so start-up allocations are not taken for growth), each snapshot
fetches the heap profile after a forced garbage collection (`heap?gc=1`), the goroutines
(`goroutine?debug=2`, else `debug=1`) and, when the server has it (Go 1.26 and later), the
`goroutineleak` profile; snapshots are `interval` seconds apart. The files are written to a
directory under readable names, and the runtime passes read them exactly as if they had
been given with `--heap` and `--dump`.

Only http and https are fetched, and redirects only on the same host. Every failure is one
`CaptureError` line: connection refused, no answer in time, no pprof handler (404), or an
answer that is not a profile.
"""

from __future__ import annotations

import http.client
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO
from urllib.parse import urljoin, urlsplit

from linter.units import format_duration

_GZIP_MAGIC = b"\x1f\x8b"
_PPROF_PATH = "/debug/pprof/"


class CaptureError(Exception):
    """A capture that cannot go on; the message is one line."""


@dataclass(frozen=True)
class CaptureRequest:
    """--pprof URL and its --warmup, --interval, --snapshots and --pprof-timeout."""

    url: str
    warmup: float = 0.0
    interval: float = 120.0
    snapshots: int = 2
    timeout: float = 30.0


@dataclass
class Captured:
    """The files written, oldest first (`leaks` is empty when the server has no
    goroutineleak profile), and what each is: `URL (snapshot N)`, for messages."""

    heaps: list[str] = field(default_factory=list)
    goroutines: list[str] = field(default_factory=list)
    leaks: list[str] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)


def pprof_base(url: str) -> str:
    """The `/debug/pprof/` URL under a service's base URL (or the URL itself if it names it)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise CaptureError(f"--pprof {url!r}: expected an http:// or https:// URL")
    path = parts.path
    cut = path.find(_PPROF_PATH.rstrip("/"))
    path = path[:cut] + _PPROF_PATH if cut >= 0 else path.rstrip("/") + _PPROF_PATH
    return f"{parts.scheme}://{parts.netloc}{path}"


def capture(request: CaptureRequest, directory: Path, stderr: TextIO) -> Captured:
    """Take the snapshots into `directory`, saying what happens on `stderr`."""
    base = pprof_base(request.url)
    fetcher = _Fetcher(base, request.timeout)
    captured = Captured()
    leak_profile = True
    if request.warmup > 0:
        _wait(request.warmup, "to warm up", stderr)
    for number in range(1, request.snapshots + 1):
        if number > 1:
            _wait(request.interval, f"for snapshot {number} of {request.snapshots}", stderr)
        _say(stderr, f"snapshot {number} of {request.snapshots}: fetching from {base}")
        label = f" (snapshot {number})"
        heap = fetcher.heap()
        captured.heaps.append(_save(captured, directory / f"heap-{number}.pb.gz", heap, label))
        goroutines = fetcher.goroutines("goroutine")
        path = directory / f"goroutines-{number}.txt"
        captured.goroutines.append(_save(captured, path, goroutines, label))
        if leak_profile:
            leaks = fetcher.goroutines("goroutineleak", missing_ok=True)
            leak_profile = leaks is not None
            if leaks is not None:
                path = directory / f"goroutineleak-{number}.txt"
                captured.leaks.append(_save(captured, path, leaks, label))
    return captured


class _Fetcher:
    def __init__(self, base: str, timeout: float) -> None:
        self.base = base
        self.timeout = timeout
        origin = urlsplit(base)
        self._opener = urllib.request.build_opener(_SameHostRedirects(origin.scheme, origin.netloc))

    def heap(self) -> tuple[str, bytes]:
        url = self.base + "heap?gc=1"
        data = self._get(url)
        if data is None:
            raise CaptureError(_no_handler(url))
        if not data.startswith(_GZIP_MAGIC):
            raise CaptureError(f"{url}: the answer is not a heap profile ({_preview(data)})")
        return url, data

    def goroutines(self, profile: str, missing_ok: bool = False) -> tuple[str, bytes] | None:
        """debug=2 (full tracebacks), else debug=1; None when missing and `missing_ok`."""
        for debug in (2, 1):
            url = f"{self.base}{profile}?debug={debug}"
            data = self._get(url)
            if data is None:
                if missing_ok:
                    return None
                raise CaptureError(_no_handler(url))
            if b"goroutine" in data[:4096]:
                return url, data
        raise CaptureError(f"{url}: the answer is not a goroutine profile ({_preview(data)})")

    def _get(self, url: str) -> bytes | None:
        """The body, or None for a 404; any other failure is a CaptureError."""
        where = urlsplit(url).netloc
        try:
            with self._opener.open(url, timeout=self.timeout) as response:
                return response.read()
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                return None
            raise CaptureError(f"{url}: HTTP {exc.code} {exc.reason}") from exc
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, ConnectionRefusedError):
                raise CaptureError(
                    f"cannot connect to {where}: connection refused (is the service running, "
                    "and listening there?)"
                ) from exc
            if isinstance(reason, TimeoutError):
                raise CaptureError(_timeout(where, self.timeout)) from exc
            raise CaptureError(f"cannot reach {where}: {reason}") from exc
        except TimeoutError as exc:
            raise CaptureError(_timeout(where, self.timeout)) from exc
        except (http.client.HTTPException, OSError) as exc:
            raise CaptureError(f"{url}: {type(exc).__name__}: {exc}") from exc


class _SameHostRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to the same scheme, host and port."""

    def __init__(self, scheme: str, netloc: str) -> None:
        self.origin = (scheme, netloc)

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[override]
        target = urlsplit(urljoin(req.full_url, newurl))
        if (target.scheme, target.netloc) != self.origin:
            raise CaptureError(
                f"{req.full_url}: redirected to {target.scheme}://{target.netloc}; only "
                "redirects on the same host are followed"
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _save(captured: Captured, path: Path, answer: tuple[str, bytes], label: str) -> str:
    """Write what `url` answered to `path`; remember it as `url (snapshot N)`."""
    url, data = answer
    path.write_bytes(data)
    captured.labels[str(path)] = url + label
    return str(path)


def _no_handler(url: str) -> str:
    return (
        f'{url}: 404 Not Found: no pprof handler there (import _ "net/http/pprof" and serve '
        "it, or give the URL it is served under)"
    )


def _timeout(where: str, seconds: float) -> str:
    return f"{where} did not answer within {format_duration(seconds)} (--pprof-timeout)"


def _preview(data: bytes) -> str:
    text = data[:40].decode("utf-8", "replace").split("\n", 1)[0].strip()
    return f"it starts with {text!r}" if text else "it is empty"


def _say(stderr: TextIO, message: str) -> None:
    stderr.write(f"golint-leaks: {message}\n")
    stderr.flush()


def _wait(seconds: float, purpose: str, stderr: TextIO) -> None:
    """Wait, with a countdown on a terminal and one line otherwise; Ctrl-C interrupts."""
    if not stderr.isatty():
        _say(stderr, f"waiting {format_duration(seconds)} {purpose}")
        time.sleep(seconds)
        return
    deadline = time.monotonic() + seconds
    try:
        while (left := deadline - time.monotonic()) > 0:
            stderr.write(f"\rgolint-leaks: waiting {format_duration(left)} {purpose}\x1b[K")
            stderr.flush()
            time.sleep(min(1.0, left))
    finally:
        stderr.write("\r\x1b[K")
        stderr.flush()
