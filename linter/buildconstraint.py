"""Build constraint lines: `//go:build` boolean expressions and legacy `// +build` lines.

A `//go:build` expression, loosest first (as `go/build/constraint` reads it):

    or   := and { "||" and }
    and  := not { "&&" not }
    not  := "!" atom | atom          ("!!x" is an error)
    atom := TAG | "(" or ")"
    TAG  := letters, digits, "_" and "."

A `// +build` line is older and flatter: space-separated options are OR'ed, comma-separated
terms AND'ed, `!` negates one term; several `// +build` lines are AND'ed together. Go reads a
malformed legacy term as the tag `ignore`, so such a file never builds; it is read so here too.

Expressions are trees of small frozen dataclasses that evaluate against a predicate saying
which tags the build target satisfies.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

# Deeply nested or huge expressions are refused rather than recursed into (Go's limit, too).
MAX_TERMS = 1000

_TAG_RE = re.compile(r"[\w.]+")  # \w on str: Unicode letters and digits, and "_"
_GO_BUILD_PREFIX = "//go:build"


class ConstraintError(ValueError):
    """A `//go:build` expression that does not parse; the message says where and why."""


@dataclass(frozen=True)
class Tag:
    name: str

    def evaluate(self, satisfied: Callable[[str], bool]) -> bool:
        return satisfied(self.name)


@dataclass(frozen=True)
class Not:
    operand: Expr

    def evaluate(self, satisfied: Callable[[str], bool]) -> bool:
        return not self.operand.evaluate(satisfied)


@dataclass(frozen=True)
class And:
    left: Expr
    right: Expr

    def evaluate(self, satisfied: Callable[[str], bool]) -> bool:
        return self.left.evaluate(satisfied) and self.right.evaluate(satisfied)


@dataclass(frozen=True)
class Or:
    left: Expr
    right: Expr

    def evaluate(self, satisfied: Callable[[str], bool]) -> bool:
        return self.left.evaluate(satisfied) or self.right.evaluate(satisfied)


Expr = Tag | Not | And | Or


def go_build_expression(line: str) -> str | None:
    """The expression of a `//go:build` line, or None if the line is not one.

    `//go:build` must be followed by a space, a tab or the end of the line: `//go:buildx` is
    some other directive.
    """
    if not line.startswith(_GO_BUILD_PREFIX):
        return None
    rest = line[len(_GO_BUILD_PREFIX) :]
    if rest and not rest[0].isspace():
        return None
    return rest.strip()


def plus_build_expression(line: str) -> str | None:
    """The options of a legacy `// +build` line (`//+build` too), or None if it is not one."""
    if not line.startswith("//"):
        return None
    rest = line[2:].strip()
    if not rest.startswith("+build"):
        return None
    rest = rest[len("+build") :]
    if rest and not rest[0].isspace():
        return None
    return rest.strip()


def parse_go_build(expression: str) -> Expr:
    """Parse the expression of a `//go:build` line; raises ConstraintError."""
    parser = _Parser(expression)
    try:
        result = parser.parse_or()
    except RecursionError:
        raise ConstraintError("build expression nested too deeply") from None
    if parser.token is not None:
        raise ConstraintError(f"unexpected {parser.token!r} at offset {parser.position}")
    return result


def parse_plus_build(options: str) -> Expr:
    """Parse the options of a `// +build` line. An empty or malformed one means `ignore`."""
    result: Expr | None = None
    terms = 0
    for option in options.split():
        conjunction: Expr | None = None
        for term in option.split(","):
            terms += 1
            factor = _plus_build_term(term)
            conjunction = factor if conjunction is None else And(conjunction, factor)
        if conjunction is not None:
            result = conjunction if result is None else Or(result, conjunction)
    if terms > MAX_TERMS:
        raise ConstraintError("// +build line too complex")
    return result if result is not None else Tag("ignore")


def _plus_build_term(term: str) -> Expr:
    negated = term.startswith("!") and not term.startswith("!!")
    name = term[1:] if negated else term
    if not _TAG_RE.fullmatch(name):
        return Tag("ignore")  # `!`, `!!x`, `a-b`: go reads these as a tag nothing satisfies
    return Not(Tag(name)) if negated else Tag(name)


class _Parser:
    """Recursive descent over `&&`, `||`, `!`, parentheses and tags."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.offset = 0
        self.terms = 0
        self.token: str | None = None
        self.position = 0
        self._advance()

    def parse_or(self) -> Expr:
        return self._chain("||", self._parse_and, Or)

    def _parse_and(self) -> Expr:
        return self._chain("&&", self._parse_not, And)

    def _chain(
        self, operator: str, operand: Callable[[], Expr], combine: Callable[[Expr, Expr], Expr]
    ) -> Expr:
        """`x op y op z`, grouped from the left."""
        result = operand()
        while self.token == operator:
            self._advance()
            result = combine(result, operand())
        return result

    def _parse_not(self) -> Expr:
        self.terms += 1
        if self.terms > MAX_TERMS:
            raise ConstraintError("build expression too large")
        if self.token != "!":
            return self._parse_atom()
        self._advance()
        if self.token == "!":
            raise ConstraintError(f"double negation at offset {self.position}")
        return Not(self._parse_atom())

    def _parse_atom(self) -> Expr:
        token, position = self.token, self.position
        if token == "(":
            self._advance()
            inner = self.parse_or()
            if self.token != ")":
                raise ConstraintError(f"missing close paren for '(' at offset {position}")
            self._advance()
            return inner
        if token is None:
            raise ConstraintError("unexpected end of expression")
        if not _TAG_RE.fullmatch(token):
            raise ConstraintError(f"unexpected {token!r} at offset {position}")
        self._advance()
        return Tag(token)

    def _advance(self) -> None:
        """Read the next token into `token` (None at the end) and its offset into `position`."""
        text = self.text
        while self.offset < len(text) and text[self.offset] in " \t":
            self.offset += 1
        self.position = self.offset
        if self.offset >= len(text):
            self.token = None
            return
        char = text[self.offset]
        if char in "()!":
            self.token = char
            self.offset += 1
            return
        if char in "&|":
            if text[self.offset : self.offset + 2] != char * 2:
                raise ConstraintError(f"'{char}' at offset {self.offset}: expected '{char * 2}'")
            self.token = char * 2
            self.offset += 2
            return
        match = _TAG_RE.match(text, self.offset)
        if match is None:
            raise ConstraintError(f"invalid character {char!r} at offset {self.offset}")
        self.token = match.group()
        self.offset = match.end()
