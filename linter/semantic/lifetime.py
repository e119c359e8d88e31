"""How long code lives: commands vs servers, and code that runs once per process."""

from __future__ import annotations

from tree_sitter import Node

from linter.gomod import nearest_gomod
from linter.semantic.core import _METHOD_CALLS, enclosing_function, function_name, inside_loop
from linter.semantic.facts import package_fact
from linter.semantic.globals import (
    Recurrence,
    _has_per_event_parameter,
    _is_called,
    _top_level_specs,
    global_references,
)
from linter.semantic.scopes import is_shadowed
from linter.semantic.types import type_name
from linter.source import GoFile, Package, captures, query

# Parameters only code that serves clients takes (a context.Context is everywhere).
_REQUEST_PARAMETERS = frozenset(
    {("net/http", "Request"), ("net/http", "ResponseWriter"), ("net", "Conn")}
)

_ACCEPT_CALLS = query(
    """
    (call_expression
       function: (selector_expression field: (field_identifier) @method (#eq? @method "Accept"))
    ) @accept
    """
)


def package_import_path(package: Package) -> str | None:
    """The package's import path: the nearest go.mod's module path plus its directory, or the
    path below `vendor/` for a vendored copy (`golang.org/x/net/http2`)."""
    gomod = nearest_gomod(package.directory)
    if gomod is None or gomod.module_path is None:
        return None
    try:
        parts = package.directory.resolve().relative_to(gomod.directory).parts
    except ValueError:
        return None
    if "vendor" in parts:
        below = len(parts) - parts[::-1].index("vendor")
        return "/".join(parts[below:]) or None
    return "/".join((gomod.module_path, *parts))


def is_command_package(package: Package) -> bool:
    """A command's code: `package main`, or a package under a `cmd` element of its import path
    (`cmd/compile/internal/ir`, `example.com/x/cmd/tool/internal/flags`), Go's layout for the
    binaries a module builds and their private libraries.

    Most commands are batch tools (compilers, linkers, code generators, the go command): they
    run, fill their tables and exit, so package-level state ends with the run. The servers
    among them show themselves by handling requests (`serves_requests`).
    """
    if package.name == "main":
        return True
    path = package_import_path(package)
    return path is not None and "cmd" in path.split("/")


def serves_requests(go_file: GoFile, node: Node) -> Recurrence | None:
    """Why `node` runs once per request or connection a server receives, or None.

    PER_REQUEST inside a function (or a closure within one) taking an `*http.Request`, an
    `http.ResponseWriter` or a `net.Conn`; PER_CONNECTION in a loop that calls a listener's
    `Accept`. Stricter than `runs_in_long_lived_code`: a lock, a goroutine, a channel loop or
    a `context.Context` is also how batch tools work (a compiler's parallel back end, the go
    command's build actions), while these occur only in code that serves clients.
    """
    inner = node
    function = enclosing_function(node)
    while function is not None:
        if _has_per_event_parameter(go_file, function, _REQUEST_PARAMETERS):
            return Recurrence.PER_REQUEST
        loop = inside_loop(inner, stop_at=function)
        while loop is not None:
            body = loop.child_by_field_name("body")
            if body is not None and captures(_ACCEPT_CALLS, body).get("accept"):
                return Recurrence.PER_CONNECTION
            loop = inside_loop(loop, stop_at=function)
        inner, function = function, enclosing_function(function)
    return None


def is_main_function(package: Package, go_file: GoFile, function: Node | None) -> bool:
    """`func main()` of package main: when it returns, the process exits, so nothing it
    leaves behind outlives anything."""
    return (
        package.name == "main"
        and function is not None
        and function.type == "function_declaration"
        and function_name(go_file, function) == "main"
    )


def is_init_function(go_file: GoFile, function: Node | None) -> bool:
    """`func init()`: runs once, before `main`, so what it starts or keeps lasts as long as
    the process by design. Not a method named `init` (`func (s *Server) init()`), which runs
    once per value."""
    return (
        function is not None
        and function.type == "function_declaration"
        and function_name(go_file, function) == "init"
    )


def is_process_entry(package: Package, go_file: GoFile, function: Node | None) -> bool:
    """`main.main` or a `func init()`: the process's own entry points, which run once and
    whose leftovers last exactly as long as the process. A method named `init` or `main`
    runs once per value, so it is not one."""
    return is_main_function(package, go_file, function) or is_init_function(go_file, function)


def hijacks_connection(go_file: GoFile, function: Node) -> bool:
    """Does the handler `function` take its connection over from net/http: `hj.Hijack()`,
    or a websocket upgrade given the request (`upgrader.Upgrade(w, r, nil)`,
    `websocket.Accept(w, r, opts)`)?

    From then on the request's context no longer ends when the client goes away, only when
    the handler returns. Errs toward False: other calls that hijack are not recognised.
    """
    body = function.child_by_field_name("body")
    requests = _request_parameters(go_file, function)
    for call in captures(_METHOD_CALLS, body).get("call", []) if body is not None else []:
        method = go_file.text(call.child_by_field_name("function").child_by_field_name("field"))
        arguments = call.child_by_field_name("arguments")
        given = [go_file.text(a) for a in arguments.named_children] if arguments else []
        if method == "Hijack" and not given:
            return True
        if method in ("Upgrade", "Accept") and requests.intersection(given):
            return True
    return False


def _request_parameters(go_file: GoFile, function: Node) -> set[str]:
    """Names of the `*http.Request` parameters of `function`."""
    parameters = function.child_by_field_name("parameters")
    names = set()
    for declaration in parameters.named_children if parameters is not None else []:
        if type_name(go_file, declaration.child_by_field_name("type")) == "net/http.Request":
            names.update(go_file.text(n) for n in declaration.children_by_field_name("name"))
    return names


def runs_once_per_process(
    package: Package, go_file: GoFile, function: Node, _depth: int = 0
) -> bool:
    """Does `function` run at most once per process: `init`, the program's `main` (in package
    main, or the runtime's `main`, which nothing in its package calls), or an unexported
    function (any function of package main, which nothing can import) whose every caller in
    the package (tests included) is such a function, calling it outside any loop, or hands
    it to a package-level `sync.Once` (`dateOnce.Do(startClock)`)? A daemon started from
    there lives as long as the process by design.

    A function handed to the `Do` of a package-level `sync.Once` (`httpOnce.Do(start)`)
    runs once, wherever that is done. Calls from function literals (callbacks, goroutines)
    and methods are not followed: how often those run is unknown.
    """
    if function.type != "function_declaration" or _depth > 4:
        return False
    name = function_name(go_file, function)
    if name == "init":
        return True
    callers = global_references(package, name)
    if name == "main":
        return is_main_function(package, go_file, function) or not callers
    if (name[:1].isupper() and package.name != "main") or not callers:
        return False  # other packages may call it (not main's); or assembly calls it
    for caller_file, ref in callers:
        if _run_by_package_once(package, caller_file, ref):
            continue
        caller = enclosing_function(ref)
        if (
            not _is_called(ref)
            or caller is None
            or caller.id == function.id
            or inside_loop(ref, stop_at=caller) is not None
            or not runs_once_per_process(package, caller_file, caller, _depth + 1)
        ):
            return False
    return True


def run_by_package_once(package: Package, go_file: GoFile, function: Node) -> bool:
    """Is the function only ever run through the `Do` of a package-level `sync.Once`
    (`startOnce.Do(start)`): at most once per process, by design?"""
    if function.type != "function_declaration":
        return False
    references = global_references(package, function_name(go_file, function))
    return bool(references) and all(_run_by_package_once(package, f, ref) for f, ref in references)


def _run_by_package_once(package: Package, go_file: GoFile, ref: Node) -> bool:
    """`dateOnce.Do(startClock)` with `var dateOnce sync.Once` at package level: the
    function is run at most once per process (a Once in a struct runs it once per value)."""
    arguments = ref.parent
    call = arguments.parent if arguments is not None and arguments.type == "argument_list" else None
    callee = call.child_by_field_name("function") if call is not None else None
    if callee is None or callee.type != "selector_expression" or len(arguments.named_children) != 1:
        return False
    once = callee.child_by_field_name("operand")
    if go_file.text(callee.child_by_field_name("field")) != "Do" or once.type != "identifier":
        return False
    if is_shadowed(go_file, once, go_file.root):
        return False
    return go_file.text(once) in _package_onces(package)


@package_fact
def _package_onces(package: Package) -> frozenset[str]:
    """Package-level `sync.Once` variables, in any file (a test file's too: once per test
    binary is once per process)."""
    return frozenset(
        go_file.text(name)
        for go_file in package.files
        for spec in _top_level_specs(go_file, "var_declaration", "var_spec")
        if type_name(go_file, spec.child_by_field_name("type")) == "sync.Once"
        for name in spec.children_by_field_name("name")
    )
