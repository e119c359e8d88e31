"""Findings are plain data; `linter.reporting` is where they meet the syntax tree, and the one
place every fingerprint (a rule's, the engine's, the runtime pass's) is made."""

from __future__ import annotations

import subprocess
import sys

from linter.reporting import fingerprint, related, report
from tests.snippets import go_file, node_at

SOURCE = """
import "time"

func (s *Server) Run() {
	t := time.NewTicker(time.Second)
	go func() {
		<-t.C
	}()
}
"""


def test_reporters_and_the_cache_load_neither_the_parser_nor_the_semantic_layer():
    modules = ("linter.findings", "linter.cache", "linter.report.text", "linter.report.json")
    probe = (
        f"import sys, {', '.join((*modules, 'linter.report.sarif'))}; "
        "print(sorted(m for m in sys.modules if m.startswith(('tree_sitter', 'linter.semantic'))))"
    )
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


def test_fingerprint_is_32_hex_digits_and_keeps_its_parts_apart():
    print_ = fingerprint("GLK101", "a.go", "run")
    assert len(print_) == 32 and int(print_, 16) >= 0
    assert print_ == fingerprint("GLK101", "a.go", "run")
    assert fingerprint("ab", "c") != fingerprint("a", "bc")


def test_report_scopes_a_finding_to_its_function_and_a_go_statement_to_itself():
    source = go_file(SOURCE)
    call = node_at(source, "time.NewTicker(time.Second)", "call_expression")
    statement = node_at(source, "go func()", "go_statement")
    at_call = report(source, call, "ticker leaks")
    assert (at_call.location.line, at_call.location.column) == (7, 7)
    assert at_call.scope is not None and (at_call.scope.line, at_call.scope.end_line) == (6, 11)
    at_go = report(source, statement, "goroutine leaks")
    assert at_go.scope is not None and (at_go.scope.line, at_go.scope.end_line) == (8, 10)


def test_report_fingerprint_ignores_lines_but_not_the_method_or_the_code():
    source = go_file(SOURCE)
    moved = go_file(SOURCE.replace('import "time"\n', 'import "time"\n\n// moved down\n'))
    renamed = go_file(SOURCE.replace("Run()", "Start()"))

    def seed(file):
        call = node_at(file, "time.NewTicker(time.Second)", "call_expression")
        return report(file, call, "ticker leaks").fingerprint

    assert seed(source) == seed(moved)
    assert seed(source) != seed(renamed)


def test_related_points_at_its_node():
    source = go_file(SOURCE)
    receive = node_at(source, "<-t.C", "unary_expression")
    where = related(source, receive, "blocks here")
    assert (where.location.line, where.location.column, where.message) == (9, 3, "blocks here")
