"""Where a new context root goes: into work that may block or spawn, or somewhere it cannot
cut anything off from its caller."""

from __future__ import annotations

import re
from enum import Enum

from tree_sitter import Node

from linter.semantic.core import (
    enclosing_function,
    qualified_call_name,
    statement_container,
    unparenthesized,
)
from linter.semantic.escapes import references
from linter.semantic.ownership import UseKind, use_of
from linter.semantic.types import type_name
from linter.source import GoFile


class RootUse(Enum):
    """What happens to a `context.Background()`/`TODO()` root (see `root_use_of`)."""

    FLOWS = "handed to work that may block or start goroutines"
    COMPARED = "only compared (`ctx != context.Background()`)"
    LOGGED = "passed to a logger, which neither blocks nor spawns"
    RETURNED = "returned as the function's context: the caller decides"
    CANCELLED_AT_ONCE = "derived and cancelled right away (a non-blocking probe)"
    OWNED = "bounds an object that is returned or stored, whose owner cancels it"

    @property
    def cuts_off_caller(self) -> bool:
        return self is RootUse.FLOWS


# Logging methods that take a context only for its values (slog, zap, logrus, go-redis).
_LOG_METHODS = re.compile(
    r"^(Print|Debug|Info|Warn|Warning|Error|Trace|Log|Notice)(f|ln|w|Context|Ctx)?$|^LogAttrs$"
)
# Logger getters that read a logger out of a context (zerolog.Ctx, logr.FromContext, ...).
_LOGGER_GETTERS = frozenset({"Ctx", "FromContext", "FromContextOrDiscard", "LoggerFromContext"})
_LOGGER_OPERAND = re.compile(r"(?i)log")
_DERIVATIONS = re.compile(r"^context\.With\w+$")
_CANCELLING = ("context.WithCancel", "context.WithCancelCause")


def root_use_of(go_file: GoFile, root: Node) -> RootUse:
    """Where the root made by the call `root` goes, in its function.

    ```go
    if ctx != context.Background() { ... }                 // COMPARED
    logger.Infof(context.Background(), "dialing %s", addr) // LOGGED
    return context.Background()                            // RETURNED (result: context.Context)
    c, cancel := context.WithCancel(context.Background()); cancel()        // CANCELLED_AT_ONCE
    c, cancel := context.WithCancel(context.Background()); return &conn{cancel: cancel}  // OWNED
    s.ctx, s.cancel = context.WithCancel(context.Background())                 // OWNED
    ```

    A root derived through `context.With*` is followed to its derived context and cancel
    function (one derivation from another too). Errs toward FLOWS when unsure.
    """
    node = _outermost(go_file, root)
    holder = node.parent
    if holder is None:
        return RootUse.FLOWS
    if holder.type == "binary_expression" and _operator(go_file, holder) in ("==", "!="):
        return RootUse.COMPARED
    if holder.type == "argument_list" and _is_logging_call(go_file, holder.parent):
        return RootUse.LOGGED
    if _is_returned(holder) and _returns_only_a_context(go_file, enclosing_function(root)):
        return RootUse.RETURNED
    if _hands_to_owner(go_file, node):
        return RootUse.OWNED
    return _derived_use(go_file, node)


def _outermost(go_file: GoFile, root: Node) -> Node:
    """`context.WithCancel(context.Background())` for the root inside it, else the root."""
    node = unparenthesized(root)
    while node.parent is not None and node.parent.type == "parenthesized_expression":
        node = node.parent
    arguments = node.parent
    if arguments is None or arguments.type != "argument_list" or arguments.parent is None:
        return node
    derived = arguments.parent
    if _DERIVATIONS.match(qualified_call_name(go_file, derived) or ""):
        return derived
    return node


def _operator(go_file: GoFile, binary: Node) -> str:
    operator = binary.child_by_field_name("operator")
    return go_file.text(operator) if operator is not None else ""


def _is_logging_call(go_file: GoFile, call: Node | None) -> bool:
    """`logger.Infof(ctx, ...)`, `slog.InfoContext(ctx, ...)`, `internal.Logger.Printf(ctx,
    ...)`, `zerolog.Ctx(ctx)`: a method with a logging name on something named like a logger."""
    if call is None or call.type != "call_expression":
        return False
    callee = call.child_by_field_name("function")
    if callee is None or callee.type != "selector_expression":
        return False
    operand = callee.child_by_field_name("operand")
    method = go_file.text(callee.child_by_field_name("field"))
    if operand is None or not _LOGGER_OPERAND.search(go_file.text(operand)):
        return False
    return bool(_LOG_METHODS.match(method)) or method in _LOGGER_GETTERS


def _is_returned(holder: Node) -> bool:
    if holder.type == "expression_list":
        holder = holder.parent
    return holder is not None and holder.type == "return_statement"


def _returns_only_a_context(go_file: GoFile, function: Node | None) -> bool:
    """`func (c *Client) context(ctx context.Context) context.Context`: choosing a context
    is the function's whole job."""
    result = function.child_by_field_name("result") if function is not None else None
    if result is not None and result.type == "parameter_list":
        kinds = [d.child_by_field_name("type") for d in result.named_children]
        result = kinds[0] if len(kinds) == 1 else None
    return type_name(go_file, result) == "context.Context"


def _derived_use(go_file: GoFile, node: Node) -> RootUse:
    """`c, cancel := context.WithX(root)`: cancelled on the next line, or its context or
    cancel function handed to an object (a field, a composite literal) or returned."""
    names = _declared_by(go_file, node)
    function = enclosing_function(node)
    if not names or function is None:
        return RootUse.FLOWS
    statement = node.parent.parent
    if qualified_call_name(go_file, node) in _CANCELLING and _cancelled_next(
        go_file, statement, names[-1]
    ):
        return RootUse.CANCELLED_AT_ONCE
    body = function.child_by_field_name("body")
    pending, seen = list(names), set(names)
    while pending:
        for ref in references(go_file, body, pending.pop()):
            if ref.start_byte < statement.end_byte or enclosing_function(ref) != function:
                continue
            if _hands_to_owner(go_file, ref):
                return RootUse.OWNED
            for derived in _declared_by(go_file, _outermost(go_file, ref)):
                if derived not in seen:
                    seen.add(derived)
                    pending.append(derived)
    return RootUse.FLOWS


def _declared_by(go_file: GoFile, node: Node) -> list[str]:
    """The names `c, cancel := <node>` declares, when node is a `context.With*` call."""
    holder = node.parent
    statement = holder.parent if holder is not None else None
    if not _DERIVATIONS.match(qualified_call_name(go_file, node) or "") or statement is None:
        return []
    if statement.type != "short_var_declaration" or holder.type != "expression_list":
        return []
    left = statement.child_by_field_name("left")
    names = [go_file.text(n) for n in left.named_children] if left is not None else []
    return [n for n in names if n != "_"]


def _cancelled_next(go_file: GoFile, statement: Node, cancel: str) -> bool:
    """`c, cancel := context.WithCancel(root)` followed at once by `cancel()`."""
    _, siblings = statement_container(statement)
    later = [s for s in siblings or [] if s.start_byte > statement.start_byte]
    return bool(later) and re.sub(r"\s+", "", go_file.text(later[0])) == f"{cancel}()"


def _hands_to_owner(go_file: GoFile, ref: Node) -> bool:
    """`return c, cancel`, `&conn{cancel: cancel}`, `s.cancel = cancel`."""
    use = use_of(go_file, ref)
    if use.kind in (UseKind.STORED, UseKind.RETURNED):
        return True
    if use.kind is not UseKind.ASSIGNED or use.holder.type != "assignment_statement":
        return False
    left = use.holder.child_by_field_name("left")
    return left is not None and any(t.type == "selector_expression" for t in left.named_children)
