"""lifetime: commands versus servers, and code that runs once per process."""

from __future__ import annotations

import dataclasses

import pytest

from linter import semantic
from tests.snippets import go_file, node_at, package_of


@pytest.fixture
def module(tmp_path):
    (tmp_path / "go.mod").write_text("module example.com/m\n\ngo 1.22\n")
    return tmp_path


@pytest.mark.parametrize(
    ("directory", "import_path", "command"),
    [
        ("internal/store", "example.com/m/internal/store", False),
        ("cmd/tool/internal/flags", "example.com/m/cmd/tool/internal/flags", True),
        ("vendor/golang.org/x/net/http2", "golang.org/x/net/http2", False),
    ],
)
def test_import_path_and_command_packages(module, directory, import_path, command):
    (module / directory).mkdir(parents=True)
    package = dataclasses.replace(package_of("func f() {}\n"), directory=module / directory)
    assert semantic.package_import_path(package) == import_path
    assert semantic.is_command_package(package) is command


def test_package_main_is_a_command_and_no_go_mod_means_no_import_path(tmp_path):
    package = dataclasses.replace(package_of("func f() {}\n"), directory=tmp_path)
    assert semantic.package_import_path(package) is None
    assert not semantic.is_command_package(package)
    assert semantic.is_command_package(dataclasses.replace(package, name="main"))


def test_serves_requests_per_request_and_per_connection():
    source = go_file(
        'import (\n\t"net"\n\t"net/http"\n)\n\n'
        "func handle(w http.ResponseWriter, r *http.Request) {\n\tgo func() { a() }()\n}\n"
        "func serve(l net.Listener) {\n\tfor {\n\t\tc, _ := l.Accept()\n\t\tb(c)\n\t}\n}\n"
        "func batch(ctx context.Context) {\n\tfor {\n\t\tidle()\n\t}\n}\n"
    )
    reasons = [
        semantic.serves_requests(source, node_at(source, call, "call_expression"))
        for call in ("a()", "b(c)", "idle()")
    ]
    assert reasons == [semantic.Recurrence.PER_REQUEST, semantic.Recurrence.PER_CONNECTION, None]
    assert [r.words for r in reasons if r] == ["per request", "per connection"]


@pytest.mark.parametrize(
    ("body", "hijacks"),
    [
        ("\tconn, _, _ := w.(http.Hijacker).Hijack()\n\t_ = conn", True),
        ("\tc, _ := upgrader.Upgrade(w, r, nil)\n\t_ = c", True),
        ("\tc, _ := websocket.Accept(w, r, nil)\n\t_ = c", True),
        ("\tc, _ := l.Accept()\n\t_ = c", False),  # not given the request
        ("\tserve(w, r)", False),
    ],
)
def test_hijacks_connection(body, hijacks):
    source = go_file(
        f'import "net/http"\n\nfunc h(w http.ResponseWriter, r *http.Request) {{\n{body}\n}}\n'
    )
    function = node_at(source, "func h", "function_declaration")
    assert semantic.hijacks_connection(source, function) is hijacks


RUNS_ONCE = """
func init() { setup() }

func main() { start(); Relay(); for { loop() } }

func Relay() {}

func start() { helper() }

func helper() {}

func loop() {}

func Exported() {}

func twice() {}

func handler() { twice() }
"""


@pytest.mark.parametrize(
    ("name", "once"),
    [
        ("init", True),
        ("main", True),
        ("start", True),  # called once from main, outside a loop
        ("helper", True),  # through start
        ("loop", False),  # called in a loop
        ("Exported", False),  # no caller here
        ("Relay", True),  # exported, but nothing can import package main
        ("twice", False),  # its caller is not run once
        ("setup", True),  # called from init
        ("orphan", False),  # no caller here: called from assembly, or unknown
    ],
)
def test_runs_once_per_process(name, once):
    package = package_of(RUNS_ONCE + "\nfunc setup() {}\n\nfunc orphan() {}\n", name="main")
    source = package.files[0]
    function = node_at(source, f"func {name}(", "function_declaration", 0)
    assert semantic.runs_once_per_process(package, source, function) is once


ONCE = """
import "sync"

var (
	clockOnce sync.Once
	flag      bool
)

type cache struct{ once sync.Once }

func Now() { clockOnce.Do(startClock) }

func startClock() {}

func (c *cache) Get() { c.once.Do(fill) }

func fill() {}

func Lookup() {
	var clockOnce sync.Once
	clockOnce.Do(shadowed)
}

func shadowed() {}

func Mixed() { clockOnce.Do(both); both() }

func both() {}
"""


@pytest.mark.parametrize(
    ("name", "once"),
    [
        ("startClock", True),  # only run through a package-level sync.Once
        ("fill", False),  # a Once per cache value: once per value, not per process
        ("shadowed", False),  # a local Once named like the package's
        ("both", False),  # also called directly from an exported function
    ],
)
def test_a_function_run_by_a_package_level_once_runs_once_per_process(name, once):
    package = package_of(ONCE, name="x")
    source = package.files[0]
    function = node_at(source, f"func {name}(", "function_declaration")
    assert semantic.runs_once_per_process(package, source, function) is once


def test_an_exported_function_outside_package_main_may_have_callers_elsewhere():
    package = package_of(RUNS_ONCE, name="x")
    source = package.files[0]
    function = node_at(source, "func Relay(", "function_declaration")
    assert not semantic.runs_once_per_process(package, source, function)


@pytest.mark.parametrize(
    ("package_name", "code", "is_main"),
    [
        ("main", "func main() {}", True),
        ("server", "func main() {}", False),  # a library's main is only a name
        ("main", "func run() {}", False),
        ("main", "func (s *S) main() {}", False),  # a method is never the entry point
    ],
)
def test_is_main_function_is_only_the_program_entry(package_name, code, is_main):
    package = package_of(code + "\n", name=package_name)
    source = package.files[0]
    function = source.root.named_children[-1]
    assert semantic.is_main_function(package, source, function) is is_main


@pytest.mark.parametrize(
    ("code", "is_init"),
    [
        ("func init() {}", True),
        ("func (s *S) init() {}", False),  # a method runs once per value, not per process
        ("func initialize() {}", False),
    ],
)
def test_is_init_function_is_only_the_package_initializer(code, is_init):
    source = go_file(code + "\n")
    function = source.root.named_children[-1]
    assert semantic.is_init_function(source, function) is is_init


PACKAGE_ONCE = """
import "sync"

var setupOnce sync.Once

func setup() {}

func Get() { setupOnce.Do(setup) }

func perObject() {}

type T struct{ once sync.Once }

func (t *T) Get() {
	var once sync.Once
	once.Do(perObject)
}
"""


def test_a_function_run_by_a_package_level_once_runs_once():
    package = package_of(PACKAGE_ONCE, name="x")
    source = package.files[0]
    setup = node_at(source, "func setup(", "function_declaration")
    per_object = node_at(source, "func perObject(", "function_declaration")
    assert semantic.runs_once_per_process(package, source, setup)
    assert semantic.run_by_package_once(package, source, setup)
    assert not semantic.runs_once_per_process(package, source, per_object)  # a local Once
    assert not semantic.run_by_package_once(package, source, per_object)


@pytest.mark.parametrize(
    ("package_name", "code", "is_entry"),
    [
        ("main", "func main() {}", True),
        ("server", "func init() {}", True),
        ("main", "func init() {}", True),
        ("server", "func main() {}", False),  # only package main's main starts a process
        ("server", "func (s *S) init() {}", False),  # runs once per value
        ("main", "func (s *S) main() {}", False),
    ],
)
def test_process_entries_are_main_main_and_func_init(package_name, code, is_entry):
    package = package_of(code + "\n", name=package_name)
    source = package.files[0]
    function = source.root.named_children[-1]
    assert semantic.is_process_entry(package, source, function) is is_entry
