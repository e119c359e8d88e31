"""globals: package-level variables, the code that touches them, and start-up-only code.
When a use may shrink the variable out of sight (handed to this package's code), the
answer is GlobalUse.HANDED and the rules stay silent."""

from __future__ import annotations

import pytest

from linter import semantic
from tests.snippets import go_file, node_at, package_of

STATE = """
import (
	"fmt"
	"sync"
)

var (
	cache = map[string]int{}
	a, b  int
	mu    sync.Mutex
)

type Cache map[string]int

const limit = 10

func get(k string) int {
	cache := map[string]int{}
	return cache[k]
}

func put(k string) {
	cache[k] = 1
}
"""


def test_package_vars_and_types_and_constants():
    package = package_of(STATE, "var hidden = 1\n")
    names = [v.name for v in semantic.package_vars(package)]
    assert names == ["cache", "a", "b", "mu", "hidden"]
    cache = semantic.package_vars(package)[0]
    assert cache.value is not None and cache.type is None
    assert set(semantic.package_types(package)) == {"Cache"}
    assert semantic.package_constants(package) == {"limit"}


def test_package_vars_leave_out_test_files():
    package = package_of(STATE)
    package.files = [go_file(STATE, "x_test.go")]
    assert semantic.package_vars(package) == []


def test_underlying_type_follows_declared_names_to_the_literal():
    package = package_of(STATE + "\ntype Alias Cache\nvar c Alias\n")
    source = package.files[0]
    declared = node_at(source, "c Alias", "var_spec").child_by_field_name("type")
    underlying = semantic.underlying_type(package, source, declared)
    assert underlying is not None and source.text(underlying) == "map[string]int"


def test_global_references_leave_out_declarations_keys_and_shadowed_locals():
    package = package_of(STATE, "func other() { _ = T{cache: 1}; fmt.Println(cache) }\n")
    found = semantic.global_references(package, "cache")
    uses = [(f.display_path, f.text(ref.parent.parent)) for f, ref in found]
    # `return cache[k]` reads the local; the `:=` declaring that local is itself listed, and
    # reads as handing the global on, so a rule errs toward silence there.
    assert uses == [
        ("x/x.go", "cache := map[string]int{}"),
        ("x/x.go", "cache[k]"),
        ("x/x1.go", "fmt.Println(cache)"),
    ]
    declaring = found[0]
    assert semantic.global_use(declaring[0], declaring[1])[0] is semantic.GlobalUse.HANDED


def test_identifiers_named_finds_whole_names_only():
    source = go_file("func f() { cache := 1; caches := cache; _ = caches }\n")
    assert [source.text(n) for n in semantic.identifiers_named(source, "cache")] == [
        "cache",
        "cache",
    ]


@pytest.mark.parametrize(
    ("statement", "kind"),
    [
        ("delete(cache, k)", semantic.GlobalUse.DELETE),
        ("clear(cache)", semantic.GlobalUse.DELETE),
        ("cache = nil", semantic.GlobalUse.ASSIGN),
        ("p := &cache", semantic.GlobalUse.ADDRESS),
        ("prune(cache)", semantic.GlobalUse.HANDED),  # this package's function may delete
        ("fmt.Println(cache)", semantic.GlobalUse.READ),  # another package's cannot
        ("local := cache", semantic.GlobalUse.HANDED),
        ("ok := len(cache) >= limit", semantic.GlobalUse.BOUND),
        ("ok := len(cache) > 0", semantic.GlobalUse.READ),  # emptiness, not a limit
        ("v := cache[k]", semantic.GlobalUse.READ),
    ],
)
def test_global_use(statement, kind):
    source = go_file(f'import "fmt"\n\nfunc f(k string) {{\n\t{statement}\n}}\n')
    ref = node_at(source, "cache", "identifier")
    assert semantic.global_use(source, ref) == (kind, "")


def test_a_method_call_names_the_method():
    source = go_file("func f() {\n\tregistry.Delete(k)\n}\n")
    ref = node_at(source, "registry", "identifier")
    assert semantic.global_use(source, ref) == (semantic.GlobalUse.METHOD, "Delete")


STARTUP = """
var table = build()

func init() { register("a") }

func register(name string) { table[name] = 1 }

func Register(name string) { table[name] = 2 }

func build() map[string]int { return map[string]int{} }

func handle(name string) { table[name] = 3 }

func serve() { handle("x") }

var once sync.Once

func lazy() { once.Do(func() { table["lazy"] = 4 }) }
"""


@pytest.mark.parametrize(
    ("write", "at_startup"),
    [
        ("table[name] = 1", True),  # register is only called from init
        ("table[name] = 2", True),  # an exported registration function
        ("table[name] = 3", False),  # handle is called from serve, which nobody calls
        ('table["lazy"] = 4', True),  # a sync.Once body
    ],
)
def test_startup_analysis(write, at_startup):
    package = package_of(STARTUP)
    source = package.files[0]
    node = node_at(source, write, "assignment_statement")
    assert semantic.StartupAnalysis(package).runs_at_startup(source, node) is at_startup


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("func f() {\n\tmu.Lock()\n\twrite()\n}", semantic.Recurrence.UNDER_LOCK),
        ("func f() {\n\tgo func() { write() }()\n}", semantic.Recurrence.GOROUTINE),
        ("func f(ctx context.Context) {\n\twrite()\n}", semantic.Recurrence.PER_REQUEST),
        ("func f() {\n\tfor {\n\t\t<-ch\n\t\twrite()\n\t}\n}", semantic.Recurrence.EVENT_LOOP),
        ("func addLocked() {\n\twrite()\n}", semantic.Recurrence.UNDER_LOCK),
        ("func f() {\n\tfor i := 0; i < n; i++ {\n\t\twrite()\n\t}\n}", None),
    ],
)
def test_runs_in_long_lived_code(code, reason):
    source = go_file(f'import "context"\n\n{code}\n')
    node = node_at(source, "write()", "call_expression")
    assert semantic.runs_in_long_lived_code(source, node) is reason


def test_used_by_earlier_deferred_closure():
    source = go_file(
        "func f() {\n\tvar t *time.Timer\n\tdefer func() {\n\t\tif t != nil {\n\t\t\tt.Stop()\n"
        "\t\t}\n\t}()\n\tt = time.NewTimer(1)\n\tu := time.NewTimer(2)\n\t_ = u\n}\n"
    )
    function = node_at(source, "func f", "function_declaration")
    t_binding = node_at(source, "t = time.NewTimer(1)", "assignment_statement")
    u_binding = node_at(source, "u := time.NewTimer(2)", "short_var_declaration")
    assert semantic.used_by_earlier_deferred_closure(source, function, "t", t_binding)
    assert not semantic.used_by_earlier_deferred_closure(source, function, "u", u_binding)


@pytest.mark.parametrize(
    ("call", "duration"),
    [
        ("time.NewTimer(0)", 0),
        ("time.NewTicker(-1)", -1),
        ("time.After(1_000)", 1000),
        ("time.NewTimer(5 * time.Second)", None),
        ("time.NewTimer(d)", None),
    ],
)
def test_constant_duration(call, duration):
    source = go_file(f"func f() {{\n\t_ = {call}\n}}\n")
    assert semantic.constant_duration(source, node_at(source, call, "call_expression")) == duration


def test_function_label_names_where_code_runs():
    source = go_file("func handle() { a() }\n\nfunc (s *S) ServeHTTP() { go func() { b() }() }\n")
    labels = [
        semantic.function_label(source, node_at(source, call, "call_expression"))
        for call in ("a()", "b()")
    ]
    assert labels == ["handle", "method ServeHTTP"]


def test_a_closure_assigning_a_captured_variable_sees_its_owners_deferred_closures():
    source = go_file(
        "func f(d time.Duration) {\n\tvar t *time.Ticker\n"
        "\tdefer func() {\n\t\tif t != nil {\n\t\t\tt.Stop()\n\t\t}\n\t}()\n"
        "\tstart := func() {\n\t\tt = time.NewTicker(d)\n\t}\n"
        "\tlocal := func() {\n\t\tt := time.NewTicker(d)\n\t\t_ = t\n\t}\n"
        "\tstart()\n\tlocal()\n}\n"
    )
    start = node_at(source, "func() {\n\t\tt = time", "func_literal")
    local = node_at(source, "func() {\n\t\tt :=", "func_literal")
    assigned = node_at(source, "t = time.NewTicker(d)", "assignment_statement")
    declared = node_at(source, "t := time.NewTicker(d)", "short_var_declaration")
    assert semantic.used_by_earlier_deferred_closure(source, start, "t", assigned)
    assert not semantic.used_by_earlier_deferred_closure(source, local, "t", declared)
