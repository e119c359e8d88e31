"""Who serves a channel: may anything in the package send on it, receive from it, close it?

A send waits for a receiver and a receive for a sender or a close. When a channel this
package makes is never received from anywhere in the package (nor handed to code that could
receive), a send on it can only complete into its buffer; when nothing sends on it or closes
it, a receive never completes. The uses of the channel are read across the package:

```go
s.results <- r                    // SEND
<-s.done                          // RECEIVE (a range or a select case too)
close(s.done)                     // CLOSE
wait(s.done)                      // what the package function wait does with it (summaries)
quit := s.quit; <-quit            // a local alias: its uses are the channel's
func (s *S) Done() <-chan struct{} { return s.done }  // RECEIVE: holders can only receive
consumer.Take(s.results)          // out of sight: it may do anything
```

When unsure (the channel escapes, is passed out of sight, is rebound to something that is
not a `make(chan ...)`) every operation is taken as possible, so nothing is claimed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from tree_sitter import Node

from linter.semantic.channels import (
    ARGUMENT,
    BIND,
    CLOSE,
    ESCAPE,
    RANGE,
    RECEIVE,
    SEND,
    assigned_value,
    channel_make,
    channel_use,
    is_receive_only_channel_type,
)
from linter.semantic.core import enclosing_function, unparenthesized
from linter.semantic.escapes import references
from linter.semantic.summaries import argument_use
from linter.source import GoFile, Package


@dataclass(frozen=True)
class Service:
    """Which operations on a channel may happen somewhere in the package."""

    sends: bool = False
    receives: bool = False
    closes: bool = False

    def with_operation(self, operation: str) -> Service:
        return Service(
            self.sends or operation == SEND,
            self.receives or operation in (RECEIVE, RANGE),
            self.closes or operation == CLOSE,
        )

    def merged(self, other: Service) -> Service:
        return Service(
            self.sends or other.sends,
            self.receives or other.receives,
            self.closes or other.closes,
        )

    @property
    def ends_receives(self) -> bool:
        """A receive on it can complete: something sends or closes."""
        return self.sends or self.closes


ANYTHING = Service(True, True, True)


def channel_service(package: Package, uses: Iterable[tuple[GoFile, Node]]) -> Service:
    """The operations the given uses of one channel may perform, through package calls and
    local aliases (see the module docstring); ANYTHING as soon as one use is out of sight."""
    service = Service()
    for go_file, ref in uses:
        service = service.merged(_use_service(package, go_file, ref))
        if service == ANYTHING:
            break
    return service


def _use_service(package: Package, go_file: GoFile, ref: Node) -> Service:
    use = channel_use(go_file, ref)
    if use in (SEND, RECEIVE, RANGE, CLOSE):
        return Service().with_operation(use)
    if use == BIND:
        plain, value = assigned_value(go_file, ref)
        if plain and (value is None or channel_make(go_file, value) or _is_nil(go_file, value)):
            return Service()
        return ANYTHING
    if use == ARGUMENT:
        passed = argument_use(package, go_file, ref)
        if passed is None or passed.kept:
            return ANYTHING
        service = Service()
        for operation in passed.channel:
            service = service.with_operation(operation)
        return service
    if use == ESCAPE:
        return _escape_service(package, go_file, ref)
    return Service()


def _escape_service(package: Package, go_file: GoFile, ref: Node) -> Service:
    """`return s.done` from a `<-chan T` getter: its callers can only receive. `quit :=
    s.quit` (a local bound once): the alias's own uses. Anything else: ANYTHING."""
    node = unparenthesized(ref)
    holder = node.parent
    statement = holder.parent if holder is not None and holder.type == "expression_list" else holder
    if statement is not None and statement.type == "return_statement":
        return Service(receives=True) if _returns_receive_only(go_file, statement) else ANYTHING
    alias = _local_alias(go_file, node)
    if alias is None:
        return ANYTHING
    function, name = alias
    refs = references(go_file, function.child_by_field_name("body"), name)
    if sum(1 for r in refs if channel_use(go_file, r) == BIND) != 1:
        return ANYTHING  # rebound later: not all of its uses are this channel's
    return channel_service(package, [(go_file, r) for r in refs if r.start_byte > node.end_byte])


def _returns_receive_only(go_file: GoFile, statement: Node) -> bool:
    """The single result of the function returning here is declared `<-chan T`."""
    function = enclosing_function(statement)
    result = function.child_by_field_name("result") if function is not None else None
    if result is not None and result.type == "parameter_list":
        declarations = result.named_children
        result = declarations[0].child_by_field_name("type") if len(declarations) == 1 else None
    return is_receive_only_channel_type(go_file, result)


def _local_alias(go_file: GoFile, node: Node) -> tuple[Node, str] | None:
    """(function, name) for `name := <node>` or `var name = <node>` declaring one local."""
    values = node.parent
    statement = values.parent if values is not None else None
    if values is None or values.type != "expression_list" or statement is None:
        return None
    if statement.type == "short_var_declaration":
        left = statement.child_by_field_name("left")
        targets = left.named_children if left is not None else []
    elif statement.type == "var_spec":
        targets = statement.children_by_field_name("name")
    else:
        return None
    function = enclosing_function(statement)
    if function is None or len(targets) != 1 or len(values.named_children) != 1:
        return None
    if targets[0].type != "identifier" or go_file.text(targets[0]) == "_":
        return None
    return function, go_file.text(targets[0])


def _is_nil(go_file: GoFile, value: Node) -> bool:
    return go_file.text(value) == "nil"
