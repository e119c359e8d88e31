"""Releases that are not a method call on the value itself: closing its descriptor, reading
a body to its end, a `Next` loop run out, a helper of the package that closes what it is
given; and whether a use hands the value over."""

from __future__ import annotations

import re

from tree_sitter import Node

from linter.semantic.bindings import binding_of
from linter.semantic.channels import argument_index
from linter.semantic.contexts import cancel_of_context
from linter.semantic.core import (
    FUNCTION_TYPES,
    inside_loop,
    is_inside,
    qualified_call_name,
    unparenthesized,
)
from linter.semantic.escapes import method_calls_on, references
from linter.semantic.loops import loop_conditioned_on
from linter.semantic.ownership import _INSPECTING_BUILTINS, UseKind, escape_of, use_of
from linter.semantic.paths import loop_has_break
from linter.semantic.resources import Resource
from linter.semantic.summaries import argument_use, borrows
from linter.source import GoFile, Package


def releases_reaching(
    go_file: GoFile, function: Node, handle: str, methods: tuple[str, ...], binding: Node
) -> list[Node]:
    """The calls `handle.M()` (M in `methods`) in `function` that can reach the value bound
    at `binding`: after it, or anywhere in the loop that re-binds it (the top of the next
    iteration releases the last one). A `c.Close()` earlier in the function released some
    other value that had the same name."""
    loop = inside_loop(binding)
    return [
        c
        for c in method_calls_on(go_file, function.child_by_field_name("body"), handle, methods)
        if c.start_byte > binding.end_byte or (loop is not None and is_inside(c, loop))
    ]


_DESCRIPTOR_WRAPPERS = ("int", "uintptr")
_CLOSER_NAME = re.compile(r"^[Cc]lose|Close$")


def descriptor_closes(go_file: GoFile, refs: list[Node]) -> list[Node]:
    """`defer syscall.Close(int(f.Fd()))`, `unix.Close(int(conn.Fd()))`: the calls among
    `refs`' uses that close the value's descriptor itself, which releases it."""
    found = []
    for ref in refs:
        selector = ref.parent
        if selector is None or selector.type != "selector_expression":
            continue
        field = selector.child_by_field_name("field")
        call = selector.parent
        if field is None or go_file.text(field) != "Fd" or call is None:
            continue
        while call.parent is not None and call.parent.type == "argument_list":
            outer = call.parent.parent
            callee = outer.child_by_field_name("function") if outer is not None else None
            if callee is None:
                break
            name = go_file.text(callee).rpartition(".")[2]
            if _CLOSER_NAME.search(name):
                found.append(outer)
                break
            if name not in _DESCRIPTOR_WRAPPERS:
                break
            call = outer
    return found


# Reading a response body to its end (or to an error) gives the connection back: at EOF the
# transport returns it to the idle pool, on an error it closes it.
_DRAINS = {"io.ReadAll": 0, "io/ioutil.ReadAll": 0, "io.Copy": 1, "io.CopyBuffer": 1}


def body_drains(go_file: GoFile, refs: list[Node]) -> list[Node]:
    """`io.ReadAll(resp.Body)`, `io.Copy(io.Discard, resp.Body)`: the calls among `refs`'
    uses that read the value's `Body` to its end."""
    found = []
    for ref in refs:
        selector = unparenthesized(ref).parent
        if selector is None or selector.type != "selector_expression":
            continue
        field = selector.child_by_field_name("field")
        if field is None or go_file.text(field) != "Body":
            continue
        located = argument_index(selector)
        if located is None:
            continue
        call, index = located
        if _DRAINS.get(qualified_call_name(go_file, call) or "") == index:
            found.append(call)
    return found


def exhausting_loops(go_file: GoFile, refs: list[Node], binding: Node) -> list[Node]:
    """`for rows.Next() { ... }` (or `for i := 0; rows.Next(); i++`) with no break, on the
    straight path after `binding`: when Next returns false the rows close themselves, so the
    loop's normal end releases them."""
    loops = []
    for ref in refs:
        selector = ref.parent
        call = selector.parent if selector is not None else None
        if (
            call is None
            or selector.type != "selector_expression"
            or call.type != "call_expression"
            or go_file.text(selector.child_by_field_name("field")) != "Next"
        ):
            continue
        loop = loop_conditioned_on(call)
        if loop is None:
            continue
        container = loop.parent
        if (
            container is not None
            and is_inside(binding, container)
            and not loop_has_break(go_file, loop)
            and not _jumps_between(binding, loop, container)
        ):
            loops.append(loop)
    return loops


_JUMPS = ("break_statement", "continue_statement", "goto_statement")


def _jumps_between(binding: Node, loop: Node, container: Node) -> bool:
    """A jump between the binding and the loop could leave without running the loop."""
    stack = [
        c
        for c in container.named_children
        if binding.end_byte <= c.start_byte and c.end_byte <= loop.start_byte
    ]
    stack += [c for c in container.named_children if is_inside(binding, c)]
    while stack:
        node = stack.pop()
        if node.type in _JUMPS and binding.end_byte <= node.start_byte < loop.start_byte:
            return True
        if node.type not in FUNCTION_TYPES:
            stack.extend(node.named_children)
    return False


# Wrappers of their argument that release it with their own Close: they take it over only
# when what they return is kept (`_ = http.MaxBytesReader(w, resp.Body, n)` takes nothing).
_WRAPPERS = frozenset({"net/http.MaxBytesReader"})


def takes_over(go_file: GoFile, function: Node, call: Node | None, released: bool) -> bool:
    """May `call`, which the value is passed to, take it over? A wrapper or a helper may,
    unless it is a known borrower (`borrows`, `len`); `append` always does. When the
    function releases the value itself (`released`), only a wrapper that is handed over in
    turn (`conn := tls.Client(raw, cfg)`, then `return conn, nil`) takes it."""
    callee = call.child_by_field_name("function") if call is not None else None
    if callee is None:
        return not released
    if callee.type == "identifier":
        name = go_file.text(callee)
        if name == "append":
            return True
        if name in _INSPECTING_BUILTINS:
            return False
    else:
        qualified = qualified_call_name(go_file, call) or ""
        if borrows(qualified) or _dropped_wrapper(go_file, call, qualified):
            return False
    return not released or result_escapes(go_file, function, call)


def _dropped_wrapper(go_file: GoFile, call: Node, qualified: str) -> bool:
    """`_ = http.MaxBytesReader(w, resp.Body, n)`: the wrapper is dropped, so is its Close."""
    return qualified in _WRAPPERS and binding_of(go_file, call).is_discarded


def result_escapes(go_file: GoFile, function: Node, call: Node) -> bool:
    """Is what `call` returns handed over: stored in a field, element or global, returned,
    or bound to a local that escapes (see `escape_of`)?"""
    binding = binding_of(go_file, call)
    if binding.kind.is_stored:
        return True
    holder = binding.statement
    if binding.is_used_in_place and holder is not None:
        return holder.type == "return_statement" or (
            holder.type == "expression_list"
            and holder.parent is not None
            and holder.parent.type == "return_statement"
        )
    if not binding.is_local or binding.statement is None:
        return False
    return escape_of(go_file, function, binding.name, binding.statement) is not None


def hands_over_on_path(
    package: Package,
    go_file: GoFile,
    function: Node,
    ref: Node,
    released: bool,
    methods: tuple[str, ...],
    through: str | None = None,
) -> bool:
    """Does this use give the value (or its `through` field, `resp.Body`) to someone else,
    so that the path it is on needs no release? Returned, stored, sent, its address taken,
    a release handed on as a method value (`t.Cleanup(srv.Close)`, `return url, srv.Close`),
    or passed to a call that takes it over. What a function of the package does with it is
    known from its summary: it takes it over when it releases or keeps it, and only borrows
    it when it reads it; a call we cannot see into may take it (see `takes_over`). `_ = v`
    hands nothing over.
    """
    use = use_of(go_file, ref)
    if through and use.kind is UseKind.FIELD and use.name == through:
        use = use_of(go_file, use.holder)  # `rwc, ok := resp.Body.(io.ReadWriteCloser)`
    if use.kind is UseKind.FIELD and use.name in methods:
        return True  # the release's method value: whoever holds it releases the value
    if use.kind is not UseKind.PASSED:
        return use.hands_over
    summary = argument_use(package, go_file, use.node)
    if summary is not None:
        field = through if through and use.node.type != "selector_expression" else ""
        return not summary.only_borrows(methods, field or "")
    return takes_over(go_file, function, use.holder, released)


def asserted_exhausted(go_file: GoFile, refs: list[Node]) -> list[Node]:
    """`require.False(t, rows.Next())`: a test's check that Next returned false, which
    closes the rows (or stops the test there): the checking calls among `refs`' uses."""
    found = []
    for ref in refs:
        use = use_of(go_file, ref)
        if use.kind is not UseKind.METHOD or use.name != "Next":
            continue
        located = argument_index(use.holder.parent)
        check = located[0].child_by_field_name("function") if located is not None else None
        if (
            check is not None
            and check.type == "selector_expression"
            and go_file.text(check.child_by_field_name("field")) == "False"
        ):
            found.append(located[0])
    return found


# database/sql ends what these calls open when their context is cancelled: the rows close,
# the transaction rolls back.
_CONTEXT_BOUND = {"QueryContext": Resource.ROWS, "BeginTx": Resource.TRANSACTION}


def cancels_ending(go_file: GoFile, function: Node, call: Node, resource: Resource) -> list[Node]:
    """`ctx, cancel := context.WithCancel(parent)` then `db.QueryContext(ctx, ...)`: the
    calls of `cancel`, which close the rows or roll the transaction back."""
    callee = call.child_by_field_name("function")
    method = callee.child_by_field_name("field") if callee is not None else None
    arguments = call.child_by_field_name("arguments")
    if method is None or _CONTEXT_BOUND.get(go_file.text(method)) is not resource or not arguments:
        return []
    context = arguments.named_children[0] if arguments.named_children else None
    if context is None or context.type != "identifier":
        return []
    cancel = cancel_of_context(go_file, function, go_file.text(context))
    body = function.child_by_field_name("body")
    return [
        ref.parent
        for ref in (references(go_file, body, cancel) if cancel else [])
        if ref.parent is not None
        and ref.parent.type == "call_expression"
        and ref.parent.child_by_field_name("function") == ref
    ]
