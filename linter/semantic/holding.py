"""Values a function holds on purpose: opened only to be kept open until it returns."""

from __future__ import annotations

from tree_sitter import Node

from linter.semantic.core import statements
from linter.semantic.escapes import references
from linter.semantic.paths import error_guard
from linter.source import GoFile


def only_holds(go_file: GoFile, block: Node, binding: Node, release: Node) -> bool:
    """Does `block` do nothing but open a value, check its error, arrange its release and
    count?

        for opened < limit {
                c, err := net.Dial("tcp", addr)
                if err != nil { return err }
                defer c.Close()
                opened++
        }

    A block like this opens values for their own sake: to occupy every slot of a limit, to
    hold lock files, to fill a pool, all at once. Every statement of `block` must be
    `binding`, `release`, an `x++`/`x--`, or an `if` on the binding's error that does not
    touch the value; anything else (a read, a write, a log line) answers False, since then
    the value is worked with and releasing it late is a choice to question.
    """
    left = binding.child_by_field_name("left")
    names = left.named_children if left is not None else binding.children_by_field_name("name")
    targets = [go_file.text(t) for t in names]
    # `c, err := net.Dial(...)`: Go puts the error last.
    error_name = targets[-1] if len(targets) > 1 else None
    values = [t for t in targets if t not in (error_name, "_")]
    for stmt in statements(block):
        if stmt.id in (binding.id, release.id) or stmt.type in ("inc_statement", "dec_statement"):
            continue
        condition = stmt.child_by_field_name("condition") if stmt.type == "if_statement" else None
        if (
            condition is None
            or error_name is None
            or error_guard(go_file, condition, error_name) != "then"
            or any(references(go_file, stmt, name) for name in values)
        ):
            return False
    return True
