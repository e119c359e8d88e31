"""golint-leaks: find goroutine and memory leaks in Go code."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("golint-leaks")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"

INFORMATION_URI = "https://github.com/golint-leaks/golint-leaks"
