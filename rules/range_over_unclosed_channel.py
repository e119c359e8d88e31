"""## What it does
Flags `for v := range ch` over a channel this package makes — a local `make(chan ...)`, an
unexported struct field or an unexported package variable that is only ever set to a
`make(chan ...)` — when nothing in the package closes that channel: no `close` of the same
local variable, of a field with the same name, or of the same package variable, in any file,
and the channel is never handed to code that could close it (another package, a function
value, a return value). A channel that arrives as a parameter or from another package is not
judged, nor is a loop that can leave by itself (`break`, a `return` that is not error
handling). Ranging over `time.Tick` or `ticker.C` is GLK101's business.

**Default and scope (measured, docs/precision-audit.md).** On by default, for code that
ships: it reported nothing in the production code of 25 real projects. Its one test-file
finding (a range entered only when `len(ch) > 0`, whose body fails the test at the first
element) was a false positive, so `_test.go` files are out of scope.

## Why is this bad
A `range` over a channel ends only when the channel is closed. Once the producers stop
sending and nobody closes it, the ranging goroutine parks forever in `chan receive`,
holding its stack and everything it references. The classic shape is a worker pool whose
producer forgets `close(jobs)`: every call leaves its workers behind.

## Example
```go
func process(items []Item) {
        jobs := make(chan Item)
        for i := 0; i < 4; i++ {
                go func() {
                        for it := range jobs { // never ends
                                handle(it)
                        }
                }()
        }
        for _, it := range items {
                jobs <- it
        }
}
```

## Use instead
```go
func process(items []Item) {
        jobs := make(chan Item)
        for i := 0; i < 4; i++ {
                go func() {
                        for it := range jobs {
                                handle(it)
                        }
                }()
        }
        for _, it := range items {
                jobs <- it
        }
        close(jobs) // the workers' range loops end
}
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tree_sitter import Node

from linter import semantic
from linter.findings import Finding
from linter.reporting import report
from linter.source import GoFile, Package

code = "GLK201"
name = "range-over-unclosed-channel"
summary = "range over a channel that nothing in the package closes"
level = "warning"
precision = "high"
test_files = False
tags = ("goroutine-leak", "channel")

_RANGE_KEYWORD = re.compile(rb"range\b")
# `if err != nil { return }` inside the loop is error handling, not the end of the stream.
_ERROR_CONDITION = re.compile(r"\berr\w*\b|\w*Err\b|!=\s*nil")


def check(package: Package) -> Iterator[Finding]:
    if not semantic.package_mentions_channels(package):
        return
    shared = semantic.package_channel_field_names(package) | (
        semantic.package_channel_global_names(package)
    )
    ranges_over_shared = _ranges_over(shared)
    for go_file in package.files:
        if b"range" not in go_file.data:
            continue
        if not semantic.channel_makes(go_file) and not (
            ranges_over_shared and ranges_over_shared.search(go_file.data)
        ):
            continue  # nothing in reach of this file's range loops could be our channel
        for loop in semantic.nodes_at_matches(go_file, _RANGE_KEYWORD, "for_statement"):
            if semantic.range_expression(loop) is None:
                continue
            finding = _check_range(package, go_file, loop)
            if finding is not None:
                yield finding


def _ranges_over(names: frozenset[str]) -> re.Pattern[bytes] | None:
    """`range jobs`, `range s.jobs` for any of the names, as a byte-level prefilter."""
    if not names:
        return None
    spelled = b"|".join(re.escape(n.encode()) for n in sorted(names))
    return re.compile(rb"range\s+(?:[\w.]+\.)?(?:" + spelled + rb")\b")


def _check_range(package: Package, go_file: GoFile, loop: Node) -> Finding | None:
    channel = semantic.range_expression(loop)
    clause = next((c for c in loop.named_children if c.type == "range_clause"), None)
    left = clause.child_by_field_name("left") if clause is not None else None
    if channel is None or (left is not None and len(left.named_children) > 1):
        return None  # `for k, v := range m` ranges over a map or slice, never a channel
    if _lives_with_the_process(package, go_file, loop) or _loop_can_leave(go_file, loop):
        return None
    described = _unclosed_channel(package, go_file, channel)
    if described is None:
        return None
    text = go_file.text(channel)
    return report(
        go_file,
        loop,
        f"range over {text} never ends: nothing in package {package.name} closes {described}; "
        f"this goroutine blocks here forever once the senders stop. "
        f"Close it after the last send (defer close({text}) in the producer)",
    )


def _unclosed_channel(package: Package, go_file: GoFile, channel: Node) -> str | None:
    """A description of the channel when it is ours and provably never closed, else None."""
    if channel.type == "identifier":
        local = semantic.local_channel(go_file, channel)
        if local is not None:
            body = local.owner.child_by_field_name("body")
            uses = [(go_file, ref) for ref in semantic.references(go_file, body, local.name)]
            if semantic.channel_service(package, uses).closes:
                return None
            return f"the channel made at line {local.makes[0].start_point[0] + 1}"
        if semantic.parameter_type(go_file, channel) is not None:
            return None
    shared = semantic.package_channel_of(package, go_file, channel)
    if shared is None or semantic.channel_service(package, shared.uses).closes:
        return None
    if shared.is_field:
        return f"any .{shared.name} field"
    return f"the package variable {shared.name}"


def _lives_with_the_process(package: Package, go_file: GoFile, loop: Node) -> bool:
    """A loop in `main` or `init` (or its goroutines) serves the process by design."""
    top = semantic.top_level_function(loop)
    if top is None:
        return True
    return semantic.is_process_entry(package, go_file, top)


def _loop_can_leave(go_file: GoFile, loop: Node) -> bool:
    """A break, goto, or a return that ends the stream by protocol (a sentinel value, a count
    reached): the sender may rely on it instead of closing."""
    if semantic.loop_has_break(go_file, loop):
        return True
    function = semantic.enclosing_function(loop)
    if function is None:
        return False
    return any(
        semantic.is_inside(ret, loop) and not _is_error_handling(go_file, ret, loop)
        for ret in semantic.own_returns(function)
    )


def _is_error_handling(go_file: GoFile, ret: Node, loop: Node) -> bool:
    """Is this return under an error check or a select case (ctx.Done(), a timeout)?"""
    current = ret.parent
    while current is not None and current.id != loop.id:
        if current.type == "communication_case":
            return True
        if current.type == "if_statement":
            condition = current.child_by_field_name("condition")
            if condition is not None and _ERROR_CONDITION.search(go_file.text(condition)):
                return True
        current = current.parent
    return False
