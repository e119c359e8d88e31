"""Formats for CI: GitHub workflow annotations, Checkstyle XML, GitLab code quality, and
several reports from one run."""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from linter.report.github import command
from tests.conftest import EARLY_RETURN, LEAKY, POLL, git_repository, run_cli, write

LEVELS = '[rules.GLK402]\nlevel = "error"\n[rules.GLK102]\nlevel = "note"\n'


@pytest.fixture
def service(tmp_path: Path) -> Path:
    """A git repository whose module is in svc/: two errors (GLK402) and a note (GLK102)."""
    write(tmp_path / "svc" / "go.mod", "module example.com/svc\n\ngo 1.22\n")
    write(tmp_path / "svc" / "leaky" / "leak.go", LEAKY)
    write(tmp_path / "svc" / "early" / "early.go", EARLY_RETURN.replace("leaky", "early"))
    write(tmp_path / "svc" / "poll" / "poll.go", POLL)
    write(tmp_path / "svc" / ".golint-leaks.toml", LEVELS)
    git_repository(tmp_path)
    return tmp_path / "svc"


def json_findings(service: Path) -> list[dict]:
    return json.loads(run_cli("--format", "json", "./...", cwd=service).stdout)["findings"]


def unescape(text: str) -> str:
    return re.sub(r"%(25|0D|0A|3A|2C)", lambda m: chr(int(m.group(1), 16)), text)


def parse_annotation(line: str) -> tuple[str, dict[str, str], str]:
    match = re.fullmatch(r"::(\w+) ([^:]*)::(.*)", line)
    assert match, line
    properties = dict(item.split("=", 1) for item in match.group(2).split(","))
    return match.group(1), {k: unescape(v) for k, v in properties.items()}, unescape(match.group(3))


def test_github_annotations_per_finding_with_levels_and_repository_paths(service):
    proc = run_cli("--format", "github", "./...", cwd=service)
    assert proc.returncode == 1, proc.stderr
    findings = json_findings(service)
    annotations = [parse_annotation(line) for line in proc.stdout.splitlines()]
    assert len(annotations) == len(findings) == 3
    by_file = {props["file"]: (name, props, message) for name, props, message in annotations}
    name, props, message = by_file["svc/early/early.go"]
    assert (name, props["title"]) == ("error", "GLK402 lost-cancel")
    assert (props["line"], props["endLine"], props["col"]) == ("6", "6", "17")
    # The related location travels on its own line of the message (an escaped newline).
    assert message.splitlines()[1].startswith("svc/early/early.go:8:3: ")
    assert by_file["svc/poll/poll.go"][0] == "notice"
    assert by_file["svc/leaky/leak.go"][0] == "error"
    early = next(f for f in findings if f["location"]["path"] == "early/early.go")
    assert message.splitlines()[0] == early["message"]


def test_workflow_command_values_are_escaped():
    line = command("warning", "50% done\r\nnext: a, b", {"file": "a,b:c.go", "title": "x%"})
    assert line == "::warning file=a%2Cb%3Ac.go,title=x%25::50%25 done%0D%0Anext: a, b"


def test_checkstyle_is_xml_with_absolute_file_names(service):
    proc = run_cli("--format", "checkstyle", "./...", cwd=service)
    assert proc.returncode == 1, proc.stderr
    root = ET.fromstring(proc.stdout)
    assert root.tag == "checkstyle"
    files = {element.get("name"): element for element in root.findall("file")}
    early = os.path.realpath(service / "early" / "early.go")
    assert set(files) == {
        early,
        os.path.realpath(service / "leaky" / "leak.go"),
        os.path.realpath(service / "poll" / "poll.go"),
    }
    [error] = files[early].findall("error")
    assert error.attrib["line"] == "6"
    assert error.attrib["column"] == "17"
    assert error.attrib["severity"] == "error"
    assert error.attrib["source"] == "golint-leaks.GLK402"
    assert error.attrib["message"].splitlines()[1].startswith(f"{early}:8:3: ")
    poll = os.path.realpath(service / "poll" / "poll.go")
    assert files[poll].find("error").attrib["severity"] == "info"


def test_gitlab_code_quality(service):
    proc = run_cli("--format", "gitlab", "./...", cwd=service)
    assert proc.returncode == 1, proc.stderr
    issues = json.loads(proc.stdout)
    findings = json_findings(service)
    assert [issue["fingerprint"] for issue in issues] == [f["fingerprint"] for f in findings]
    assert len({issue["fingerprint"] for issue in issues}) == 3
    by_path = {issue["location"]["path"]: issue for issue in issues}
    early = by_path["svc/early/early.go"]
    assert early["check_name"] == "GLK402 lost-cancel"
    assert early["severity"] == "critical"
    assert early["location"]["lines"]["begin"] == 6
    assert early["description"].startswith("GLK402: cancel is not called on every path")
    assert by_path["svc/leaky/leak.go"]["severity"] == "critical"
    assert by_path["svc/poll/poll.go"]["severity"] == "info"


def test_one_run_writes_several_reports(service, tmp_path, sarif_schema):
    import jsonschema

    sarif_path = tmp_path / "out" / "leaks.sarif"
    sarif_path.parent.mkdir()
    gitlab_path = tmp_path / "gl-code-quality.json"
    proc = run_cli(
        "--report", f"sarif:{sarif_path}", "--report", f"gitlab:{gitlab_path}", "./...",
        cwd=service,
    )  # fmt: skip
    assert proc.returncode == 1, proc.stderr
    # The text report stays on stdout; the others are files; the analysis ran once.
    assert proc.stdout.count(" GLK402 ") + proc.stdout.count(" GLK102 ") == 3
    assert proc.stderr.count("golint-leaks: 3 findings") == 1
    sarif = json.loads(sarif_path.read_text())
    jsonschema.validate(sarif, sarif_schema)
    assert len(sarif["runs"][0]["results"]) == 3
    assert len(json.loads(gitlab_path.read_text())) == 3
    # A --report to stdout replaces the default text report.
    annotations = run_cli("--report", "github", "--report", f"json:{tmp_path / 'a.json'}",
                          "./...", cwd=service)  # fmt: skip
    assert annotations.stdout.startswith("::")
    assert json.loads((tmp_path / "a.json").read_text())["summary"]["findings"] == 3


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (("--format", "text", "--report", "github"), "two reports would go to stdout"),
        (("--report", "sarif:x.sarif", "-o", "x.sarif"), "two reports would go to x.sarif"),
        (("--report", "yaml:x.yaml"), "--report yaml:x.yaml: unknown format 'yaml'"),
    ],
)
def test_report_option_mistakes_are_usage_errors(service, args, error):
    proc = run_cli(*args, "./...", cwd=service)
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1
    assert error in proc.stderr
    assert not (service / "x.sarif").exists()
