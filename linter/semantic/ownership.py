"""Who owns a value: what each use does with it, and whether it is handed to someone else.

Rules have no type checker, so ownership is read from uses. One classifier (`use_of`) says
what a reference does with its value; the questions rules ask are built on it:

```go
f, err := os.Open(p)   // the binding
defer f.Close()        // METHOD: using it
n := f.Name            // FIELD: using it
files = append(files, f)  // PASSED to append: handed over
return f, nil          // RETURNED: handed over
```
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from tree_sitter import Node

from linter.semantic.core import FUNCTION_TYPES, enclosing_function, unparenthesized
from linter.semantic.escapes import references
from linter.source import GoFile


class UseKind(Enum):
    """What one reference does with its value (see `use_of`)."""

    RETURNED = "returned"  # return v
    ASSIGNED = "assigned"  # w := v, s.f = v, m[k] = v (v on the right)
    BOUND = "bound"  # v = ..., v, err := ... (v on the left: the variable gets a new value)
    STORED = "stored"  # T{v}, T{f: v}, []T{v}
    PASSED = "passed"  # g(v), x.m(v), append(s, v)
    SENT = "sent"  # ch <- v
    ADDRESS_TAKEN = "address taken"  # &v
    METHOD = "method"  # v.Close()
    FIELD = "field"  # v.C, v.Body
    READ = "read"  # anything else: compared, indexed, ranged over, received from

    @property
    def is_hand_over(self) -> bool:
        """Someone else may hold the value afterwards (it may still be a borrow: `len(v)`)."""
        return self in _HAND_OVERS


_HAND_OVERS = frozenset(
    {
        UseKind.RETURNED,
        UseKind.ASSIGNED,
        UseKind.STORED,
        UseKind.PASSED,
        UseKind.SENT,
        UseKind.ADDRESS_TAKEN,
    }
)

# Builtins that only look at a value: passing it to them hands nothing over.
_INSPECTING_BUILTINS = frozenset({"len", "cap", "print", "println"})


@dataclass(frozen=True)
class Use:
    """One use of a value.

    `node` is the outermost expression that is still the value (through parentheses and type
    assertions: `(f)`, `conn.(*net.TCPConn)`); `holder` is what uses it: the call for PASSED
    (argument `index`), the assignment, declaration or return statement for ASSIGNED, BOUND
    and RETURNED, the selector for METHOD and FIELD (`name` is the method or field).
    """

    kind: UseKind
    node: Node
    holder: Node | None = None
    index: int = -1
    name: str = ""
    to_blank: bool = False  # ASSIGNED to `_` alone: `_ = v`

    @property
    def hands_over(self) -> bool:
        """Does someone else hold the value afterwards? Passing it to `len`, `cap`, `print`
        or `println` does not, nor does `_ = v`; errs toward a hand-over for other calls."""
        if self.kind is UseKind.PASSED:
            return self.name not in _INSPECTING_BUILTINS
        if self.kind is UseKind.ASSIGNED:
            return not self.to_blank
        return self.kind.is_hand_over


def use_of(go_file: GoFile, ref: Node) -> Use:
    """What the expression `ref` (an identifier, or a selector like `g.field`) does with its
    value.

    ```go
    return f          // RETURNED (holder: the return statement)
    g := f            // ASSIGNED (holder: the declaration)
    f = open()        // BOUND
    conns = append(conns, f)  // PASSED (holder: the append call, index 1, name "append")
    out <- f          // SENT; `f <- v` is a READ of f
    f.Close()         // METHOD "Close"; f.Name is FIELD "Name"
    ```

    Anything not listed (a comparison, an index, a range, a receive) is READ. A composite
    literal key spelled like the value (`T{f: 1}`) counts as STORED: unsure, so handed over.
    """
    node = _same_value(ref)
    parent = node.parent
    if parent is None:
        return Use(UseKind.READ, node)
    kind = parent.type
    if kind == "selector_expression":
        operand = parent.child_by_field_name("operand")
        if operand is None or operand.id != node.id:
            return Use(UseKind.READ, node)
        field = parent.child_by_field_name("field")
        name = go_file.text(field) if field is not None else ""
        holder = parent.parent
        if (
            holder is not None
            and holder.type == "call_expression"
            and holder.child_by_field_name("function") == parent
        ):
            return Use(UseKind.METHOD, node, parent, name=name)
        return Use(UseKind.FIELD, node, parent, name=name)
    if kind == "unary_expression" and go_file.text(parent).startswith("&"):
        return Use(UseKind.ADDRESS_TAKEN, node, parent)
    if kind == "expression_list":
        return _use_in_list(go_file, node, parent)
    if kind == "return_statement":
        return Use(UseKind.RETURNED, node, parent)
    if kind == "argument_list" and parent.parent is not None:
        call = parent.parent
        callee = call.child_by_field_name("function")
        arguments = [a for a in parent.named_children if a.type != "comment"]
        index = next((i for i, a in enumerate(arguments) if a.id == node.id), -1)
        name = go_file.text(callee) if callee is not None else ""
        return Use(UseKind.PASSED, node, call, index=index, name=name)
    if kind in ("literal_element", "keyed_element", "literal_value"):
        return Use(UseKind.STORED, node, parent)
    if kind == "send_statement" and parent.child_by_field_name("value") == node:
        return Use(UseKind.SENT, node, parent)
    return Use(UseKind.READ, node, parent)


def _use_in_list(go_file: GoFile, node: Node, values: Node) -> Use:
    """A value in an expression list: returned, assigned (right side) or bound (left side)."""
    holder = values.parent
    if holder is None:
        return Use(UseKind.READ, node)
    if holder.type == "return_statement":
        return Use(UseKind.RETURNED, node, holder)
    if holder.type in ("assignment_statement", "short_var_declaration", "var_spec"):
        right = holder.child_by_field_name("right") or holder.child_by_field_name("value")
        if right is not None and right.id == values.id:
            left = holder.child_by_field_name("left") or holder.child_by_field_name("name")
            blank = go_file.text(left) == "_"
            return Use(UseKind.ASSIGNED, node, holder, to_blank=blank)
        return Use(UseKind.BOUND, node, holder)
    return Use(UseKind.READ, node, holder)


def _same_value(expr: Node) -> Node:
    """The outermost expression that is still the same value: through parentheses and type
    assertions (`(f)`, `conn.(*tls.Conn)`)."""
    node = unparenthesized(expr)
    while node.parent is not None and node.parent.type == "type_assertion_expression":
        node = unparenthesized(node.parent)
    return node


@dataclass(frozen=True)
class Escape:
    """A use of a value that hands it to someone else: the reference and what it does."""

    node: Node
    use: Use | None  # None: captured by a function literal that may run elsewhere


def escape_of(
    go_file: GoFile,
    function: Node,
    name: str,
    after: Node,
    closures: bool = True,
) -> Escape | None:
    """The first use of local `name` in `function` (after the node `after`) that lets it escape.

    Escaping means: handed over (see `Use.hands_over`: returned, assigned to anything but `_`,
    passed to a call other than `len`/`cap`/`print`/`println`, put in a composite literal,
    sent on a channel, its address taken), or captured by a function literal that is not a
    deferred call (a goroutine, a callback, a stored closure). Calling a method on it, or
    reading a field of it (`t.C`), is not an escape. `allowed_closure(func_literal)` may
    accept a closure anyway.
    """
    body = function.child_by_field_name("body")
    if body is None:
        return None
    for ref in references(go_file, body, name):
        if ref.start_byte < after.end_byte:
            continue
        if closures and runs_of(ref, function).is_out_of_sight:
            return Escape(ref, None)
        use = use_of(go_file, ref)
        if use.hands_over:
            return Escape(ref, use)
    return None


class Runs(Enum):
    """When code in a function literal runs, relative to the function that holds it."""

    HERE = "in the function itself"
    DEFERRED = "when the function returns, on its goroutine"  # defer func() { ... }()
    IN_PLACE = "where it stands, on the function's goroutine"  # func() { ... }()
    GOROUTINE = "on a goroutine of its own"  # go func() { ... }()
    LATER = "whenever the closure's holder calls it"  # passed, stored, returned

    @property
    def is_out_of_sight(self) -> bool:
        """Not followed by a path walk from the function's statements: anything but HERE and
        DEFERRED (a closure called in place is a call the walk does not enter)."""
        return self not in (Runs.HERE, Runs.DEFERRED)

    @property
    def may_outlive_caller(self) -> bool:
        """On another goroutine, or after the function returned."""
        return self in (Runs.GOROUTINE, Runs.LATER)


def closure_runs(literal: Node) -> Runs:
    """When the function literal `literal` runs.

    ```go
    defer func() { ... }()   // DEFERRED
    go func() { ... }()      // GOROUTINE
    func() { ... }()         // IN_PLACE
    once.Do(func() { ... })  // LATER: whoever holds it decides
    ```
    """
    call = literal.parent
    if call is None or call.type != "call_expression":
        return Runs.LATER
    statement = call.parent
    if statement is not None and statement.type == "defer_statement":
        return Runs.DEFERRED
    if statement is not None and statement.type == "go_statement":
        return Runs.GOROUTINE
    return Runs.IN_PLACE


def runs_of(node: Node, function: Node) -> Runs:
    """When `node`, somewhere inside `function`, runs relative to `function`.

    HERE in its own statements; otherwise decided by the function literals between them: a
    goroutine or a callback (the outermost one) decides; else DEFERRED if one of them is
    deferred, else IN_PLACE. A `go` statement's call (`go c.Close()`, `go srv.Serve(ln)`)
    runs on the goroutine it starts.
    """
    found: list[Runs] = []
    current = node.parent
    while current is not None and current.id != function.id:
        if current.type == "go_statement":
            found.append(Runs.GOROUTINE)
        elif current.type == "func_literal":
            found.append(closure_runs(current))
        elif current.type in FUNCTION_TYPES:
            break
        current = current.parent
    for runs in reversed(found):
        if runs.may_outlive_caller:
            return runs
    if Runs.DEFERRED in found:
        return Runs.DEFERRED
    return Runs.IN_PLACE if found else Runs.HERE


def goroutine_of(node: Node) -> Node | None:
    """The function whose goroutine runs `node`: its enclosing function, looking through
    deferred closures (they run on the goroutine of the function that defers them)."""
    function = enclosing_function(node)
    while function is not None and closure_runs(function) is Runs.DEFERRED:
        function = enclosing_function(function)
    return function


def used_by_earlier_deferred_closure(
    go_file: GoFile, function: Node, name: str, binding: Node
) -> bool:
    """Does a `defer func() { ... name ... }()` registered before `binding` use `name`?

    The closure reads the variable when the function returns, so it sees the value bound
    later: `var t *time.Timer; defer func() { if t != nil { t.Stop() } }(); ...; t = ...`.
    The rule cannot tell what it does with it, so the value is not the rule's to judge.
    """
    body = function.child_by_field_name("body")
    if body is None:
        return False
    for ref in references(go_file, body, name):
        if ref.start_byte >= binding.start_byte:
            continue
        closure = enclosing_function(ref)
        if (
            closure is not None
            and closure.type == "func_literal"
            and closure_runs(closure) is Runs.DEFERRED
            and enclosing_function(closure) == function
        ):
            return True
    return False
