"""Parse Go that is newer than the pinned tree-sitter-go grammar (0.25), with exact positions.

The grammar predates two changes and turns valid files into ERROR nodes (whole test functions
swallowed) where they appear:

- Go 1.26's `new(expr)`: `new(42)`, `new(f())`, `new(b.state.n)`. The grammar reads the
  operand of `new` and `make` as a type only, which also breaks a local function or variable
  that shadows them (`make(n - 1)`, `new(r, w, false)`).
- Go 1.27's methods with their own type parameters: `func (r *Rand) N[Int intType](n Int) Int`.

A file that parses cleanly is left alone. Otherwise its bytes are rewritten at the same length
(so every offset, line and column in the tree is the file's own) and parsed again:

- such a call's callee is renamed (`new(42)` -> `New(42)`), so the grammar reads an ordinary
  call whose arguments are expressions. `new(T)` and `make([]T, n)` are left as they are, and
  an operand that could be a type or a value (`new(x)`, `new(b.state)`) stays a type, as the
  grammar reads it in a clean file too;
- a method's type parameter list is blanked with spaces (newlines kept): the method, its
  receiver, parameters, results and body are all in the tree; its type parameters are not.

The tree reads its text from the original bytes (see `_Reader`), so `Node.text` and query
predicates see `new`, not the rename. What the rewrite does not cover is still a syntax error.
"""

from __future__ import annotations

from tree_sitter import Parser, Point, Tree

from linter.gotokens import Brackets, Kind, Token, match_brackets, tokenize

_RENAMED_BUILTINS = {b"new": b"New", b"make": b"Make"}
_CHUNK = 4096


def parse(parser: Parser, data: bytes) -> Tree:
    """Parse `data`, through the same-length rewrite when the plain parse has errors."""
    tree = parser.parse(data)
    if not tree.root_node.has_error:
        return tree
    rewritten = rewrite(data)
    if rewritten is None:
        return tree
    reader = _Reader(rewritten)
    tree = parser.parse(reader)
    reader.source = data
    return tree


class _Reader:
    """Serves the parser the rewritten bytes; afterwards serves the tree the file's own.

    py-tree-sitter keeps the read callable of a tree parsed from one and calls it for
    `Node.text` and text predicates, so switching `source` after parsing makes the tree read
    the original text at the offsets the rewrite kept.
    """

    def __init__(self, source: bytes) -> None:
        self.source = source

    def __call__(self, offset: int, _point: Point) -> bytes:
        return self.source[offset : offset + _CHUNK]


def rewrite(data: bytes) -> bytes | None:
    """`data` with every construct the grammar cannot read rewritten, or None if it has none."""
    tokens = tokenize(data)
    brackets = match_brackets(tokens)
    result = bytearray(data)
    changed = False
    for index, token in enumerate(tokens):
        if token.text in _RENAMED_BUILTINS and _calls_builtin_with_a_value(tokens, brackets, index):
            result[token.start : token.end] = _RENAMED_BUILTINS[token.text]
            changed = True
        elif token.text == b"func":
            span = _method_type_parameters(tokens, brackets, index)
            if span is not None:
                start, end = span
                result[start:end] = bytes(b if b in b"\r\n" else 0x20 for b in data[start:end])
                changed = True
    return bytes(result) if changed else None


def _calls_builtin_with_a_value(tokens: list[Token], brackets: Brackets, index: int) -> bool:
    """`new(42)`, `new(f())`, `make(n - 1)`: a call of `new` or `make` whose first argument
    cannot be a type. Not `x.new(...)`, nor the name in `func new(` or `func (r R) new(`."""
    opening = index + 1
    if opening >= len(tokens) or tokens[opening].text != b"(" or opening not in brackets.closer:
        return False
    if index > 0:
        before = tokens[index - 1]
        if before.text in (b".", b"func"):
            return False  # a method or field, or a function declared with that name
        if before.text == b")" and not tokens[index].after_newline:
            return False  # a method declared with that name: `func (r R) new(`
    closing = brackets.closer[opening]
    first_end = _argument_end(tokens, brackets, opening + 1, closing)
    if first_end == opening + 1:
        return False  # `new()`: nothing to read either way
    return _type_end(tokens, brackets, opening + 1, first_end) != first_end


def _argument_end(tokens: list[Token], brackets: Brackets, start: int, end: int) -> int:
    """Index of the `,` (or of `end`) that ends the argument starting at `start`."""
    index = start
    while index < end and tokens[index].text != b",":
        index = brackets.closer.get(index, index) + 1
    return index


def _type_end(tokens: list[Token], brackets: Brackets, start: int, end: int) -> int | None:
    """Index after the Go type that starts at `start` (within `end`), or None if none does.

    The type grammar as the parser reads it: names (`T`, `pkg.T`, with type arguments), `*T`,
    `[n]T`, `[]T`, `map[K]V`, channel, function, struct and interface types, `(T)`.
    """
    if start >= end:
        return None
    token = tokens[start]
    text = token.text
    closing = brackets.closer.get(start)
    if text == b"*":
        return _type_end(tokens, brackets, start + 1, end)
    if text == b"[":
        return None if closing is None else _type_end(tokens, brackets, closing + 1, end)
    if text == b"(":
        inner = None if closing is None else _type_end(tokens, brackets, start + 1, closing)
        return None if inner is None or inner != closing else closing + 1
    if text == b"<-":
        after = start + 1
        is_channel = after < end and tokens[after].text == b"chan"
        return _type_end(tokens, brackets, after, end) if is_channel else None
    if token.kind is not Kind.IDENT:
        return None
    if text in (b"chan", b"map", b"struct", b"interface", b"func"):
        return _type_literal_end(tokens, brackets, start, end)
    if not token.is_name:
        return None
    return _type_name_end(tokens, brackets, start, end)


def _type_literal_end(tokens: list[Token], brackets: Brackets, start: int, end: int) -> int | None:
    """After `chan T`, `map[K]V`, `struct{...}`, `interface{...}`, `func(...) R`."""
    text = tokens[start].text
    after = start + 1
    closing = brackets.closer.get(after) if after < end else None
    if text == b"chan":
        if after < end and tokens[after].text == b"<-":
            after += 1
        return _type_end(tokens, brackets, after, end)
    if text == b"map":
        if closing is None or tokens[after].text != b"[":
            return None
        return _type_end(tokens, brackets, closing + 1, end)
    if text in (b"struct", b"interface"):
        return closing + 1 if closing is not None and tokens[after].text == b"{" else None
    if closing is None or tokens[after].text != b"(":
        return None
    result = closing + 1  # func(...), then an optional result
    if result < end and tokens[result].text == b"(":
        result_list = brackets.closer.get(result)
        return None if result_list is None else result_list + 1
    single = _type_end(tokens, brackets, result, end)
    return single if single is not None else result


def _type_name_end(tokens: list[Token], brackets: Brackets, start: int, end: int) -> int:
    """After `T`, `pkg.T`, `T[A, B]` or `pkg.T[A]`; type arguments must all be types."""
    index = start + 1
    if index + 1 < end and tokens[index].text == b"." and tokens[index + 1].is_name:
        index += 2
    closing = brackets.closer.get(index) if index < end else None
    is_generic = closing is not None and tokens[index].text == b"["
    if is_generic and _is_type_list(tokens, brackets, index + 1, closing):
        index = closing + 1
    return index


def _is_type_list(tokens: list[Token], brackets: Brackets, start: int, end: int) -> bool:
    """`A, B` within [start, end): one or more types separated by commas."""
    if start >= end:
        return False
    while start < end:
        item_end = _argument_end(tokens, brackets, start, end)
        if _type_end(tokens, brackets, start, item_end) != item_end:
            return False
        start = item_end + 1
    return True


def _method_type_parameters(
    tokens: list[Token], brackets: Brackets, index: int
) -> tuple[int, int] | None:
    """The byte span of `[Int intType]` in `func (r *Rand) N[Int intType](n Int) Int`.

    Only a declaration at the top level of the file: a function literal with a generic
    result (`func(x T) List[int] {`) is not a method.
    """
    if brackets.depth[index] != 0 or not _starts_declaration(tokens, index):
        return None
    receiver = index + 1
    receiver_end = brackets.closer.get(receiver)
    if receiver_end is None or tokens[receiver].text != b"(":
        return None
    name, opening = receiver_end + 1, receiver_end + 2
    if opening >= len(tokens) or not tokens[name].is_name or tokens[opening].text != b"[":
        return None
    closing = brackets.closer.get(opening)
    parameters = None if closing is None else closing + 1
    if parameters is None or parameters >= len(tokens) or tokens[parameters].text != b"(":
        return None
    return tokens[opening].start, tokens[closing].end


# Go inserts a semicolon after a line that ends in a name, a literal or one of these.
_ENDS_LINE = frozenset(
    {b")", b"]", b"}", b"++", b"--", b"break", b"continue", b"fallthrough", b"return"}
)


def _starts_declaration(tokens: list[Token], index: int) -> bool:
    """Whether tokens[index] begins a statement or declaration (Go's semicolon rules)."""
    if index == 0:
        return True
    before = tokens[index - 1]
    if before.text == b";":
        return True
    ends_line = before.is_name or before.kind is Kind.LITERAL or before.text in _ENDS_LINE
    return tokens[index].after_newline and ends_line
