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
from linter.semantic.holding import is_builder_name
from linter.semantic.ownership import UseKind, use_of
from linter.semantic.types import type_name
from linter.source import GoFile, captures, query


class RootUse(Enum):
    """What happens to a `context.Background()`/`TODO()` root (see `root_use_of`)."""

    FLOWS = "handed to work that may block or start goroutines"
    COMPARED = "only compared (`ctx != context.Background()`)"
    LOGGED = "passed to a logger, which neither blocks nor spawns"
    READ = "only read for its values (a value getter, a metric recording)"
    CLEANS_UP = "runs clean-up (a rollback, an unlock) that must finish even if the caller is gone"
    RETURNED = "returned as the function's context: the caller decides"
    CANCELLED_AT_ONCE = "derived and cancelled right away (a non-blocking probe)"
    OWNED = "bounds an object that is returned or stored, whose owner cancels it"
    SCOPED = "derived with WithCancel and cancelled by a defer: it ends when the function does"

    @property
    def cuts_off_caller(self) -> bool:
        """Work below the root ignores the caller's cancellation (a SCOPED root still ends
        with the function, but not when the caller gives up earlier)."""
        return self in (RootUse.FLOWS, RootUse.SCOPED)


# Logging methods that take a context only for its values (slog, zap, logrus, go-redis).
_LOG_METHODS = re.compile(
    r"^(Print|Debug|Info|Warn|Warning|Error|Trace|Log|Notice)(f|ln|w|Context|Ctx)?$|^LogAttrs$"
)
# Logger getters that read a logger out of a context (zerolog.Ctx, logr.FromContext, ...).
_LOGGER_GETTERS = frozenset({"Ctx", "FromContext", "FromContextOrDiscard", "LoggerFromContext"})
_LOGGER_OPERAND = re.compile(r"(?i)log")
# Getters that read a value a context carries: trace.SpanFromContext, metadata.FromIncomingContext.
_VALUE_GETTERS = re.compile(r"^\w*From(Incoming|Outgoing)?Context(OrDiscard)?$")
# Metric recordings that take a context for its values (OpenTelemetry instruments).
_RECORD_METHODS = frozenset({"Add", "Record", "Inc", "Dec", "Observe"})
_INSTRUMENT_OPERAND = re.compile(r"(?i)count|histogram|gauge|metric|meter|instrument|latenc")
# Clean-up that must go through even when the caller's context is over: a rollback, an
# unlock, a release (not Close or Shutdown: those may wait on others without bound).
_CLEANUP_CALLS = re.compile(r"^(Rollback|Unlock|RUnlock|Release|Cleanup|CleanUp|Abort|Discard)")
_CLEANUP_STATEMENTS = re.compile(r"(?i)\bROLLBACK\b|\bRELEASE\s+SAVEPOINT\b|\bUNLOCK\b")
# Methods of the root itself that only read it (not Done: receiving from it blocks forever).
_READ_METHODS = frozenset({"Value", "Deadline", "Err"})
_STRINGS = query("[(interpreted_string_literal) (raw_string_literal)] @string")
_DERIVATIONS = re.compile(r"^context\.With\w+$")
_CANCELLING = ("context.WithCancel", "context.WithCancelCause")


def root_use_of(go_file: GoFile, root: Node) -> RootUse:
    """Where the root made by the call `root` goes, in its function.

    ```go
    if ctx != context.Background() { ... }                 // COMPARED
    logger.Infof(context.Background(), "dialing %s", addr) // LOGGED
    span := trace.SpanFromContext(context.Background())    // READ (also counter.Add(root, 1))
    _ = tx.Rollback(context.Background())                  // CLEANS_UP (also "ROLLBACK")
    return context.Background()                            // RETURNED (result: context.Context)
    c, cancel := context.WithCancel(context.Background()); cancel()        // CANCELLED_AT_ONCE
    c, cancel := context.WithCancel(context.Background()); return &conn{cancel: cancel}  // OWNED
    c, cancel := context.WithCancel(context.Background()); defer cancel()      // SCOPED
    s.ctx, s.cancel = context.WithCancel(context.Background())                 // OWNED
    return NewWatcher(context.Background(), every), nil                         // OWNED
    ```

    A root derived through `context.With*` is followed to its derived context and cancel
    function (one derivation from another too); a root given to a constructor (`New*`,
    `Open*`, `Dial*`, `Begin*`, ...) to the object it builds. Errs toward FLOWS when unsure.
    """
    node = _outermost(go_file, root)
    holder = node.parent
    if holder is None:
        return RootUse.FLOWS
    if holder.type == "binary_expression" and _operator(go_file, holder) in ("==", "!="):
        return RootUse.COMPARED
    if holder.type == "argument_list" and _is_logging_call(go_file, holder.parent):
        return RootUse.LOGGED
    if _only_reads(go_file, node):
        return RootUse.READ
    if holder.type == "argument_list" and _cleans_up(go_file, holder.parent):
        return RootUse.CLEANS_UP
    if _is_returned(holder) and _returns_only_a_context(go_file, enclosing_function(root)):
        return RootUse.RETURNED
    if _hands_to_owner(go_file, node):
        return RootUse.OWNED
    if holder.type == "argument_list" and _is_builder_call(go_file, holder.parent):
        return _built_use(go_file, holder.parent)
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


def _only_reads(go_file: GoFile, node: Node) -> bool:
    """`context.Background().Value(k)`, `trace.SpanFromContext(context.Background())`,
    `requestCount.Add(context.Background(), 1)`: the root is read for values, nothing runs."""
    holder = node.parent
    if holder.type == "selector_expression":
        field = holder.child_by_field_name("field")
        return field is not None and go_file.text(field) in _READ_METHODS
    call = holder.parent if holder.type == "argument_list" else None
    callee = call.child_by_field_name("function") if call is not None else None
    if callee is None:
        return False
    if callee.type == "identifier":
        return bool(_VALUE_GETTERS.match(go_file.text(callee)))
    if callee.type != "selector_expression":
        return False
    operand = callee.child_by_field_name("operand")
    method = go_file.text(callee.child_by_field_name("field"))
    if _VALUE_GETTERS.match(method):
        return True
    return (
        method in _RECORD_METHODS
        and operand is not None
        and bool(_INSTRUMENT_OPERAND.search(go_file.text(operand)))
    )


def _cleans_up(go_file: GoFile, call: Node | None) -> bool:
    """`tx.Rollback(root)`, `l.Unlock(root, key)`, `db.ExecContext(root, "ROLLBACK")`: the
    call is named for clean-up, or one of its string arguments is a rollback statement."""
    callee = call.child_by_field_name("function") if call is not None else None
    if callee is None:
        return False
    name = callee.child_by_field_name("field") if callee.type == "selector_expression" else callee
    if name is not None and _CLEANUP_CALLS.match(go_file.text(name)):
        return True
    arguments = call.child_by_field_name("arguments")
    return arguments is not None and any(
        _CLEANUP_STATEMENTS.search(go_file.text(literal))
        for literal in captures(_STRINGS, arguments).get("string", [])
    )


def _is_builder_call(go_file: GoFile, call: Node | None) -> bool:
    """`NewWatcher(root, ...)`, `pgxpool.New(root, dsn)`, `db.BeginTx(root, nil)`."""
    callee = call.child_by_field_name("function") if call is not None else None
    if callee is None or callee.type not in ("identifier", "selector_expression"):
        return False
    name = callee if callee.type == "identifier" else callee.child_by_field_name("field")
    return name is not None and is_builder_name(go_file.text(name))


def _built_use(go_file: GoFile, call: Node) -> RootUse:
    """`return NewWatcher(root)`, `w := NewWatcher(root); r.watcher = w`: the root bounds a
    long-lived object handed to an owner, who ends it (Close, Stop); else FLOWS."""
    node = unparenthesized(call)
    if _hands_to_owner(go_file, node):
        return RootUse.OWNED
    names = _bound_names(go_file, node)
    function = enclosing_function(node)
    if names and function is not None and _handed_on(go_file, function, node, names):
        return RootUse.OWNED
    return RootUse.FLOWS


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
    if _handed_on(go_file, function, node, names):
        return RootUse.OWNED
    if qualified_call_name(go_file, node) in _CANCELLING and _defers_call(
        go_file, function, names[-1]
    ):
        return RootUse.SCOPED
    return RootUse.FLOWS


def _defers_call(go_file: GoFile, function: Node, name: str) -> bool:
    """`defer cancel()` in `function` itself (not in a closure it makes)."""
    body = function.child_by_field_name("body")
    return any(
        ref.parent is not None
        and ref.parent.type == "call_expression"
        and ref.parent.parent is not None
        and ref.parent.parent.type == "defer_statement"
        and enclosing_function(ref) == function
        for ref in references(go_file, body, name)
    )


def _handed_on(go_file: GoFile, function: Node, node: Node, names: list[str]) -> bool:
    """Is one of `names` (bound to `node`'s value), or a context derived from one, later
    handed to an owner: returned, put in a composite literal, stored in a field?"""
    statement = node.parent.parent
    body = function.child_by_field_name("body")
    pending, seen = list(names), set(names)
    while pending:
        for ref in references(go_file, body, pending.pop()):
            if ref.start_byte < statement.end_byte or enclosing_function(ref) != function:
                continue
            if _hands_to_owner(go_file, ref):
                return True
            for derived in _declared_by(go_file, _outermost(go_file, ref)):
                if derived not in seen:
                    seen.add(derived)
                    pending.append(derived)
    return False


def _declared_by(go_file: GoFile, node: Node) -> list[str]:
    """The names `c, cancel := <node>` declares, when node is a `context.With*` call."""
    if not _DERIVATIONS.match(qualified_call_name(go_file, node) or ""):
        return []
    return _bound_names(go_file, node)


def _bound_names(go_file: GoFile, node: Node) -> list[str]:
    """The names `a, b := <node>` declares (not `_`), or [] for any other use of node."""
    holder = node.parent
    statement = holder.parent if holder is not None else None
    if statement is None or statement.type != "short_var_declaration":
        return []
    if holder.type != "expression_list":
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
