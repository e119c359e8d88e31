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

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from tree_sitter import Node

from linter.semantic.bindings import Binding, declared_names, named_results
from linter.semantic.channels import argument_index
from linter.semantic.core import (
    FUNCTION_TYPES,
    enclosing_function,
    is_inside,
    selectors_named,
    unparenthesized,
)
from linter.semantic.escapes import references
from linter.semantic.exits import Exit
from linter.semantic.holding import holds
from linter.semantic.types import is_block_statement
from linter.semantic.unreleased import exits_without_release
from linter.source import GoFile, Package


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
    f = open()        // BOUND (also `f, err := open()`, `var f = open()`)
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
    if kind == "var_spec" and any(n.id == node.id for n in parent.children_by_field_name("name")):
        return Use(UseKind.BOUND, node, parent)
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
    sent on a channel, its address taken), or captured by a function literal that may run
    out of sight (a goroutine, a callback, a stored closure, or one called in place; not a
    deferred one). Calling a method on it, or reading a field of it (`t.C`), is not an
    escape. With `closures=False` a capture is not an escape either: only hand-overs are.
    """
    body = function.child_by_field_name("body")
    if body is None:
        return None
    refs = [r for r in references(go_file, body, name) if r.start_byte >= after.end_byte]
    return _first_escape(go_file, function, refs, closures, hand_overs=True)


def _first_escape(
    go_file: GoFile, function: Node, refs: list[Node], closures: bool, hand_overs: bool
) -> Escape | None:
    """The first of `refs` in a closure out of sight (when `closures`) or, when
    `hand_overs`, that hands the value over."""
    for ref in refs:
        if closures and runs_of(ref, function).is_out_of_sight:
            return Escape(ref, None)
        if hand_overs:
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
    NEVER = "never: nothing holds it"  # _ = func() { ... }

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
    _ = func() { ... }       // NEVER
    ```
    """
    call = literal.parent
    if call is not None and call.type == "expression_list" and _assigned_to_blank(call):
        return Runs.NEVER
    if call is None or call.type != "call_expression":
        return Runs.LATER
    statement = call.parent
    if statement is not None and statement.type == "defer_statement":
        return Runs.DEFERRED
    if statement is not None and statement.type == "go_statement":
        return Runs.GOROUTINE
    return Runs.IN_PLACE


def _assigned_to_blank(values: Node) -> bool:
    """`_ = <values>`: an assignment whose only target is the blank identifier."""
    statement = values.parent
    if statement is None or statement.type != "assignment_statement":
        return False
    left = statement.child_by_field_name("left")
    targets = left.named_children if left is not None else []
    return (
        statement.child_by_field_name("right") == values
        and [t.type for t in targets] == ["identifier"]
        and targets[0].text == b"_"
    )


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
    if Runs.NEVER in found:
        return Runs.NEVER
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
    When `function` is a closure assigning a variable it captures, the deferred closures of
    the function that declares it count too (`start := func() { t = time.NewTicker(d) }`).
    The rule cannot tell what it does with it, so the value is not the rule's to judge.
    """
    owner: Node | None = function
    while owner is not None:
        body = owner.child_by_field_name("body")
        for ref in references(go_file, body, name) if body is not None else []:
            if ref.start_byte >= binding.start_byte:
                continue
            closure = enclosing_function(ref)
            if (
                closure is not None
                and closure.type == "func_literal"
                and closure_runs(closure) is Runs.DEFERRED
                and enclosing_function(closure) == owner
            ):
                return True
        if name in declared_names(go_file, owner):
            return False
        owner = enclosing_function(owner)
    return False


class Verdict(Enum):
    """Who releases a value a function makes (see `release_check`)."""

    DISCARDED = "discarded"  # `_ = open()`, `open()`: nobody can release it
    HANDED_OVER = "handed over"  # someone else holds it: not the function's to release
    NEVER_RELEASED = "never released"  # the function keeps it and never releases it
    LEAKS = "leaks"  # released on some paths; `exits` are the others
    RELEASED = "released"  # released (or handed over) on every path


@dataclass(frozen=True)
class ReleaseCheck:
    """The verdict on one value, with the exits that leave it unreleased (when it LEAKS, or
    is NEVER_RELEASED: then every exit the binding reaches)."""

    verdict: Verdict
    exits: tuple[Exit, ...] = ()


def release_check(
    package: Package,
    go_file: GoFile,
    function: Node,
    binding: Binding,
    releases: Callable[[list[Node]], list[Node]],
    *,
    hands_over: Callable[[Node, bool], bool] | None = None,
    ends: Callable[[list[Node]], list[Node]] | None = None,
    closures: bool = True,
) -> ReleaseCheck:
    """Is the value bound by `binding` (in `function`) released on every path out of it?

    ```go
    f, err := os.Open(p)      // binding
    if err != nil {
            return err        // not an exit: f is unusable here
    }
    if bad(f) {
            return errBad     // LEAKS: this return leaves f open
    }
    defer f.Close()           // a release (from `releases`)
    ```

    In order: DISCARDED when bound to `_` or called as a statement. HANDED_OVER when it is
    not a local of a block statement (a field, element or global; returned or passed in
    place; bound in an if/for/switch header), a named result, handed over (`escape_of`,
    when no `hands_over` is given), used by a deferred closure registered before it, or
    released out of sight (by a goroutine or a callback). A closure that may run elsewhere
    (`go func() { ... f ... }()`, a callback; unless `closures` is False) takes the value
    where it is made: the paths that leave before it still need their release.
    Then the releases: `releases(refs)` gets the references after the binding and returns
    the calls that release it; `hands_over(ref, released)` (told whether there are any)
    says which uses give it away on their path, which counts as a release there; `ends(refs)`
    are loops whose normal end releases it (`for rows.Next()`). NEVER_RELEASED without any
    (with every exit it reaches); LEAKS with the exits reached without one (an `if err !=
    nil` guard on the binding's error, or `if v == nil`, makes a path unusable, not a
    leak); else RELEASED. Errs toward HANDED_OVER when unsure.
    """
    if binding.is_discarded:
        return ReleaseCheck(Verdict.DISCARDED)
    statement, name = binding.statement, binding.name
    body = function.child_by_field_name("body")
    if not binding.is_local or not is_block_statement(statement) or body is None:
        return ReleaseCheck(Verdict.HANDED_OVER)
    if name in named_results(go_file, function):
        return ReleaseCheck(Verdict.HANDED_OVER)
    refs = [
        r
        for r in references(go_file, body, name)
        if r.start_byte >= statement.end_byte and runs_of(r, function) is not Runs.NEVER
    ]
    seen = [r for r in refs if not closures or not runs_of(r, function).is_out_of_sight]
    if _first_escape(go_file, function, seen, False, hands_over is None) is not None:
        return ReleaseCheck(Verdict.HANDED_OVER)
    if used_by_earlier_deferred_closure(go_file, function, name, statement):
        return ReleaseCheck(Verdict.HANDED_OVER)
    found = [r for r in releases(refs) if runs_of(r, function) is not Runs.NEVER]
    if any(runs_of(release, function).is_out_of_sight for release in found):
        return ReleaseCheck(Verdict.HANDED_OVER)
    if closures:
        found = found + _captured_where(refs, function)
    if hands_over is not None:
        owned = bool(found)
        found = found + [ref for ref in refs if hands_over(ref, owned)]
    loops = ends(refs) if ends is not None else []
    error_name = binding.extra_names[-1] if binding.extra_names else None
    exits = exits_without_release(
        package,
        go_file,
        function,
        statement,
        found,
        None if error_name == "_" else error_name,
        loops,
        name,
    )
    if not found and not loops:
        return ReleaseCheck(Verdict.NEVER_RELEASED, tuple(exits))
    return ReleaseCheck(Verdict.LEAKS, tuple(exits)) if exits else ReleaseCheck(Verdict.RELEASED)


def _captured_where(refs: list[Node], function: Node) -> list[Node]:
    """The outermost function literals, made in `function`, that may run out of sight and
    use the value: on its path, each one takes the value over where it is made."""
    literals: dict[int, Node] = {}
    for ref in refs:
        if not runs_of(ref, function).is_out_of_sight:
            continue
        literal = enclosing_function(ref)
        while (
            literal is not None and literal != function and enclosing_function(literal) != function
        ):
            literal = enclosing_function(literal)
        if literal is None or literal == function:
            started = _go_statement_of(ref, function)  # `go srv.Serve(ln)`
            if started is not None:
                literals[started.id] = started
            continue
        call = literal.parent
        started = call.parent if call is not None else None
        if started is not None and started.type == "go_statement":
            literal = started  # `go func() { ... }()`: the goroutine takes it as it starts
        literals[literal.id] = literal
    return list(literals.values())


def _go_statement_of(node: Node, function: Node) -> Node | None:
    current = node.parent
    while current is not None and current != function:
        if current.type == "go_statement":
            return current
        current = current.parent
    return None


def fills_outer_variable(go_file: GoFile, function: Node, binding: Binding) -> bool:
    """`func() { conn, err = dial() }()`: a closure assigns a variable of the function around
    it, which owns the value."""
    return (
        function.type == "func_literal"
        and binding.is_local
        and binding.statement is not None
        and binding.statement.type == "assignment_statement"
        and binding.name not in declared_names(go_file, function)
    )


def continues_only_on_failure(
    package: Package, go_file: GoFile, function: Node, binding: Binding
) -> bool:
    """`_, err := c.Get(u); if err == nil { t.Fatal("want an error") }`, or the same bound in
    the if header (`if _, err := tls.Dial(...); err == nil {`): the code goes on only when
    the call failed, and a failed call returned nothing to release."""
    error_name = binding.extra_names[-1] if binding.extra_names else None
    if not binding.is_blank or error_name in (None, "_"):
        return False
    return not exits_without_release(package, go_file, function, binding.statement, [], error_name)


def captured_by_closure(go_file: GoFile, function: Node, name: str, after: Node) -> bool:
    """Is local `name` used, after `after`, by code that may run on another goroutine or
    after `function` returns (a goroutine, a callback)? Then it stays referenced as long as
    that code does."""
    body = function.child_by_field_name("body")
    return body is not None and any(
        runs_of(ref, function).is_out_of_sight
        for ref in references(go_file, body, name)
        if ref.start_byte >= after.end_byte
    )


def kept_beyond(go_file: GoFile, scope: Node, name: str, made: Node) -> bool:
    """Is the value local `name` gets at `made` kept past the end of `scope` (a loop body),
    itself or through something made from it (`r := bufio.NewReader(f)`)?

    ```go
    files = append(files, f)  // kept: appended
    s.files[i] = f            // kept: stored in something declared outside the scope
    out <- f                  // kept: sent
    go serve(f)               // kept: a goroutine has it
    st, err := f.Stat()       // not kept: only read through it
    ```
    Errs toward kept: a value some later code may hold is not the iteration's to release.
    """
    pending, seen = [name], {name}
    while pending:
        current = pending.pop()
        for ref in references(go_file, scope, current):
            if ref.start_byte <= made.end_byte:
                continue
            kept, derived = _keeps(go_file, ref, scope)
            if kept:
                return True
            for alias in derived:
                if alias not in seen and alias != "_":
                    seen.add(alias)
                    pending.append(alias)
    return False


def _keeps(go_file: GoFile, ref: Node, scope: Node) -> tuple[bool, list[str]]:
    """(does this use keep the value beyond `scope`, names newly derived from it)."""
    runs = runs_of(ref, enclosing_function(scope))
    if runs is not Runs.HERE:
        return runs is Runs.GOROUTINE, []
    node = ref
    while node.parent is not None and node.parent.id != scope.id:
        parent = node.parent
        if parent.type == "call_expression":
            function = parent.child_by_field_name("function")
            if function is not None and go_file.text(function) == "append":
                return True, []
        if parent.type in ("go_statement", "send_statement"):
            return True, []
        if parent.type in ("assignment_statement", "short_var_declaration"):
            return _kept_by_assignment(go_file, ref, parent, scope)
        if parent.type in ("expression_statement", "return_statement", "defer_statement"):
            return False, []
        node = parent
    return False, []


def _kept_by_assignment(
    go_file: GoFile, ref: Node, statement: Node, scope: Node
) -> tuple[bool, list[str]]:
    """`s.files[i] = f` keeps it (a target from outside `scope`); `r := bufio.NewReader(f)`
    derives `r` from it."""
    left = statement.child_by_field_name("left")
    right = statement.child_by_field_name("right")
    if left is None or right is None or not is_inside(ref, right):
        return False, []
    if statement.type == "assignment_statement" and any(
        not _declared_in(go_file, scope, t) for t in left.named_children
    ):
        return holds(go_file, ref, left), []
    if holds(go_file, ref, left):
        return False, [go_file.text(t) for t in left.named_children[:1]]
    return False, []


def _declared_in(go_file: GoFile, scope: Node, target: Node) -> bool:
    """Is the root variable of an assignment target declared inside `scope`?"""
    root = target
    while root.type in ("selector_expression", "index_expression"):
        root = root.child_by_field_name("operand")
        if root is None:
            return False
    if root.type != "identifier":
        return False
    for ref in references(go_file, scope, go_file.text(root)):
        use = use_of(go_file, ref)
        if use.kind is UseKind.BOUND and use.holder.type in ("short_var_declaration", "var_spec"):
            return True
    return False


def field_stored_in(go_file: GoFile, use: Use) -> Node | None:
    """The field a use stores the value in: `s.cancel = cancel` (the selector's field) or
    `&conn{cancel: cancel}` (the key); None for any other use."""
    if use.kind is UseKind.STORED:
        element = use.holder
        keyed = element.parent if element is not None else None
        if element is None or element.type != "literal_element" or keyed is None:
            return None
        key = keyed.child_by_field_name("key")
        if keyed.type != "keyed_element" or key is None or key.id == element.id:
            return None
        inner = key.named_children[0] if key.named_children else None
        return inner if inner is not None and inner.type == "identifier" else None
    if use.kind is not UseKind.ASSIGNED or use.holder.type != "assignment_statement":
        return None
    left = use.holder.child_by_field_name("left")
    right = use.holder.child_by_field_name("right")
    values = right.named_children if right is not None else []
    targets = left.named_children if left is not None else []
    index = next((i for i, v in enumerate(values) if v.id == use.node.id), -1)
    target = targets[index] if 0 <= index < len(targets) and len(targets) == len(values) else None
    if target is None or target.type != "selector_expression":
        return None
    return target.child_by_field_name("field")


def field_is_read(package: Package, name: str) -> bool:
    """Is some `x.name` of the package read (called, deferred, passed, copied), not only
    assigned to? Without types every field of that name counts."""
    return any(
        use_of(go_file, selector).kind is not UseKind.BOUND
        for go_file, selector in selectors_named(package, name)
    )


def expected_to_panic(go_file: GoFile, call: Node) -> bool:
    """The call sits in a function literal handed to `require.Panics(...)`,
    `assert.PanicsWithValue(...)` and the like: it is meant to panic, returning nothing."""
    literal = enclosing_function(call)
    located = argument_index(literal) if literal is not None else None
    if literal is None or literal.type != "func_literal" or located is None:
        return False
    check = located[0].child_by_field_name("function")
    name = go_file.text(check).rpartition(".")[2] if check is not None else ""
    return name.startswith("Panics")
