"""The `// want` harness itself: it must fail on a missed or unexpected finding, and on a
missed or unexpected related location once a finding's related locations are annotated."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.analysistest import Annotation, annotations_in, check_fixtures

POLL = """package poll

import "time"

func poll(done, quit chan bool) error {
	t := time.NewTicker(time.Second) // want GLK101 "not stopped on every path"
	select {
	case <-done:
		return nil // FIRST
	case <-quit:
		return nil // SECOND
	case <-t.C:
	}
	t.Stop()
	return nil
}
"""


def fixture(tmp_path: Path, first: str = "", second: str = "", source: str = POLL) -> Path:
    text = source.replace("// FIRST", first).replace("// SECOND", second)
    (tmp_path / "poll").mkdir()
    (tmp_path / "poll" / "poll.go").write_text(text)
    return tmp_path


def test_every_related_location_annotated_passes(tmp_path):
    leaves = "// related GLK101 \"this return leaves 't' running\""
    check_fixtures(fixture(tmp_path, leaves, leaves), ("GLK101",))


def test_related_locations_are_not_asserted_until_one_is_annotated(tmp_path):
    check_fixtures(fixture(tmp_path), ("GLK101",))


def test_an_unannotated_related_location_of_an_annotated_finding_fails(tmp_path):
    directory = fixture(tmp_path, first='// related GLK101 "leaves"')
    with pytest.raises(AssertionError, match=r"unexpected: .*poll.go:11: related"):
        check_fixtures(directory, ("GLK101",))


def test_a_related_annotation_no_finding_meets_fails(tmp_path):
    directory = fixture(tmp_path, '// related GLK101 "leaves"', '// related GLK101 "leaves"')
    moved = directory / "poll" / "poll.go"
    moved.write_text(moved.read_text().replace("t.Stop()", 't.Stop() // related GLK101 "leaves"'))
    with pytest.raises(AssertionError, match=r"missed: .*poll.go:14: related GLK101"):
        check_fixtures(directory, ("GLK101",))


def test_a_related_message_the_regexp_does_not_match_fails(tmp_path):
    directory = fixture(tmp_path, '// related GLK101 "leaves"', '// related GLK101 "stops"')
    with pytest.raises(AssertionError, match=r"missed: .*poll.go:11: related GLK101 'stops'"):
        check_fixtures(directory, ("GLK101",))


def test_a_want_whose_message_differs_fails(tmp_path):
    directory = fixture(tmp_path, source=POLL.replace("t.Stop()\n", ""))
    with pytest.raises(AssertionError, match=r"message: .*not stopped on every path"):
        check_fixtures(directory, ("GLK101",))


def test_a_missed_want_fails(tmp_path):
    directory = fixture(tmp_path, second="// want GLK101")
    with pytest.raises(AssertionError, match=r"missed: .*poll.go:11: want GLK101"):
        check_fixtures(directory, ("GLK101",))


def test_want_and_related_on_one_line_are_read_apart(tmp_path):
    path = tmp_path / "a.go"
    path.write_text(
        'package a\n\nfunc f() { // want GLK502 "in a loop" GLK101 // related GLK502 "next //"\n}\n'
    )
    found = annotations_in(path)
    where = str(path)
    assert found["want"] == [
        Annotation(where, 3, "GLK502", "in a loop"),
        Annotation(where, 3, "GLK101", None),
    ]
    assert found["related"] == [Annotation(where, 3, "GLK502", "next //")]
