"""Package facts: answers about a whole package, or one file of it, computed once per check.

Many questions are asked of every candidate but depend only on the package: which functions
it declares, which of its globals are channels, which of its constructors return something
to close. A fact is declared once, as the function that computes it, and asked by calling
that function; the first call in a check computes the answer, later calls reuse it:

    @package_fact
    def package_declarations(package: Package) -> dict[str, list[tuple[GoFile, Node]]]:
        ...

    @file_fact
    def channel_makes(go_file: GoFile) -> list[Node]:
        ...

    @package_fact
    def package_channel_field(package: Package, name: str) -> PackageChannel | None:
        ...  # one answer per (package, name)

Lifetime: answers live while the engine checks one package (`checking(package)` around the
rules) and are dropped with it, so a worker process holds the facts of one package at a
time however many it checks. Nothing is ever set on a `Package` or a `GoFile`. Outside
`checking` (a test asking one question) nothing is kept: each call computes afresh, which
gives the same answers, only slower.

Answers are shared between rules: treat them as read-only.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Hashable, Iterator
from contextvars import ContextVar
from typing import Concatenate, ParamSpec, TypeVar

from linter.source import GoFile, Package

P = ParamSpec("P")
T = TypeVar("T")
Subject = TypeVar("Subject", Package, GoFile)


class Facts:
    """The answers computed during one package check, by subject, fact and arguments.

    Subjects are held by identity (a `Package` or `GoFile` is a mutable dataclass, equal to
    another with the same fields); each is kept referenced here so its id cannot be reused
    for another object while its answers are stored.
    """

    def __init__(self) -> None:
        self._subjects: dict[int, object] = {}
        self._answers: dict[tuple[int, Callable, tuple[Hashable, ...]], object] = {}

    def answer(self, subject: object, compute: Callable[..., T], args: tuple[Hashable, ...]) -> T:
        key = (id(subject), compute, args)
        if key in self._answers:
            return self._answers[key]  # type: ignore[return-value]
        self._subjects.setdefault(id(subject), subject)
        result = compute(subject, *args)
        self._answers[key] = result
        return result


_current: ContextVar[Facts | None] = ContextVar("golint_leaks_facts", default=None)


@contextlib.contextmanager
def checking(package: Package) -> Iterator[None]:
    """Keep the facts of `package` (and of its files) until the block ends.

    The engine wraps each package's rules in it; a nested `checking` starts afresh and the
    outer one is restored when it ends.
    """
    token = _current.set(Facts())
    try:
        yield
    finally:
        _current.reset(token)


def _fact(compute: Callable[Concatenate[Subject, P], T]) -> Callable[Concatenate[Subject, P], T]:
    @functools.wraps(compute)
    def ask(subject: Subject, *args: P.args, **kwargs: P.kwargs) -> T:
        if kwargs:
            raise TypeError(f"{compute.__name__}: a fact takes its arguments by position")
        facts = _current.get()
        if facts is None:
            return compute(subject, *args)
        return facts.answer(subject, compute, args)

    return ask


def package_fact(
    compute: Callable[Concatenate[Package, P], T],
) -> Callable[Concatenate[Package, P], T]:
    """Declare a package-wide fact: `compute(package, *args)` runs once per check and
    arguments; its arguments after the package must be hashable (names, numbers)."""
    return _fact(compute)


def file_fact(
    compute: Callable[Concatenate[GoFile, P], T],
) -> Callable[Concatenate[GoFile, P], T]:
    """Declare a fact about one file, kept for as long as its package's check."""
    return _fact(compute)
