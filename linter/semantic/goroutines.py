"""Goroutines that never end: endless loops and their ways out."""

from __future__ import annotations

import re

from tree_sitter import Node

from linter.semantic.channels import is_terminating_call
from linter.semantic.core import enclosing_function, is_inside, statements
from linter.semantic.paths import loop_has_break, own_returns, ranges_over_ticker
from linter.source import GoFile, captures, query

_RECEIVE_EXPRESSIONS = query('(unary_expression operator: "<-") @receive')

_LOOP_CALLS = query("(call_expression) @call")

# Name parts of a channel that signals "stop now": done, quit, stopCh, closing, shutdownC...
_STOP_WORDS = re.compile(
    r"^(done|quit|stop|stopp\w*|exit\w*|clos\w*|shutdown\w*|cancel\w*|kill\w*|die|dying|dead"
    r"|term\w*|finish\w*|abort\w*|halt\w*|end|teardown|leave|bye)$"
)


def runs_forever(go_file: GoFile, loop: Node) -> bool:
    """`for { ... }`, or a range over a ticker's or timer's channel (nobody closes those)."""
    body = loop.child_by_field_name("body")
    header = [
        c for c in loop.named_children if c.type != "comment" and (body is None or c.id != body.id)
    ]
    return not header or ranges_over_ticker(go_file, loop)


def is_stop_signal(go_file: GoFile, receive: Node) -> bool:
    """A receive that tells a goroutine to stop: `<-ctx.Done()`, `<-s.quit`, `<-stopCh`, or a
    comma-ok receive (`v, ok := <-ch`) that notices a closed channel."""
    operand = receive.child_by_field_name("operand")
    while operand is not None and operand.type == "parenthesized_expression":
        operand = operand.named_children[0] if operand.named_children else None
    if operand is None:
        return False
    holder = receive.parent
    if holder is not None and holder.type == "expression_list":
        holder = holder.parent
    if holder is not None and holder.type in ("receive_statement", "short_var_declaration"):
        left = holder.child_by_field_name("left")
        if left is not None and len(left.named_children) == 2:
            return True
    if operand.type == "call_expression":
        callee = operand.child_by_field_name("function")
        field = callee.child_by_field_name("field") if callee is not None else None
        return field is not None and go_file.text(field) in ("Done", "Dying", "Closed", "Stop")
    last = operand
    if operand.type == "selector_expression":
        last = operand.child_by_field_name("field")
    if last is None or last.type not in ("identifier", "field_identifier"):
        return False
    parts = re.findall(r"[a-z]+|[A-Z][a-z]*", go_file.text(last))
    return any(_STOP_WORDS.match(part.lower()) for part in parts)


def loop_has_way_out(go_file: GoFile, function: Node, loop: Node) -> Node | None:
    """The first thing that can end `loop` or its goroutine: a break or goto leaving it, a
    return, a terminating call (panic, os.Exit, log.Fatal, runtime.Goexit), or a stop-signal
    receive (see `is_stop_signal`). None when the loop has no way out at all."""
    if loop_has_break(go_file, loop):
        return loop
    for ret in own_returns(function):
        if is_inside(ret, loop):
            return ret
    for call in captures(_LOOP_CALLS, loop).get("call", []):
        owner = enclosing_function(call)
        if owner is not None and owner.id == function.id and is_terminating_call(go_file, call):
            return call
    for receive in captures(_RECEIVE_EXPRESSIONS, loop).get("receive", []):
        owner = enclosing_function(receive)
        if owner is not None and owner.id == function.id and is_stop_signal(go_file, receive):
            return receive
    return None


def endless_loop_without_exit(go_file: GoFile, function: Node) -> Node | None:
    """The loop, among the top-level statements of `function`, that runs forever and has no
    way out (see `runs_forever`, `loop_has_way_out`); None if there is none."""
    for stmt in statements(function.child_by_field_name("body")):
        loop = stmt
        if loop.type == "labeled_statement":
            loop = next((c for c in loop.named_children if c.type == "for_statement"), loop)
        if loop.type != "for_statement" or not runs_forever(go_file, loop):
            continue
        if loop_has_way_out(go_file, function, loop) is None:
            return loop
        return None  # the code after an endless loop runs only through its way out
    return None
