"""How a path leaves the code a value lives in: the kinds rules decide on, and their words.

Rules branch on the kind (`exit.kind is ExitKind.NEXT_ITERATION`), never on the words, so
rewording a message cannot change what is reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from tree_sitter import Node


class ExitKind(Enum):
    """A way out, with the words messages use for it (`f"{exit.how} leaves {name!r} open"`)."""

    RETURN = "this return"
    FUNCTION_END = "the end of the function"
    NEXT_ITERATION = "the next loop iteration"
    ITERATION_END = "the end of the loop iteration"
    BREAK = "this break"
    CONTINUE = "this continue"
    GOTO = "this goto"
    BLOCK_END = "the end of the block"
    CASE_END = "the end of the case"

    @property
    def words(self) -> str:
        return self.value


@dataclass(frozen=True)
class Exit:
    """A way out of the function (or of a loop iteration) on which a value is left behind.

    `node` is the return statement, the function's closing brace, or the loop; `kind` says
    which, and `how` puts it in words a message can use.
    """

    node: Node
    kind: ExitKind

    @property
    def how(self) -> str:
        return self.kind.words
