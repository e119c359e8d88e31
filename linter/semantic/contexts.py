"""Where a new context root goes: into work that may block or spawn, or somewhere it cannot
cut anything off from its caller."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import Enum

from tree_sitter import Node

from linter.semantic.channels import argument_index, parameters
from linter.semantic.core import (
    FUNCTION_TYPES,
    calls_to,
    enclosing_function,
    is_deferred,
    is_inside,
    nodes_at_matches,
    qualified_call_name,
    statement_container,
    top_level_function,
    unparenthesized,
)
from linter.semantic.escapes import references
from linter.semantic.facts import file_fact, package_fact
from linter.semantic.holding import is_builder_name
from linter.semantic.ownership import Use, UseKind, use_of
from linter.semantic.scopes import is_unused_parameter
from linter.semantic.summaries import MAX_DEPTH, callee_functions, file_index, is_callee
from linter.semantic.types import type_name
from linter.source import GoFile, Package, captures, query

_ROOTS = ("context.Background", "context.TODO")
# Which roots count (`root_use_of(...).cuts_off_caller` and a rule's own excuses).
RootFilter = Callable[[Package, GoFile, Node], bool]


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


# Logging methods that take a context only for its values (slog, zap, logrus, go-redis,
# `LogIf(ctx, err)` / `LogOnceIf`: log when err is not nil).
_LOG_METHODS = re.compile(
    r"^(Print|Debug|Info|Warn|Warning|Error|Trace|Log|LogOnce|Notice)(f|ln|w|Context|Ctx|If)?$"
    r"|^LogAttrs$"
)
# Logging packages, by import name: every function of theirs takes a context for its values
# (the request's fields to log, an audit entry kept in it), never to run work under it.
_LOGGING_PACKAGES = re.compile(r"^([gks]?log|logger|logging|logr|logrus|zerolog)$")
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
_CANCELLERS = frozenset(
    f"context.{name}" for name in ("WithCancel", "WithTimeout", "WithDeadline", "WithCancelCause")
)
_CANCELLING = ("context.WithCancel", "context.WithCancelCause")


def root_use_of(package: Package, go_file: GoFile, root: Node) -> RootUse:
    """Where the root made by the call `root` goes, in its function.

    ```go
    if ctx != context.Background() { ... }                 // COMPARED
    logger.Infof(context.Background(), "dialing %s", addr) // LOGGED
    bugLogIf(context.Background(), err)   // LOGGED: a package function that only logs with it
    span := trace.SpanFromContext(context.Background())    // READ (also counter.Add(root, 1))
    _ = tx.Rollback(context.Background())                  // CLEANS_UP (also "ROLLBACK")
    return context.Background()                            // RETURNED (result: context.Context)
    c, cancel := context.WithCancel(context.Background()); cancel()        // CANCELLED_AT_ONCE
    c, cancel := context.WithCancel(context.Background()); return &conn{cancel: cancel}  // OWNED
    c, cancel := context.WithCancel(context.Background()); defer cancel()      // SCOPED
    s.ctx, s.cancel = context.WithCancel(context.Background())                 // OWNED
    return NewWatcher(context.Background(), every), nil                         // OWNED
    c := context.Background(); c = withConfig(c, ctx); return &VFS{ctx: c}      // OWNED
    ```

    A root derived through `context.With*` is followed to its derived context and cancel
    function (one derivation from another too); a root given to a constructor (`New*`,
    `Open*`, `Dial*`, `Begin*`, ...) to the object it builds; a root put in a variable to
    that variable's uses (see `_variable_use`). Errs toward FLOWS when unsure.
    """
    variable = _assigned_variable(go_file, root)
    if variable is not None:
        return _variable_use(package, go_file, root, variable)
    return _use_at(package, go_file, root)


def _use_at(package: Package, go_file: GoFile, root: Node) -> RootUse:
    """`root_use_of` for an expression whose value is the root (the call, or a variable)."""
    node = _outermost(go_file, root)
    holder = node.parent
    if holder is None:
        return RootUse.FLOWS
    if holder.type == "binary_expression" and _operator(go_file, holder) in ("==", "!="):
        return RootUse.COMPARED
    if holder.type == "argument_list" and _logs_with(package, go_file, node):
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
    if holder.type == "argument_list" and _starts_owned_work(go_file, holder.parent):
        return RootUse.OWNED
    return _derived_use(go_file, node)


def _assigned_variable(go_file: GoFile, root: Node) -> str | None:
    """`c := context.Background()` or `ctx = context.Background()`: the one variable the
    root is put in (not a field, not one of several targets)."""
    node = unparenthesized(root)
    holder = node.parent
    statement = holder.parent if holder is not None else None
    if holder.type != "expression_list" or len(holder.named_children) != 1 or statement is None:
        return None
    if statement.type not in ("short_var_declaration", "assignment_statement"):
        return None
    left = statement.child_by_field_name("left")
    targets = left.named_children if left is not None else []
    if len(targets) != 1 or targets[0].type != "identifier" or go_file.text(targets[0]) == "_":
        return None
    return go_file.text(targets[0])


def _variable_use(package: Package, go_file: GoFile, root: Node, variable: str) -> RootUse:
    """Where the root goes through the variable it was put in, until the variable is given
    another value: a rewrap of the variable (`c = withConfig(c, ctx)`, a context that keeps
    the root's missing cancellation) is followed, every other use is judged as the root
    itself would be. FLOWS (or SCOPED) if one use may cut work off from the caller, OWNED if
    one hands it to an owner, else the first use's kind; FLOWS when the variable is unused
    or used by a closure.
    """
    function = enclosing_function(root)
    statement = root.parent.parent
    body = function.child_by_field_name("body") if function is not None else None
    if body is None:
        return RootUse.FLOWS
    uses: list[RootUse] = []
    for ref in references(go_file, body, variable):
        if ref.start_byte < statement.end_byte:
            continue
        if enclosing_function(ref) != function:
            return RootUse.FLOWS
        assignment = _assignment_to(ref)
        if assignment is not None:
            if not references(go_file, assignment.child_by_field_name("right"), variable):
                break  # given another value: later uses are not the root's
            continue
        if _rewraps(go_file, ref, variable):
            continue
        uses.append(_use_at(package, go_file, ref))
    cutting = [u for u in uses if u.cuts_off_caller]
    if cutting or not uses:
        return cutting[0] if cutting else RootUse.FLOWS
    return RootUse.OWNED if RootUse.OWNED in uses else uses[0]


def _assignment_to(ref: Node) -> Node | None:
    """The `variable = ...` (or `variable, cancel := ...`) statement `ref` is a target of."""
    left = ref.parent
    statement = left.parent if left is not None else None
    if statement is None or statement.type not in ("assignment_statement", "short_var_declaration"):
        return None
    return statement if statement.child_by_field_name("left") == left else None


def _rewraps(go_file: GoFile, ref: Node, variable: str) -> bool:
    """`c = withConfig(c, ctx)`: `ref` is an argument of the call that gives the variable its
    next value (a context wrapping the root, since the variable holds a context)."""
    arguments = ref.parent
    call = arguments.parent if arguments is not None else None
    if arguments is None or arguments.type != "argument_list" or call is None:
        return False
    holder = call.parent
    statement = holder.parent if holder is not None else None
    if statement is None or statement.type != "assignment_statement":
        return False
    left = statement.child_by_field_name("left")
    targets = left.named_children if left is not None else []
    return (
        len(targets) == 1
        and go_file.text(targets[0]) == variable
        and holder.type == "expression_list"
        and len(holder.named_children) == 1
    )


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
    ...)`, `zerolog.Ctx(ctx)`: a method with a logging name on something named like a logger,
    or any function of an imported logging package (`logger.AuditLog(ctx, ...)`)."""
    if call is None or call.type != "call_expression":
        return False
    callee = call.child_by_field_name("function")
    if callee is None or callee.type != "selector_expression":
        return False
    operand = callee.child_by_field_name("operand")
    method = go_file.text(callee.child_by_field_name("field"))
    if operand is None or not _LOGGER_OPERAND.search(go_file.text(operand)):
        return False
    if go_file.text(operand) in go_file.imports and _LOGGING_PACKAGES.match(go_file.text(operand)):
        return True  # `logger.GetReqInfo(ctx)`, `logger.AuditLog(ctx, ...)`
    return bool(_LOG_METHODS.match(method)) or method in _LOGGER_GETTERS


def _logs_with(package: Package, go_file: GoFile, argument: Node) -> bool:
    """Is `argument` (a context) passed to a call that only logs with it: a logging call,
    or a package function that hands its context parameter only to such calls (a logging
    wrapper, followed MAX_DEPTH deep)?

    ```go
    func bugLogIf(ctx context.Context, err error) { logger.LogIf(ctx, "internal", err) }
    bugLogIf(context.Background(), err)   // logged: nothing runs under the root
    ```
    """
    return _logs_with_at(package, go_file, argument, MAX_DEPTH)


def _logs_with_at(package: Package, go_file: GoFile, argument: Node, depth: int) -> bool:
    found = argument_index(argument)
    if found is None:
        return False
    call, index = found
    if _is_logging_call(go_file, call):
        return True
    callees = callee_functions(package, go_file, call) if depth > 0 else []
    return bool(callees) and all(
        _only_logs_with(package, file_index(package, f), function, index, depth - 1)
        for f, function in callees
    )


@package_fact
def _only_logs_with(
    package: Package, position: int, function: Node, index: int, depth: int
) -> bool:
    """Does `function` (of the package's file at `position`) use its parameter `index` only
    as an argument to logging calls (see `_logs_with`), rewrapping it with them on the way
    (`ctx = logger.SetAuditEntry(ctx, &entry)`)? False for a parameter it never uses."""
    go_file = package.files[position]
    params = parameters(go_file, function)
    body = function.child_by_field_name("body")
    if index >= len(params) or body is None or params[index][0] in ("", "_"):
        return False
    refs = references(go_file, body, params[index][0])
    return bool(refs) and all(
        _logs_with_at(package, go_file, ref, depth) or _rewrapped_for_logging(go_file, ref)
        for ref in refs
    )


def _rewrapped_for_logging(go_file: GoFile, ref: Node) -> bool:
    """`ctx = logger.SetAuditEntry(ctx, &entry)`: `ref` is the one target of an assignment
    from a logging call."""
    statement = _assignment_to(ref)
    right = statement.child_by_field_name("right") if statement is not None else None
    values = right.named_children if right is not None else []
    return (
        statement is not None
        and statement.type == "assignment_statement"
        and len(values) == 1
        and _is_logging_call(go_file, values[0])
    )


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


def _starts_owned_work(go_file: GoFile, call: Node) -> bool:
    """`go b.loop(root)` where `b` is a local the function returns or stores: the goroutine
    is the work of an object that outlives the function, and its owner stops it."""
    statement = call.parent
    callee = call.child_by_field_name("function")
    if statement is None or statement.type != "go_statement" or callee is None:
        return False
    if callee.type != "selector_expression":
        return False
    operand = callee.child_by_field_name("operand")
    function = enclosing_function(call)
    if operand is None or operand.type != "identifier" or function is None:
        return False
    return _is_handed_on_here(go_file, function, go_file.text(operand))


def _is_handed_on_here(go_file: GoFile, function: Node, name: str) -> bool:
    """A reference to `name` in `function`'s own statements lets its value outlive it."""
    body = function.child_by_field_name("body")
    return body is not None and any(
        enclosing_function(ref) == function and _outlives_function(go_file, ref)
        for ref in references(go_file, body, name)
    )


def closure_kept_by_owner(go_file: GoFile, literal: Node) -> bool:
    """The function literal is kept by something that outlives its function, and runs when
    that owner calls it: returned or stored in a field (`s.onClose = func() {...}`), or put
    in a value that is (`return &T{refresh: func() {...}}`, `f.renew = NewRenewer(d, func()
    error {...})`, `t := &T{run: func() {...}}; return t`).

    Work in it runs after the function has returned, so the function's context cannot bound
    it (the owner's lifetime does). A closure put in a local struct that the function uses
    itself (`cfg := &Poll{Refresh: func() {...}}; cfg.Wait(ctx)`) is not kept, and one that
    takes a `context.Context` is not asked about: its caller hands it the context to use.
    """
    return not _takes_a_context(go_file, literal) and _outlives_function(go_file, literal)


def _takes_a_context(go_file: GoFile, function: Node) -> bool:
    parameters = function.child_by_field_name("parameters")
    return parameters is not None and any(
        type_name(go_file, declaration.child_by_field_name("type")) == "context.Context"
        for declaration in parameters.named_children
    )


_OUTLIVE_STEPS = 3


def _outlives_function(go_file: GoFile, node: Node, steps: int = _OUTLIVE_STEPS) -> bool:
    """The value of `node` is returned or stored in a field, directly or through at most
    `steps` values holding it: a composite literal (or its address), an object a
    constructor builds from it, a local it is put in."""
    use = use_of(go_file, node)
    if use.kind is UseKind.RETURNED or _hands_to_field(go_file, use):
        return True
    if steps == 0 or use.holder is None:
        return False
    if use.kind is UseKind.STORED:
        holder = _enclosing_literal(use.holder)
        return holder is not None and _outlives_function(go_file, holder, steps - 1)
    if use.kind is UseKind.ADDRESS_TAKEN or (
        use.kind is UseKind.PASSED and _is_builder_call(go_file, use.holder)
    ):
        return _outlives_function(go_file, use.holder, steps - 1)
    if use.kind is UseKind.ASSIGNED and use.holder.type == "short_var_declaration":
        function = enclosing_function(node)
        body = function.child_by_field_name("body") if function is not None else None
        return body is not None and any(
            ref.start_byte >= use.holder.end_byte
            and enclosing_function(ref) == function
            and _outlives_function(go_file, ref, steps - 1)
            for name in _bound_names(go_file, node)
            for ref in references(go_file, body, name)
        )
    return False


def _hands_to_field(go_file: GoFile, use: Use) -> bool:
    """`s.f = v`: the value is assigned to a field (of something that outlives the call)."""
    if use.kind is not UseKind.ASSIGNED or use.holder.type != "assignment_statement":
        return False
    left = use.holder.child_by_field_name("left")
    return left is not None and any(t.type == "selector_expression" for t in left.named_children)


def _enclosing_literal(element: Node) -> Node | None:
    """The composite literal an element (or its literal_value) belongs to."""
    current = element
    while current is not None and current.type != "composite_literal":
        if current.type not in ("literal_element", "keyed_element", "literal_value"):
            return None
        current = current.parent
    return current


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
        and is_deferred(ref.parent)
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


def cancel_of_context(go_file: GoFile, function: Node, context: str) -> str | None:
    """The cancel function of the local `context`, when `function` binds them together once
    (`ctx, cancel := context.WithTimeout(parent, d)`, no other binding of ctx): the call
    that ends everything made from ctx. None otherwise."""
    body = function.child_by_field_name("body")
    found = None
    for ref in references(go_file, body, context) if body is not None else []:
        names = ref.parent
        statement = names.parent if names is not None else None
        if statement is None or statement.type not in (
            "short_var_declaration",
            "assignment_statement",
        ):
            continue
        if statement.child_by_field_name("left") != names:
            continue
        right = statement.child_by_field_name("right")
        values = right.named_children if right is not None else []
        targets = names.named_children
        derived = values[0] if len(values) == 1 and len(targets) == 2 else None
        if found is not None or derived is None or targets[0] != ref:
            return None  # bound more than once, or to something else
        if qualified_call_name(go_file, derived) not in _CANCELLERS:
            return None
        cancel = go_file.text(targets[1])
        found = cancel if cancel != "_" else None
        if found is None:
            return None
    return found


def _cancelled_next(go_file: GoFile, statement: Node, cancel: str) -> bool:
    """`c, cancel := context.WithCancel(root)` followed at once by `cancel()`."""
    _, siblings = statement_container(statement)
    later = [s for s in siblings or [] if s.start_byte > statement.start_byte]
    return bool(later) and re.sub(r"\s+", "", go_file.text(later[0])) == f"{cancel}()"


def _hands_to_owner(go_file: GoFile, ref: Node) -> bool:
    """`return c, cancel`, `&conn{cancel: cancel}`, `s.cancel = cancel`."""
    use = use_of(go_file, ref)
    return use.kind in (UseKind.STORED, UseKind.RETURNED) or _hands_to_field(go_file, use)


# ---------------------------------------------------------------------------------------------
# Roots made one call away


@dataclass(frozen=True, eq=False)
class RootMade:
    """A `context.Background()`/`TODO()` a function makes, directly or through helpers
    called without a context: the call, its file, and the helper names leading to it."""

    go_file: GoFile
    call: Node
    chain: tuple[str, ...]


def context_root_made(
    package: Package, go_file: GoFile, function: Node, flows: RootFilter
) -> RootMade | None:
    """The first context root `function` makes whose use `flows(package, go_file, call)` accepts
    (work that may block or spawn), or that a package helper it calls makes: an unexported
    function without a context parameter of its own, followed MAX_DEPTH deep.

    ```go
    func load() { fetch(context.TODO()) }   // makes one
    func warm() { load() }                  // makes one through load: chain ("load",)
    ```
    """
    return _root_made(package, file_index(package, go_file), function, flows, MAX_DEPTH)


@package_fact
def _root_made(
    package: Package,
    position: int,
    function: Node,
    flows: RootFilter,
    depth: int,
) -> RootMade | None:
    go_file = package.files[position]
    for call in _roots_in(go_file):
        if _owned_by(call, function) and flows(package, go_file, call):
            return RootMade(go_file, call, ())
    if depth <= 0:
        return None
    for call in _calls_in(function):
        for callee_file, callee in callee_functions(package, go_file, call):
            if not _is_helper(callee_file, callee):
                continue
            made = _root_made(package, file_index(package, callee_file), callee, flows, depth - 1)
            if made is not None:
                name = callee_file.text(callee.child_by_field_name("name"))
                return RootMade(made.go_file, made.call, (name, *made.chain))
    return None


@file_fact
def _roots_in(go_file: GoFile) -> list[Node]:
    return [call for _, call in calls_to(go_file, _ROOTS)]


def _is_helper(go_file: GoFile, function: Node) -> bool:
    """An unexported function or method that takes no context: the package's own business.
    An exported one that makes a root is an API whose callers chose it (`net.DialUDP`)."""
    name = function.child_by_field_name("name")
    return (
        name is not None
        and go_file.text(name)[:1].islower()
        and not takes_context(go_file, function)
    )


def _owned_by(node: Node, function: Node) -> bool:
    """Inside `function` and run on its goroutine before it returns: not in a literal that
    runs later, nor on a goroutine of its own (work started to outlive the call is
    detached by design)."""
    return is_inside(node, function) and not _runs_apart(node, function)


def _runs_apart(node: Node, function: Node) -> bool:
    """Is `node` in a `go` or `defer` statement, or in a function literal that runs later:
    on another goroutine, or once the function's own work is over?"""
    current = node
    while current is not None and current.id != function.id:
        if current.type in ("go_statement", "defer_statement"):
            return True
        if current.type == "func_literal" and not is_callee(current.parent, current):
            return True
        current = current.parent
    return False


def _calls_in(function: Node) -> list[Node]:
    """Calls `function` makes on its own goroutine while it works (not deferred), in
    source order."""
    body = function.child_by_field_name("body")
    found: list[Node] = []
    stack = [body] if body is not None else []
    while stack:
        node = stack.pop()
        if node.type in ("go_statement", "defer_statement"):
            continue
        if node.type == "call_expression":
            found.append(node)
        if node.type in FUNCTION_TYPES and not is_callee(node.parent, node):
            continue
        stack.extend(reversed(node.named_children))
    return sorted(found, key=lambda n: n.start_byte)


@dataclass(frozen=True, eq=False)
class RootHelperCall:
    """A call, where a context is at hand, of a package helper that makes its own root."""

    go_file: GoFile
    call: Node
    helper: str
    made: RootMade
    # Further calls of the same helper with a context at hand, when only this one is
    # returned for them all (see `root_helper_calls`).
    others: int = 0


def root_helper_calls(package: Package, flows: RootFilter) -> list[RootHelperCall]:
    """Calls of the package's unexported functions that take no context but make a root
    that flows into work (`context_root_made`), when every call of such a helper in the
    package has a context at hand, or is made by another such helper; only the calls with
    a context at hand are returned, in source order:

    ```go
    func load() { fetch(context.TODO()) }          // a helper making a root
    func warm() { load() }                         // a helper through load
    func (s *S) Get(ctx context.Context) { load() }  // returned: ctx is at hand
    func (s *S) Warm(ctx context.Context) { warm() } // returned, chain (warm, load)
    ```

    A helper also called from code without a context (main, a test, a callback) is not
    judged: that caller has no context to give it. Nor is a helper of a test file, nor a
    call that runs apart from its caller (`go helper()`, a callback run later): work
    started to outlive the call is detached by design. Roots a helper makes on goroutines
    of its own are left out for the same reason.

    A helper that makes its root only through other helpers (`warm` above) is returned at
    its first call, with the number of `others`: one root deep in a chain (a response
    writer every handler reaches through a dozen wrappers) would otherwise give a finding
    per handler, for one line to fix. A helper that makes the root itself is returned at
    every call, each the place to pass the context.
    """
    return _root_helper_calls(package, flows)


@package_fact
def _root_helper_calls(package: Package, flows: RootFilter) -> list[RootHelperCall]:
    helpers: dict[Node, tuple[str, RootMade]] = {}
    for go_file in package.files:
        for declaration in go_file.root.named_children:
            name_node = declaration.child_by_field_name("name")
            name = go_file.text(name_node) if name_node is not None else ""
            if declaration.type not in ("function_declaration", "method_declaration"):
                continue
            if name in ("main", "init") or not _is_helper(go_file, declaration):
                continue
            if go_file.is_test:
                continue  # a test's helpers make the test's contexts
            made = context_root_made(package, go_file, declaration, flows)
            if made is not None:
                helpers[declaration] = (name, made)
    sites = _helper_call_sites(package, helpers)
    judged = set(helpers)
    while True:
        dropped = {
            helper
            for helper in judged
            if not sites[helper]
            or not all(
                context_at_hand(f, call) is not None or _caller(call) in judged
                for f, call in sites[helper]
            )
        }
        if not dropped:
            break
        judged -= dropped
    found = [
        RootHelperCall(f, call, helpers[helper][0], helpers[helper][1])
        for helper in judged
        for f, call in sites[helper]
        if context_at_hand(f, call) is not None and not _runs_apart(call, _caller(call))
    ]
    order = {id(f): i for i, f in enumerate(package.files)}
    return _once_per_chained_helper(
        sorted(found, key=lambda c: (order[id(c.go_file)], c.call.start_byte))
    )


def _once_per_chained_helper(calls: list[RootHelperCall]) -> list[RootHelperCall]:
    """The calls in order, but only the first of each helper whose root is made through
    further helpers, with the count of its other calls."""
    first: dict[tuple[str, int, int], int] = {}
    kept: list[RootHelperCall] = []
    for call in calls:
        if not call.made.chain:
            kept.append(call)
            continue
        key = (call.helper, id(call.made.go_file), call.made.call.start_byte)
        if key in first:
            at = first[key]
            kept[at] = replace(kept[at], others=kept[at].others + 1)
            continue
        first[key] = len(kept)
        kept.append(call)
    return kept


def _helper_call_sites(
    package: Package, helpers: dict[Node, tuple[str, RootMade]]
) -> dict[Node, list[tuple[GoFile, Node]]]:
    """Every call in the package that runs one of the helpers, by helper."""
    sites: dict[Node, list[tuple[GoFile, Node]]] = {helper: [] for helper in helpers}
    names = sorted({name for name, _ in helpers.values()})
    if not names:
        return sites
    pattern = re.compile(rb"(" + b"|".join(re.escape(n.encode()) for n in names) + rb")\s*\(")
    for go_file in package.files:
        for call in nodes_at_matches(go_file, pattern, "call_expression", 1, 2):
            for _, callee in callee_functions(package, go_file, call):
                if callee in sites:
                    sites[callee].append((go_file, call))
    return sites


def _caller(call: Node) -> Node | None:
    """The function or method declaration a call is made in (through literals)."""
    return top_level_function(call)


def context_at_hand(go_file: GoFile, node: Node) -> tuple[str, str] | None:
    """(name, kind) of the context parameter of the function around `node`, or of a
    function enclosing it (a closure captures it); see `context_parameter`."""
    function = enclosing_function(node)
    while function is not None:
        found = context_parameter(go_file, function)
        if found is not None:
            return found
        function = enclosing_function(function)
    return None


# How a parameter of each type gives the caller's context (`{}` is its name), by the type
# it declares and whether through a pointer.
_CONTEXT_CARRIERS = {("context.Context", False): "{}", ("net/http.Request", True): "{}.Context()"}


def takes_context(go_file: GoFile, function: Node) -> bool:
    """Does the function declare a `context.Context` or `*http.Request` parameter (or
    receiver), even one it names `_`?"""
    for part_name in ("receiver", "parameters"):
        part = function.child_by_field_name(part_name)
        for declaration in part.named_children if part is not None else []:
            if _carrier(go_file, declaration.child_by_field_name("type")) is not None:
                return True
    return False


def context_parameter(go_file: GoFile, function: Node) -> tuple[str, str] | None:
    """(name, the caller's context) of the function's first context parameter or receiver:
    (`ctx`, `ctx`) for a `context.Context`, (`r`, `r.Context()`) for an `*http.Request`;
    unnamed ones, `_` and names the body never uses on purpose (`_ctx`) are skipped, and
    None when there is none."""
    for part_name in ("receiver", "parameters"):
        part = function.child_by_field_name(part_name)
        if part is None or part.type != "parameter_list":
            continue
        for declaration in part.named_children:
            carrier = _carrier(go_file, declaration.child_by_field_name("type"))
            names = [go_file.text(n) for n in declaration.children_by_field_name("name")]
            usable = [n for n in names if not is_unused_parameter(go_file, function, n)]
            if carrier is not None and usable:
                return usable[0], carrier.format(usable[0])
    return None


def _carrier(go_file: GoFile, type_node: Node | None) -> str | None:
    """How a parameter of this type gives the caller's context (`{}` is its name)."""
    pointer = type_node is not None and type_node.type == "pointer_type"
    return _CONTEXT_CARRIERS.get((type_name(go_file, type_node) or "", pointer))
