"""Go's tokens, as much of the lexer as a same-length source rewrite needs.

Whitespace and comments are dropped; strings, raw strings, runes and numbers are single
tokens, so a bracket inside them never counts. Each token keeps its byte span in the file and
whether a line break separates it from the token before (Go's automatic semicolons).
Non-ASCII bytes outside literals and comments are taken as identifier bytes, as only Unicode
letters can stand there in valid Go.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

KEYWORDS = frozenset(
    b"break case chan const continue default defer else fallthrough for func go goto if "
    b"import interface map package range return select struct switch type var".split()
)

_TOKEN_RE = re.compile(
    rb"""
      (?P<blank>[ \t\r\n]+|//[^\n]*|/\*.*?(?:\*/|\Z))
    | (?P<literal>"(?:[^"\\\n]|\\.)*"?|`[^`]*`?|'(?:[^'\\\n]|\\.)*'?
                 |(?:\d|\.\d)(?:[\w.]|(?<=[eEpP])[+-])*)
    | (?P<ident>(?:[A-Za-z_]|[\x80-\xff])(?:\w|[\x80-\xff])*)
    | (?P<op><-|\.\.\.|&&|\|\||\+\+|--|.)
    """,
    re.VERBOSE | re.DOTALL,
)
_OPENERS = {b"(": b")", b"[": b"]", b"{": b"}"}


class Kind(Enum):
    IDENT = "ident"
    LITERAL = "literal"
    OP = "op"


@dataclass(frozen=True)
class Token:
    kind: Kind
    text: bytes
    start: int  # byte offsets in the file
    end: int
    after_newline: bool  # a line break (or a comment holding one) precedes it

    @property
    def is_name(self) -> bool:
        """An identifier that is not a keyword."""
        return self.kind is Kind.IDENT and self.text not in KEYWORDS


def tokenize(data: bytes) -> list[Token]:
    """The file's tokens in order, without whitespace and comments."""
    tokens: list[Token] = []
    newline = False
    for match in _TOKEN_RE.finditer(data):
        group = match.lastgroup
        if group == "blank":
            newline = newline or b"\n" in match.group()
            continue
        tokens.append(Token(Kind(group), match.group(), match.start(), match.end(), newline))
        newline = False
    return tokens


@dataclass(frozen=True)
class Brackets:
    """Which bracket closes which (token indexes), and each token's nesting depth."""

    closer: dict[int, int]
    depth: list[int]


def match_brackets(tokens: list[Token]) -> Brackets:
    """Pair `(`, `[` and `{` with their closers; a stray or mismatched closer pairs nothing."""
    closer: dict[int, int] = {}
    depth: list[int] = []
    stack: list[int] = []
    for index, token in enumerate(tokens):
        if token.text in (b")", b"]", b"}"):
            if stack and _OPENERS[tokens[stack[-1]].text] == token.text:
                closer[stack.pop()] = index
            depth.append(len(stack))
            continue
        depth.append(len(stack))
        if token.text in _OPENERS:
            stack.append(index)
    return Brackets(closer, depth)
