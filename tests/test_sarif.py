"""SARIF: valid against the official 2.1.0 schema and shaped the way GitHub code scanning
needs (relative URIs, full rule metadata, fingerprints that survive edits, UTF-16 columns)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from linter.registry import all_rules
from tests.conftest import run_cli
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
    assert result["ruleId"] == "GLK101"
    assert driver["rules"][result["ruleIndex"]]["id"] == "GLK101"
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
    edited = LEAKY.replace('import "time"\n', 'import "time"\n\n// a comment\n// and another\n')
    write(tmp_path / "a" / "leak.go", edited)
    after = sarif_for(tmp_path)["runs"][0]["results"][0]
    start = "physicalLocation"
    assert before["locations"][0][start]["region"]["startLine"] == 6
    assert after["locations"][0][start]["region"]["startLine"] == 9
    assert before["partialFingerprints"] == after["partialFingerprints"]


def test_identical_findings_get_distinct_fingerprints(tmp_path):
    twice = LEAKY.replace(
        "\t<-t.C\n", "\t<-t.C\n\tif true {\n\t\tt := time.NewTicker(time.Second)\n\t\t<-t.C\n\t}\n"
    )
    write(tmp_path / "a" / "leak.go", twice)
    results = sarif_for(tmp_path)["runs"][0]["results"]
    assert len(results) == 2
    assert len({r["partialFingerprints"]["golintLeaks/v1"] for r in results}) == 2


def test_columns_count_utf16_code_units(tmp_path, sarif_schema):
    # Each 😀 is 4 bytes in UTF-8 and 2 UTF-16 code units; é is 2 bytes and 1 unit.
    text = LEAKY.replace(
        "\tt := time.NewTicker(time.Second)",
        '\ts := "é😀"; t := time.NewTicker(time.Second); _ = s',
    )
    write(tmp_path / "a" / "leak.go", text)
    document = sarif_for(tmp_path)
    jsonschema.validate(document, sarif_schema)
    region = document["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    line = '\ts := "é😀"; t := time.NewTicker(time.Second); _ = s'
    expected = len(line[: line.index("time.NewTicker")].encode("utf-16-le")) // 2 + 1
    assert region["startColumn"] == expected


def test_related_locations_point_at_the_exit(tmp_path, sarif_schema):
    write(
        tmp_path / "a" / "x.go",
        'package a\n\nimport "time"\n\nfunc f(fail bool) {\n\tt := time.NewTicker(1)\n'
        "\tif fail {\n\t\treturn\n\t}\n\tt.Stop()\n}\n",
    )
    document = sarif_for(tmp_path)
    jsonschema.validate(document, sarif_schema)
    result = document["runs"][0]["results"][0]
    related = result["relatedLocations"][0]
    assert related["physicalLocation"]["region"]["startLine"] == 8
    assert "return" in related["message"]["text"]
