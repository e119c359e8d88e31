"""maps: package-level maps, the writes that add entries, and fields some code resets."""

from __future__ import annotations

from linter import semantic
from tests.snippets import node_at, package_of

SOURCE = """
import "sync"

type Table map[string]int

var (
	sessions = map[string]int{}
	cache    sync.Map
	registry = &struct{ byName map[string]int; count int }{}
	table    Table
	names    []string
)

func serve(k string) {
	sessions[k] = 1
	sessions[k]++
	registry.byName[k] = 2
	if _, ok := cache.Load(k); !ok {
		cache.Store(k, 3)
	}
	cache.Store("other", 4)
	local := map[string]int{}
	local[k] = 5
}

func reset() {
	registry.byName = nil
}
"""


def test_package_maps_are_maps_sync_maps_and_map_fields_of_global_structs():
    package = package_of(SOURCE)
    found = [(m.label, m.is_sync) for m in semantic.package_maps(package)]
    assert found == [
        ("sessions", False),
        ("cache", True),
        ("registry.byName", False),
        ("table", False),
    ]


def test_map_writes_know_their_target_and_key():
    source = package_of(SOURCE).files[0]
    writes = [
        (source.text(w.target), source.text(w.key), semantic.written_global(source, w.target))
        for w in semantic.map_writes(source, stores=False)
    ]
    assert writes == [
        ("sessions", "k", ("sessions", None)),
        ("sessions", "k", ("sessions", None)),
        ("registry.byName", "k", ("registry", "byName")),
        ("local", "k", None),  # a local map: no package-level name
    ]


def test_a_store_after_a_load_of_the_same_key_fills_a_cache_miss():
    source = package_of(SOURCE).files[0]
    stores = list(semantic.map_writes(source, stores=True))
    assert [semantic.fills_cache_miss(source, w) for w in stores] == [True, False]


def test_fields_reset_anywhere_after_start_up():
    package = package_of(SOURCE)
    startup = semantic.StartupAnalysis(package)
    assert semantic.fields_reset_anywhere(package, startup) == {"byName"}


def test_a_shadowed_global_is_not_the_written_one():
    source = package_of(
        'var m = map[string]int{}\n\nfunc f() {\n\tm := map[string]int{}\n\tm["k"] = 1\n}\n'
    ).files[0]
    write = next(semantic.map_writes(source, stores=False))
    assert semantic.written_global(source, write.target) is None
    assert node_at(source, 'm["k"] = 1', "assignment_statement").id == write.node.id
