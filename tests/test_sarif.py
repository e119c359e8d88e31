"""SARIF: valid against the official 2.1.0 schema and shaped the way GitHub code scanning
needs (relative URIs, full rule metadata, fingerprints that survive edits, UTF-16 columns)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from linter.registry import all_rules
from tests.conftest import EARLY_RETURN, LEAK_LINE, run_cli
from tests.test_cli import LEAKY, write


def sarif_for(directory: Path, *patterns: str) -> dict:
    proc = run_cli("--format", "sarif", *(patterns or ("./...",)), cwd=directory)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)


def test_sarif_validates_and_carries_rule_metadata(tmp_path, sarif_schema):
    write(tmp_path / "a" / "leak.go", LEAKY)
    write(tmp_path / "a" / "bad.go", b"package leaky\n\xff\n")
    document = sarif_for(tmp_path)
    jsonschema.validate(document, sarif_schema)
    run = document["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "golint-leaks"
    assert [r["id"] for r in driver["rules"]] == [r.code for r in all_rules()]
    rule = driver["rules"][0]
    assert rule["help"]["markdown"].startswith("## What it does")
    assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
    assert rule["properties"]["precision"] in ("high", "medium", "low")
    result = run["results"][0]
    assert result["ruleId"] == "GLK402"
    assert driver["rules"][result["ruleIndex"]]["id"] == "GLK402"
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "a/leak.go", "uriBaseId": "%SRCROOT%"}
    assert location["region"]["startLine"] == 6
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"].startswith("file:///")
    assert run["columnKind"] == "utf16CodeUnits"
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert any("not valid UTF-8" in n["message"]["text"] for n in notes)


def test_fingerprints_survive_edits_above_the_finding(tmp_path):
    write(tmp_path / "a" / "leak.go", LEAKY)
    before = sarif_for(tmp_path)["runs"][0]["results"][0]
    edited = LEAKY.replace(
        'import "context"\n', 'import "context"\n\n// a comment\n// and another\n'
    )
    write(tmp_path / "a" / "leak.go", edited)
    after = sarif_for(tmp_path)["runs"][0]["results"][0]
    start = "physicalLocation"
    assert before["locations"][0][start]["region"]["startLine"] == 6
    assert after["locations"][0][start]["region"]["startLine"] == 9
    assert before["partialFingerprints"] == after["partialFingerprints"]


def test_identical_findings_get_distinct_fingerprints(tmp_path):
    twice = LEAKY.replace(
        "\t<-ctx.Done()\n",
        f"\t<-ctx.Done()\n\tif true {{\n\t\t{LEAK_LINE}\n\t\t<-ctx.Done()\n\t}}\n",
    )
    write(tmp_path / "a" / "leak.go", twice)
    results = sarif_for(tmp_path)["runs"][0]["results"]
    assert len(results) == 2
    assert len({r["partialFingerprints"]["golintLeaks/v1"] for r in results}) == 2


def test_columns_count_utf16_code_units(tmp_path, sarif_schema):
    # Each 😀 is 4 bytes in UTF-8 and 2 UTF-16 code units; é is 2 bytes and 1 unit.
    line = f'\ts := "é😀"; {LEAK_LINE}; _ = s'
    text = LEAKY.replace(f"\t{LEAK_LINE}", line)
    write(tmp_path / "a" / "leak.go", text)
    document = sarif_for(tmp_path)
    jsonschema.validate(document, sarif_schema)
    region = document["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    expected = len(line[: line.index("context.WithCancel")].encode("utf-16-le")) // 2 + 1
    assert region["startColumn"] == expected


def test_related_locations_point_at_the_exit(tmp_path, sarif_schema):
    write(tmp_path / "a" / "x.go", EARLY_RETURN)
    document = sarif_for(tmp_path)
    jsonschema.validate(document, sarif_schema)
    result = document["runs"][0]["results"][0]
    related = result["relatedLocations"][0]
    assert related["physicalLocation"]["region"]["startLine"] == 8
    assert "return" in related["message"]["text"]
