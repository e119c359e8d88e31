"""SARIF as GitHub code scanning reads it: uris relative to the repository root wherever the
tool runs from, rule metadata within GitHub's limits, related locations linked from the
message, and fingerprints that depend neither on lines nor on the working directory."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import jsonschema

from linter.findings import Finding, Location, Related
from linter.report.sarif import linked_message
from tests.conftest import EARLY_RETURN, LEAKY, git_repository, run_cli, write

# GitHub code scanning: fullDescription and shortDescription are cut at 1024 characters,
# only 10 tags of a rule are shown.
DESCRIPTION_LIMIT = 1024
TAG_LIMIT = 10


def monorepo(root: Path) -> Path:
    """A repository whose Go module lives in svc/, as in a monorepo; returns svc/."""
    write(root / "README.md", "monorepo\n")
    write(root / "svc" / "go.mod", "module example.com/svc\n\ngo 1.22\n")
    write(root / "svc" / "leaky" / "leak.go", LEAKY)
    write(root / "svc" / "leaky" / "early.go", EARLY_RETURN)
    return root / "svc"


def sarif(cwd: Path, *args: str, env: dict[str, str] | None = None) -> dict:
    proc = run_cli("--format", "sarif", *args, "./...", cwd=cwd, env=env)
    assert proc.returncode == 1, proc.stderr
    return json.loads(proc.stdout)


def srcroot(document: dict) -> str | None:
    """Where %SRCROOT% points, if the run says."""
    return document["runs"][0].get("originalUriBaseIds", {}).get("%SRCROOT%", {}).get("uri")


def as_uri(directory: Path) -> str:
    return Path(os.path.realpath(directory)).as_uri() + "/"


def uris(document: dict) -> list[str]:
    return [
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for result in document["runs"][0]["results"]
    ]


def test_uris_are_relative_to_the_git_top_level_from_a_module_below_it(tmp_path, sarif_schema):
    service = monorepo(tmp_path)
    git_repository(tmp_path)
    document = sarif(service)
    jsonschema.validate(document, sarif_schema)
    assert uris(document) == ["svc/leaky/early.go", "svc/leaky/leak.go"]
    assert srcroot(document) == as_uri(tmp_path)
    location = document["runs"][0]["results"][0]["locations"][0]["physicalLocation"][
        "artifactLocation"
    ]
    assert location["uriBaseId"] == "%SRCROOT%"


def test_without_git_the_outermost_go_mod_is_the_root(tmp_path):
    service = monorepo(tmp_path)
    write(tmp_path / "go.mod", "module example.com/mono\n\ngo 1.22\n")
    outside_git = {"GIT_CEILING_DIRECTORIES": str(tmp_path.parent)}
    document = sarif(service, env=outside_git)
    assert uris(document) == ["svc/leaky/early.go", "svc/leaky/leak.go"]
    assert srcroot(document) == as_uri(tmp_path)


def test_path_prefix_overrides_the_detected_root(tmp_path, sarif_schema):
    service = monorepo(tmp_path)
    git_repository(tmp_path)
    elsewhere = sarif(service, "--path-prefix", "services/api")
    jsonschema.validate(elsewhere, sarif_schema)
    assert uris(elsewhere) == ["services/api/leaky/early.go", "services/api/leaky/leak.go"]
    assert srcroot(elsewhere) is None  # svc/ is not services/api: the root is not on disk
    here = sarif(service, "--path-prefix", "svc/")
    assert uris(here) == ["svc/leaky/early.go", "svc/leaky/leak.go"]
    assert srcroot(here) == as_uri(tmp_path)


def test_rule_metadata_and_linked_related_locations_fit_github(tmp_path, sarif_schema):
    service = monorepo(tmp_path)
    git_repository(tmp_path)
    document = sarif(service, "--enable", "all")
    jsonschema.validate(document, sarif_schema)
    rules = document["runs"][0]["tool"]["driver"]["rules"]
    assert len(rules) >= 12
    for rule in rules:
        full = rule["fullDescription"]["text"]
        assert 0 < len(full) <= DESCRIPTION_LIMIT, rule["id"]
        assert full.endswith("."), (rule["id"], full[-40:])  # whole sentences, not a cut
        assert 0 < len(rule["shortDescription"]["text"]) <= DESCRIPTION_LIMIT
        assert len(rule["properties"]["tags"]) <= TAG_LIMIT
        # The full documentation stays in help, longer than the description.
        assert rule["help"]["markdown"].startswith("## What it does")
        assert len(rule["help"]["markdown"]) > len(full)
    [early] = [r for r in document["runs"][0]["results"] if "early.go" in str(r["locations"])]
    related = early["relatedLocations"]
    assert [item["id"] for item in related] == list(range(1, len(related) + 1))
    for item in related:
        assert f"[{item['message']['text']}]({item['id']})" in early["message"]["text"]
    assert related[0]["physicalLocation"]["region"]["startLine"] == 8
    assert related[0]["physicalLocation"]["artifactLocation"]["uri"] == "svc/leaky/early.go"


def test_literal_brackets_are_escaped_so_they_are_not_links():
    where = Location("a.go", 3, 1, 3, 9)
    finding = Finding(
        message="map m[k] grows",
        location=where,
        related=(Related(where, "m[k] = v here"), Related(where, "and here")),
    )
    text = linked_message(finding)
    assert text == r"map m\[k\] grows ([m\[k\] = v here](1); [and here](2))"
    links = re.findall(r"(?<!\\)\[((?:\\.|[^\]\\])*)\]\((\d+)\)", text)
    assert [target for _, target in links] == ["1", "2"]


def test_fingerprints_do_not_depend_on_the_working_directory(tmp_path):
    service = monorepo(tmp_path)
    git_repository(tmp_path)

    def fingerprints(cwd: Path, pattern: str) -> dict[str, str]:
        proc = run_cli("--format", "json", pattern, cwd=cwd)
        findings = json.loads(proc.stdout)["findings"]
        return {Path(f["location"]["path"]).name: f["fingerprint"] for f in findings}

    from_module = fingerprints(service, "./...")
    from_root = fingerprints(tmp_path, "./svc/...")
    from_package = fingerprints(service / "leaky", ".")
    assert len(from_module) == 2
    assert from_module == from_root == from_package
    document = sarif(service)
    in_sarif = {
        Path(uri).name: result["partialFingerprints"]["golintLeaks/v1"]
        for uri, result in zip(uris(document), document["runs"][0]["results"], strict=True)
    }
    assert in_sarif == from_module
