"""The default rule set: which rules run without --enable, and where they report.

The set is a product decision measured on held-out real projects (docs/precision-audit.md):
rules below 90 % precision there are opt-in, and GLK102, GLK201 and GLK502, whose findings in
test code were mostly (GLK201: all) false, report only outside `_test.go` files. A change to
either list must be deliberate, so both are spelled out here.
"""

from __future__ import annotations

import json
from pathlib import Path

from linter.registry import all_rules
from tests.conftest import run_cli, write

# GLK204 is new and had no finding on the corpora yet: opt-in until it is measured.
OPT_IN = {"GLK101", "GLK202", "GLK203", "GLK204", "GLK301", "GLK302", "GLK401", "GLK501"}
PRODUCTION_ONLY = {"GLK102", "GLK201", "GLK502"}
# GLK301 and GLK302 never count a test's writes as runtime growth (their own rule, not a
# scope setting): a test process is short-lived.
NO_GROWTH_IN_TESTS = {"GLK301", "GLK302"}

# One leak per static rule, the body of package glkNNN (each is found by its rule alone).
LEAKS = {
    "GLK101": """import "time"

func Wait() {
	t := time.NewTicker(time.Second)
	<-t.C
}
""",
    "GLK102": """import "time"

func Poll(ch chan int) {
	for {
		select {
		case <-ch:
		case <-time.After(time.Second):
		}
	}
}
""",
    "GLK201": """func Collect(logf func(string), lines []string) {
	logs := make(chan string)
	go func() {
		for l := range logs {
			logf(l)
		}
	}()
	for _, l := range lines {
		logs <- l
	}
}
""",
    "GLK202": """func First(urls []string, fetch func(string) string) string {
	results := make(chan string)
	for _, u := range urls {
		go func(u string) {
			results <- fetch(u)
		}(u)
	}
	return <-results
}
""",
    "GLK203": """import "time"

func Watch(refresh func()) {
	go func() {
		for {
			refresh()
			time.Sleep(time.Second)
		}
	}()
}
""",
    "GLK204": """type audit struct{ entries chan string }

func newAudit() *audit { return &audit{entries: make(chan string)} }

func (a *audit) Record(e string) {
	a.entries <- e
}
""",
    "GLK301": """import "net/http"

var hits = map[string]int{}

func count(w http.ResponseWriter, r *http.Request) {
	hits[r.URL.Path]++
}
""",
    "GLK302": """import "net/http"

var visited []string

func visit(w http.ResponseWriter, r *http.Request) {
	visited = append(visited, r.URL.Path)
}
""",
    "GLK401": """import "context"

func Handle(ctx context.Context, query func(context.Context) error) error {
	return query(context.Background())
}
""",
    "GLK402": """import "context"

func Leak(parent context.Context) {
	ctx, _ := context.WithCancel(parent)
	<-ctx.Done()
}
""",
    "GLK501": """import "os"

func Size(path string) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	st, err := f.Stat()
	if err != nil {
		return 0, err
	}
	return st.Size(), nil
}
""",
    "GLK502": """import "os"

func Sizes(paths []string) (int64, error) {
	var total int64
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return 0, err
		}
		defer f.Close()
		st, err := f.Stat()
		if err != nil {
			return 0, err
		}
		total += st.Size()
	}
	return total, nil
}
""",
}


STATIC = sorted(LEAKS)


def leak_tree(root: Path) -> Path:
    """A module with one package per rule: its leak in leak.go and again in an external test."""
    write(root / "go.mod", "module example.com/tree\n\ngo 1.22\n")
    for code, source in LEAKS.items():
        package = code.lower()
        write(root / package / "leak.go", f"package {package}\n\n{source}")
        write(root / package / "leak_test.go", f"package {package}_test\n\n{source}")
    return root


def found(root: Path, *args: str) -> list[tuple[str, str]]:
    proc = run_cli("--no-cache", "--format", "json", *args, "./...", cwd=root)
    assert proc.returncode == 1, proc.stderr
    return [(f["location"]["path"], f["rule"]) for f in json.loads(proc.stdout)["findings"]]


def expected(codes: list[str]) -> list[tuple[str, str]]:
    """Each rule's finding in leak.go, and in leak_test.go unless tests are out of its scope."""
    pairs = [(f"{code.lower()}/leak.go", code) for code in codes]
    pairs += [
        (f"{code.lower()}/leak_test.go", code)
        for code in codes
        if code not in PRODUCTION_ONLY | NO_GROWTH_IN_TESTS
    ]
    return sorted(pairs)


def test_the_registry_and_list_rules_mark_exactly_the_opt_in_rules():
    rules = all_rules()
    assert {rule.code for rule in rules if not rule.default} == OPT_IN
    assert {rule.code for rule in rules if not rule.test_files} == PRODUCTION_ONLY
    listing = run_cli("--list-rules")
    assert listing.returncode == 0, listing.stderr
    lines = {line.split()[0]: line for line in listing.stdout.splitlines()}
    assert {code for code, line in lines.items() if "(opt-in: --enable default," in line} == OPT_IN
    assert {code for code, line in lines.items() if "not in _test.go files" in line} == (
        PRODUCTION_ONLY
    )


def test_a_plain_run_reports_only_the_default_rules(tmp_path):
    assert sorted(found(leak_tree(tmp_path))) == expected([c for c in STATIC if c not in OPT_IN])


def test_enable_all_reports_every_rule(tmp_path):
    tree = leak_tree(tmp_path)
    assert sorted(found(tree, "--enable", "all")) == expected(STATIC)
    # The opt-in rules one by one, added to the default set.
    for code in sorted(OPT_IN):
        rules = {rule for _, rule in found(tree, "--enable", f"default,{code}")}
        assert rules == {c for c in STATIC if c not in OPT_IN} | {code}, code
