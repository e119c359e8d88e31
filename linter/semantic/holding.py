"""Values a function holds on purpose: opened only to be kept open, or kept alive by what is
built on them."""

from __future__ import annotations

from tree_sitter import Node

from linter.semantic.core import statements, unparenthesized
from linter.semantic.escapes import references
from linter.semantic.paths import Unusable, error_guard
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
            or error_guard(go_file, condition, error_name) is not Unusable.THEN
            or any(references(go_file, stmt, name) for name in values)
        ):
            return False
    return True


_BUILDER_PREFIXES = (
    "New",
    "Open",
    "Begin",
    "Start",
    "Accept",
    "Dial",
    "Connect",
    "Listen",
    "Prepare",
    "Subscribe",
)


def is_builder_name(name: str) -> bool:
    """Is a function or method named like one that builds something long-lived out of its
    receiver or arguments: `NewWatcher`, `conn.BeginTx`, `sess.OpenStream`, `grpc.Dial`,
    `db.Prepare`, `l.Accept`? What it builds may keep using what it was built from."""
    return name.startswith(_BUILDER_PREFIXES)


# Functions that wrap their argument: `bufio.NewReader(f)`, `gzip.NewReader(f)`, `wrap(c)`.
_WRAPPER_PREFIXES = ("New", "new", "Wrap", "wrap")


def holds(go_file: GoFile, ref: Node, left: Node) -> bool:
    """Does the first target of the assignment `left = ...` holding `ref` keep the value
    alive: the value itself, a literal holding it, a wrapper of it, or something built on it?

        g := f                          // yes: the value itself
        s.files[i] = &entry{f, path}    // yes: a literal holding it
        r := bufio.NewReader(f)         // yes: a wrapper of it
        tx, err := conn.BeginTx(ctx, nil) // yes: built on it, needs it open
        st, err := f.Stat()             // no: only read through it
        b, err := io.ReadAll(f)         // no: only read through it

    Errs toward yes (a value kept alive is not judged): any single-target call taking the
    value, and calls and methods named like constructors.
    """
    node = unparenthesized(ref)
    parent = node.parent
    if parent is not None and parent.type == "selector_expression":
        call = parent.parent
        field = parent.child_by_field_name("field")
        if call is not None and call.type == "call_expression" and field is not None:
            return is_builder_name(go_file.text(field))
        node = unparenthesized(parent)  # `ch = timer.C`, `body := resp.Body`
    node = _outer_literal(node)
    parent = node.parent
    if parent is not None and parent.type == "expression_list":
        return True  # `g := f`, `s.files[i] = f`
    if parent is None or parent.type != "argument_list" or parent.parent is None:
        return False
    function = parent.parent.child_by_field_name("function")
    callee = go_file.text(function).rsplit(".", 1)[-1] if function is not None else ""
    single = len(left.named_children) == 1
    return single or callee.startswith(_WRAPPER_PREFIXES)


def _outer_literal(node: Node) -> Node:
    """The outermost composite literal (or `&literal`) that `node` is an element of, else
    `node`: a struct or slice literal holding the value holds it too."""
    current = node
    while current.parent is not None and current.parent.type in (
        "literal_element",
        "keyed_element",
        "literal_value",
        "composite_literal",
    ):
        current = current.parent
    if current.id == node.id or current.type != "composite_literal":
        return node
    parent = current.parent
    while parent is not None and (
        parent.type == "parenthesized_expression"
        or (parent.type == "unary_expression" and _operator(parent) == "&")
    ):
        current, parent = parent, parent.parent
    return current


def _operator(unary: Node) -> str:
    operator = unary.child_by_field_name("operator")
    return operator.type if operator is not None else ""
