"""Mapping frames onto the tree, reading parked lines, and confirming findings."""

from __future__ import annotations

import os
from pathlib import Path

from linter.engine import finish
from linter.findings import Finding, Location
from linter.goroutines.evidence import evidence
from linter.goroutines.group import Frame, Group, Signature
from linter.goroutines.locate import TreeIndex
from linter.goroutines.located import Located, Place
from linter.goroutines.match import blocked_findings, match
from linter.goroutines.sources import SourceLines
from linter.goroutines.tree import ScannedTree
from linter.registry import Evidence, find_rule


def tree(root: Path, files: dict[str, str]) -> list[Path]:
    paths = []
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        if name.endswith(".go"):
            paths.append(path)
    return paths


def test_frames_map_by_module_path_suffix_and_exact_path(tmp_path):
    files = tree(
        tmp_path,
        {
            "go.mod": "module github.com/acme/svc\n\ngo 1.22\n",
            "pkg/x.go": "package pkg\n",
            "internal/http/server.go": "package http\n",
            "cmd/a/main.go": "package main\n",
            "cmd/b/main.go": "package main\n",
            "tools/gen.go": "package main\n",
        },
    )
    index = TreeIndex(files)
    x = os.path.realpath(tmp_path / "pkg" / "x.go")
    # module path: the function names the package, wherever the build machine kept it
    assert index.resolve(Frame("github.com/acme/svc/pkg.(*T).run", "/root/build/x.go", 3)) == x
    # -trimpath builds print module-relative paths
    assert index.resolve(Frame("github.com/acme/svc/pkg.F", "github.com/acme/svc/pkg/x.go", 1)) == x
    # longest suffix, for a fork under another module path
    assert index.resolve(Frame("github.com/fork/svc/pkg.F", "/go/src/fork/svc/pkg/x.go", 1)) == x
    # exact path on this machine
    assert index.resolve(Frame("whatever.F", str(tmp_path / "pkg" / "x.go"), 1)) == x
    # Go's own net/http/server.go is not our internal/http/server.go
    assert (
        index.resolve(Frame("net/http.(*conn).serve", "/usr/go/src/net/http/server.go", 9)) is None
    )
    # package main: suffix decides; two cmd/*/main.go only by a longer suffix
    a = os.path.realpath(tmp_path / "cmd" / "a" / "main.go")
    assert index.resolve(Frame("main.main", "/ci/svc/cmd/a/main.go", 1)) == a
    assert index.resolve(Frame("main.main", "/tmp/main.go", 1)) is None
    assert index.resolve(Frame("main.gen", "/elsewhere/gen.go", 1)) == os.path.realpath(
        tmp_path / "tools" / "gen.go"
    )
    assert index.resolve(Frame("github.com/acme/svc/pkg.F", "", 0)) is None


def test_files_without_go_mod_map_by_suffix_and_directory_name(tmp_path):
    files = tree(tmp_path, {"src/worker/pool.go": "package worker\n"})
    index = TreeIndex(files)
    pool = os.path.realpath(files[0])
    assert index.resolve(Frame("acme/worker.run", "/build/src/worker/pool.go", 1)) == pool
    assert index.resolve(Frame("acme/other.run", "/build/src/worker/pool.go", 1)) is None


def test_state_read_from_the_parked_line(tmp_path):
    tree(
        tmp_path,
        {
            "a.go": "\n".join(
                [
                    "package a",
                    "\tresults <- v // send",
                    "\tv := <-results",
                    "\tselect {",
                    "\tfor job := range jobs {",
                    "\treturn <-done",
                    "\tcase out <- v:",
                    "\tcase v, ok := <-in:",
                    "\tx := compute() // <- not code",
                    "\tdone := make(chan struct{}) // 🙂",
                ]
            )
        },
    )
    path = str(tmp_path / "a.go")
    lines = SourceLines()
    assert [lines.state_at(path, n) for n in range(2, 10)] == [
        "chan send",
        "chan receive",
        "select",
        "chan receive",
        "chan receive",
        "chan send",
        "chan receive",
        "",
    ]
    assert lines.span(path, 2) == (2, 22)
    assert lines.span(path, 10) == (2, 35)  # 32 characters; the emoji counts two UTF-16 units
    assert not lines.exists(path, 11)


def located(path: str, line: int, count: int = 40, creator_line: int | None = None) -> Located:
    frame = Frame("example.com/x/pkg.Run.func1", "/build/pkg/run.go", line)
    creator = Frame("example.com/x/pkg.Run", "/build/pkg/run.go", creator_line or 1)
    group = Group(Signature("chan send", (frame,), creator), "traceback")
    group.observe(count, 14, 21, False)
    place = Place(frame, "/real/" + path, path)
    creator_place = Place(creator, "/real/" + path, path) if creator_line else None
    return Located("d.txt", "traceback", group, (place,), creator_place)


def finding(rule: str, line: int, scope: tuple[int, int] | None, end_line: int | None = None):
    return Finding(
        message=f"{rule} message",
        location=Location("pkg/run.go", line, 2, end_line or line, 20),
        rule=rule,
        scope=Location("pkg/run.go", scope[0], 1, scope[1], 2) if scope else None,
    )


def test_innermost_scope_and_go_statement_confirm():
    findings = [
        finding("GLK401", 10, (9, 40)),  # somewhere in the enclosing function
        finding("GLK202", 21, (20, 22)),  # the send in the goroutine literal
        finding("GLK203", 20, (20, 22), end_line=22),  # the go statement itself
        finding("GLK301", 3, None),  # package level: nothing parks there
    ]
    confirmed, unexplained = match(findings, [located("pkg/run.go", 21, creator_line=20)])
    assert sorted(confirmed) == [1, 2]
    assert unexplained == []


def test_created_by_alone_confirms_a_go_statement_of_a_method():
    findings = [finding("GLK203", 55, (55, 55))]
    group = located("pkg/run.go", 80, creator_line=55)  # parked in the method, elsewhere
    confirmed, unexplained = match(findings, [group])
    assert list(confirmed) == [0] and unexplained == []


def test_unexplained_groups_become_runtime_findings(tmp_path):
    path = tmp_path / "pkg" / "run.go"
    path.parent.mkdir()
    path.write_text(
        "package pkg\n\nfunc f() {\n\tch <- 1\n\tch <- 2 //golint-leaks:ignore GLK900 known\n}\n"
    )
    scanned = ScannedTree([path], str(tmp_path))
    parked, ignored = located("pkg/run.go", 4), located("pkg/run.go", 5)
    parked, ignored = (
        Located(x.dump, x.dump_format, x.group, (scanned.place(x.group.frames[0]),), None)
        for x in (parked, ignored)
    )
    rule = find_rule("GLK900")

    def runtime_findings(unexplained: list[Located]) -> list[Finding]:
        raw = blocked_findings(unexplained, scanned.sources)
        return finish(rule, raw, {}, scanned)

    (result,) = runtime_findings([parked, ignored])
    assert result.rule == "GLK900"
    assert result.level == "note"  # a count alone: maybe an idle worker pool
    assert (result.location.line, result.location.column, result.location.end_column) == (4, 2, 9)
    assert result.message == (
        "40 goroutines blocked in chan send in pkg.Run.func1, started by pkg.Run; pass an "
        "earlier dump as --dump-baseline to see whether they grow"
    )
    assert result.evidence["confirmed"] is False
    assert result.evidence["summary"] == (
        "runtime: 40 goroutines [chan send, 14 minutes]; e.g. goroutine 21 in d.txt"
    )
    assert len(result.fingerprint) == 32
    parked.group.leaked = 40
    (proved,) = runtime_findings([parked])
    assert proved.level == "warning"
    assert proved.message.endswith("started by pkg.Run; the runtime proved them leaked")
    assert proved.fingerprint == result.fingerprint  # the same place, the same stack


def test_evidence_summary_counts_the_largest_dump_not_the_sum():
    first, second = located("pkg/run.go", 21, count=800), located("pkg/run.go", 21, count=900)
    second = Located("e.txt", "traceback", second.group, second.places, None)
    data = evidence([first, second], confirmed=True)
    assert data["summary"] == (
        "confirmed: 900 goroutines [chan send, 14 minutes] (largest of 2 dumps: e.txt)"
    )
    assert data["goroutines"] == 900
    assert [g["dump"] for g in data["groups"]] == ["e.txt", "d.txt"]
    frame = data["stack"][0]
    assert frame == {
        "function": "example.com/x/pkg.Run.func1",
        "module": "example.com/x/pkg",
        "path": "pkg/run.go",
        "line": 21,
        "dump_path": "/build/pkg/run.go",
    }


def test_findings_that_cannot_be_confirmed_are_skipped():
    # the dump pass passes None for rules not about goroutines or timers (a missing Close nearby)
    findings = [None, finding("GLK101", 12, (9, 40))]
    confirmed, _ = match(findings, [located("pkg/run.go", 21)])
    assert list(confirmed) == [1]
    confirmed, unexplained = match([None], [located("pkg/run.go", 21)])
    assert confirmed == {} and len(unexplained) == 1


def test_confirmable_rules_are_chosen_by_tag():
    for code in ("GLK101", "GLK201", "GLK202", "GLK203"):
        rule = find_rule(code)
        if rule is not None:
            assert Evidence.GOROUTINES in rule.confirmable_by, code
    for code in ("GLK301", "GLK501", "GLK900"):
        rule = find_rule(code)
        if rule is not None:
            assert Evidence.GOROUTINES not in rule.confirmable_by, code


def test_foreign_frames_map_by_file_name_and_the_function_it_defines(tmp_path):
    files = tree(
        tmp_path,
        {
            "go.mod": "module example.com/svc\n\ngo 1.22\n",
            "api/handler.go": "package api\n\nfunc Lookup() {\n\tgo func() {}()\n}\n",
            "api/server.go": "package api\n\ntype conn struct{}\n\nfunc (c *conn) serve() {}\n",
            "worker/handler.go": "package worker\n\nfunc Drain() {}\n",
            "a/dup.go": "package a\n\nfunc Twice() {}\n",
            "b/dup.go": "package b\n\nfunc Twice() {}\n",
        },
    )
    index = TreeIndex(files)
    handler = os.path.realpath(tmp_path / "api" / "handler.go")
    # `go test handler.go` on another machine: no module path, no common suffix
    frame = Frame("command-line-arguments.Lookup.func1", "/root/src/x/handler.go", 4)
    assert index.resolve(frame) == handler
    drain = Frame("command-line-arguments.Drain", "/root/src/x/handler.go", 3)
    assert index.resolve(drain) == os.path.realpath(tmp_path / "worker" / "handler.go")
    # a copy of the code under another module and package name, methods too
    method = Frame("github.com/old/name/httpd.(*conn).serve", "/src/old/server.go", 5)
    assert index.resolve(method) == os.path.realpath(tmp_path / "api" / "server.go")
    # two files of that name define it: ambiguous, not guessed
    assert index.resolve(Frame("command-line-arguments.Twice", "/x/dup.go", 3)) is None
    # a function defined nowhere, and the standard library, are never guessed
    assert index.resolve(Frame("command-line-arguments.Gone", "/x/handler.go", 3)) is None
    assert index.resolve(Frame("net/http.(*conn).serve", "/go/src/net/http/server.go", 5)) is None
