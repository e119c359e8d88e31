"""The runtime pass end to end: `golint-leaks --dump ...` on the programs of testdata/programs/
with their real dumps, in every format, in text, JSON and SARIF."""

from __future__ import annotations

import json
import subprocess
import sys

import jsonschema
import pytest

from tests.conftest import ROOT, TESTDATA, lint, lint_json, run_cli

pytestmark = pytest.mark.usefixtures("at_root")

DUMPS = TESTDATA / "dumps"
EDGE = DUMPS / "edge"
PROGRAMS = "testdata/programs/..."
FORMATS = (
    "debug1.txt",
    "debug2.txt",
    "debug0.pb.gz",
    "leak.debug1.txt",
    "leak.debug2.txt",
    "leak.debug0.pb.gz",
    "sigquit.txt",
    "goleak.txt",
)
# scenario -> the line its goroutines are parked on
SITES = {
    "handler": ("testdata/programs/handler/handler.go", 21),
    "pipeline": ("testdata/programs/pipeline/pipeline.go", 11),
    "ticker": ("testdata/programs/ticker/ticker.go", 11),
    "sessions": ("testdata/programs/sessions/sessions.go", 38),
}
NOT_PROVABLE = {"ticker", "sessions"}  # the goroutineleak detector cannot prove these


def findings_at(document: dict, path: str) -> list[dict]:
    return [f for f in document["findings"] if f["location"]["path"] == path]


@pytest.mark.parametrize("suffix", FORMATS)
@pytest.mark.parametrize("scenario", SITES)
def test_every_program_leak_is_confirmed_or_reported(scenario, suffix):
    code, document, err = lint_json("--dump", str(DUMPS / f"{scenario}.{suffix}"), PROGRAMS)
    assert code == 1, err
    path, line = SITES[scenario]
    here = findings_at(document, path)
    confirmed = [f for f in here if (f["evidence"] or {}).get("confirmed")]
    runtime = [f for f in here if f["rule"] == "GLK900"]
    if scenario in NOT_PROVABLE and suffix.startswith("leak.") and "debug2" not in suffix:
        assert confirmed == [] and runtime == []  # an empty leak profile proves nothing
        return
    assert confirmed or runtime, here
    for finding in confirmed + runtime:
        evidence = finding["evidence"]
        assert evidence["goroutines"] == (3 if suffix == "goleak.txt" else 40)
        assert evidence["stack"], evidence
        site = next(frame for frame in evidence["stack"] if frame["path"])
        assert (site["path"], site["line"]) == (path, line)
    for finding in runtime:
        assert finding["location"]["line"] == line
    elsewhere = [f for f in document["findings"] if f["evidence"] and f not in here]
    assert elsewhere == [], "a dump of one program confirms nothing in the others"


@pytest.mark.parametrize(
    ("scenario", "rule"),
    [("handler", "GLK202"), ("pipeline", "GLK201"), ("ticker", "GLK101"), ("ticker", "GLK203")],
)
def test_static_findings_are_confirmed_by_their_program(scenario, rule):
    dump = str(DUMPS / f"{scenario}.debug2.txt")
    code, out, err = lint("--enable", rule, "--enable", "GLK900", "--dump", dump, PROGRAMS)
    assert code == 1, err
    path = SITES[scenario][0]
    (line,) = [x for x in out.splitlines() if x.startswith(path) and f" {rule} " in x]
    assert line.endswith(
        f"(confirmed by a goroutine dump: 40 goroutines parked here) ({_name(rule)})"
    )
    assert f"\tconfirmed: 40 goroutines [{SCENARIO_STATES[scenario]}]\n" in out
    assert "GLK900" not in out


SCENARIO_STATES = {"handler": "chan send", "pipeline": "chan receive", "ticker": "chan receive"}


def _name(rule: str) -> str:
    from linter.registry import find_rule

    found = find_rule(rule)
    assert found is not None
    return found.name


def test_leak_profile_says_the_runtime_proved_it():
    code, out, _ = lint("--dump", str(DUMPS / "handler.leak.debug2.txt"), PROGRAMS)
    assert code == 1
    assert "\tconfirmed: 40 goroutines [chan send], proved leaked by the runtime\n" in out


def test_goleak_message_confirms_below_the_count_threshold():
    code, out, _ = lint("--dump", str(DUMPS / "pipeline.goleak.txt"), PROGRAMS)
    assert code == 1
    assert (
        "\tconfirmed: 3 goroutines [chan receive], still running after the test (goleak)\n" in out
    )


def test_unexplained_leak_is_a_glk900_finding_at_its_site():
    code, out, _ = lint(
        "--dump", str(DUMPS / "sessions.sigquit.txt"), "--enable", "GLK900", PROGRAMS
    )
    assert code == 0  # a count alone is a note: reported, below the default --fail-on
    assert out.splitlines()[0] == (
        "testdata/programs/sessions/sessions.go:38:2: note: GLK900 40 goroutines blocked in chan "
        "receive in sessions.(*session).expire, started by sessions.Login at "
        "testdata/programs/sessions/sessions.go:27; pass an earlier dump as --dump-baseline "
        "to see whether they grow (runtime-blocked-goroutine)"
    )
    assert out.splitlines()[1].startswith(
        "\truntime: 40 goroutines [chan receive]; e.g. goroutines "
    )


def test_disabled_glk900_still_confirms_but_adds_nothing():
    code, document, _ = lint_json(
        "--disable", "GLK900", "--dump", str(DUMPS / "sessions.debug2.txt"), PROGRAMS
    )
    assert code == 1  # the static findings of the other programs
    assert all(f["rule"] != "GLK900" for f in document["findings"])


def test_sarif_carries_stacks_and_validates(sarif_schema):
    code, out, _ = lint(
        "--format",
        "sarif",
        "--dump",
        str(DUMPS / "ticker.sigquit.txt"),
        "--dump",
        str(DUMPS / "sessions.leak.debug2.txt"),
        PROGRAMS,
    )
    assert code == 1
    document = json.loads(out)
    jsonschema.validate(document, sarif_schema)
    results = document["runs"][0]["results"]
    ticker = next(r for r in results if r["ruleId"] == "GLK101")
    assert ticker["rank"] == 90.0
    (stack,) = ticker["stacks"]
    assert (
        stack["message"]["text"]
        == "40 goroutines [chan receive] in testdata/dumps/ticker.sigquit.txt"
    )
    frames = stack["frames"]
    assert len(frames) == 5  # gopark, chanrecv, chanrecv2, the goroutine, goexit
    runtime_frame = frames[0]
    assert runtime_frame["module"] == "runtime"
    assert "physicalLocation" not in runtime_frame["location"]
    assert (
        runtime_frame["location"]["logicalLocations"][0]["fullyQualifiedName"] == "runtime.gopark"
    )
    ours = frames[3]["location"]["physicalLocation"]
    assert ours["artifactLocation"] == {
        "uri": "testdata/programs/ticker/ticker.go",
        "uriBaseId": "%SRCROOT%",
    }
    assert ours["region"]["startLine"] == 11
    assert stack["properties"]["count"] == 40 and stack["properties"]["state"] == "chan receive"
    evidence = ticker["properties"]["runtime"]
    assert evidence["confirmed"] is True and evidence["goroutines"] == 40
    assert "stack" not in evidence and "stack" not in evidence["groups"][0]
    blocked = next(r for r in results if r["ruleId"] == "GLK900")
    assert blocked["rank"] == 60.0 and blocked["stacks"]
    rules = document["runs"][0]["tool"]["driver"]["rules"]
    assert "GLK900" in [r["id"] for r in rules]


def test_baseline_reports_only_the_group_that_grew(tmp_path):
    handler = (DUMPS / "handler.debug2.txt").read_text()
    ticker = (DUMPS / "ticker.debug2.txt").read_text()
    idle = tmp_path / "idle.txt"
    idle.write_text(handler + "\n" + ticker)
    after = tmp_path / "after-load.txt"
    after.write_text(handler + "\n" + ticker + "\n" + ticker)
    code, document, _ = lint_json("--dump", str(after), PROGRAMS)
    assert {f["rule"] for f in document["findings"] if f["evidence"]} >= {"GLK202", "GLK101"}
    code, document, _ = lint_json("--dump", str(after), "--dump-baseline", str(idle), PROGRAMS)
    assert code == 1
    with_evidence = [f for f in document["findings"] if f["evidence"]]
    assert {f["location"]["path"] for f in with_evidence} == {"testdata/programs/ticker/ticker.go"}
    for finding in with_evidence:
        assert finding["evidence"]["summary"].startswith(
            "confirmed: 40 goroutines more than the baseline (40 → 80) [chan receive]"
        )
        assert finding["evidence"]["groups"][0]["baseline"] == 40
        assert finding["message"].endswith(
            "(confirmed by a goroutine dump: 40 goroutines more parked here than in the baseline)"
        )


def test_baseline_growth_without_a_rule_is_a_warning(tmp_path):
    sessions = (DUMPS / "sessions.debug2.txt").read_text()
    idle = tmp_path / "idle.txt"
    idle.write_text(sessions)
    after = tmp_path / "after.txt"
    after.write_text(sessions + "\n" + sessions)
    code, document, _ = lint_json(
        "--enable", "GLK900", "--dump", str(after), "--dump-baseline", str(idle), PROGRAMS
    )
    assert code == 1
    (finding,) = document["findings"]
    assert finding["level"] == "warning"  # growth is evidence, not a count alone
    assert finding["message"] == (
        "80 goroutines blocked in chan receive in sessions.(*session).expire, started by "
        "sessions.Login at testdata/programs/sessions/sessions.go:27; 40 more than in the baseline"
    )
    code, document, _ = lint_json(
        "--enable", "GLK900", "--dump", str(idle), "--dump-baseline", str(idle), PROGRAMS
    )
    assert code == 0 and document["findings"] == []


def test_baseline_needs_a_dump():
    code, _, err = lint("--dump-baseline", str(DUMPS / "handler.debug2.txt"), PROGRAMS)
    assert code == 2
    assert "--dump-baseline needs at least one --dump" in err


def test_bad_dumps_exit_2_and_everything_else_is_still_reported(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "core.bin"
    binary.write_bytes(bytes(range(256)) * 8)
    cut = tmp_path / "cut.txt"
    text = (DUMPS / "ticker.debug2.txt").read_text()
    cut.write_text(text[: text.rindex("ticker.Watch.func1()") + len("ticker.Watch.func1()")])
    code, out, err = lint(
        "--dump",
        str(empty),
        "--dump",
        str(binary),
        "--dump",
        str(tmp_path / "missing.txt"),
        "--dump",
        str(cut),
        "--dump",
        str(DUMPS / "handler.debug2.txt"),
        PROGRAMS,
    )
    assert code == 2
    lines = err.splitlines()
    assert f"{empty}: dump-error: empty file" in lines
    assert any(x.startswith(f"{binary}: dump-error: binary file") for x in lines)
    assert any(x.startswith(f"{tmp_path / 'missing.txt'}: dump-error: cannot read") for x in lines)
    assert any(
        x.startswith(f"{cut}: dump-error: truncated: the dump ends inside goroutine") for x in lines
    )
    assert "Traceback" not in err
    assert "\tconfirmed: 40 goroutines [chan send]\n" in out  # the good dump
    assert "ticker.go:10:13: GLK101" in out  # the static pass
    # the truncated dump's complete goroutines were used: 39 ticker goroutines
    assert "confirmed: 39 goroutines [chan receive]" in out


def test_dump_whose_paths_match_nothing_says_so():
    code, _, err = lint("--dump", str(DUMPS / "handler.debug2.txt"), "testdata/src/GLK502/...")
    assert code == 1  # GLK502 (a default rule) on its fixtures: reported, the dump confirms none
    assert (
        "handler.debug2.txt: warning: no frame of this dump (41 goroutines in 2 stacks) is in "
        "the scanned tree" in err
    )


def test_dump_without_patterns_scans_the_current_directory(monkeypatch):
    monkeypatch.chdir(ROOT / "testdata" / "programs")
    code, out, _ = lint("--enable", "GLK900", "--dump", str(DUMPS / "sessions.debug1.txt"))
    assert code == 0  # a note
    assert out.startswith(
        "sessions/sessions.go:38:2: note: GLK900 40 goroutines blocked in chan receive"
    )


def test_ignore_functions_from_the_config(tmp_path):
    config = tmp_path / "golint-leaks.toml"
    config.write_text(
        '[runtime]\nignore-functions = ["example.com/leakdemo/sessions.(*session).expire"]\n'
    )
    dump = str(DUMPS / "sessions.debug2.txt")
    code, out, _ = lint("--enable", "GLK900", "--dump", dump, PROGRAMS)
    assert "GLK900" in out
    code, out, _ = lint("--config", str(config), "--enable", "GLK900", "--dump", dump, PROGRAMS)
    assert code == 0 and out == ""


def test_thresholds():
    dump = str(DUMPS / "handler.debug2.txt")
    _, out, _ = lint("--min-goroutines", "41", "--dump", dump, PROGRAMS)
    assert "confirmed" not in out
    # 3 + 1 + 1 goroutines, parked 3-22, 7 and 1 minutes (one of the 3 proved leaked).
    edge = str(EDGE / "traceback_features.txt")
    _, out, _ = lint("--min-goroutines", "1", "--min-wait", "5", "--dump", edge, PROGRAMS)
    assert "\tconfirmed: 1 goroutine [chan receive, 7 minutes]\n" in out  # GLK201
    assert "\tconfirmed: 3 goroutines [chan send, 3-22 minutes], 1 of them proved" in out
    assert "[select (no cases)" not in out  # 1 minute < 5
    _, out, _ = lint("--min-goroutines", "1", "--min-wait", "8", "--dump", edge, PROGRAMS)
    assert "7 minutes" not in out


def test_foreign_paths_map_by_module_and_suffix():
    for dump in ("fork.txt", "kubernetes.log", "goleak_v1_2.txt"):
        code, document, err = lint_json(
            "--min-goroutines", "2", "--dump", str(EDGE / dump), PROGRAMS
        )
        assert code == 1, err
        assert [f for f in document["findings"] if f["evidence"]], dump
        assert "no frame of this dump" not in err, dump


@pytest.mark.parametrize("dump", ["pasted.md", "command_line_arguments.txt"])
def test_pasted_and_foreign_package_dumps_confirm_the_leak(dump):
    code, out, err = lint("--min-goroutines", "2", "--dump", str(EDGE / dump), PROGRAMS)
    assert code == 1, err
    (line,) = [x for x in out.splitlines() if " GLK202 " in x]
    assert line.startswith("testdata/programs/handler/handler.go:21:3: GLK202 ")
    assert "(confirmed by a goroutine dump: 3 goroutines parked here)" in line
    assert "dump-error" not in err and "no frame of this dump" not in err


def test_json_report_carries_evidence_scope_and_notices(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.touch()
    code, document, _ = lint_json(
        "--dump", str(DUMPS / "pipeline.debug0.pb.gz"), "--dump", str(empty), PROGRAMS
    )
    assert code == 2
    (finding,) = [f for f in document["findings"] if f["evidence"]]
    assert finding["rule"] == "GLK201"
    assert finding["scope"]["path"] == "testdata/programs/pipeline/pipeline.go"
    group = finding["evidence"]["groups"][0]
    assert group["format"] == "pprof protobuf" and group["state_inferred"] is True
    assert group["wait_minutes"] is None and group["count"] == 40
    dump_error = {"kind": "dump-error", "path": str(empty), "line": 0, "rule": ""}
    assert {**dump_error, "message": "empty file"} in document["notices"]


def test_console_script_end_to_end():
    proc = run_cli("--dump", "testdata/dumps/pipeline.debug1.txt", PROGRAMS, cwd=ROOT)
    assert proc.returncode == 1, proc.stderr
    assert "\tconfirmed: 40 goroutines [chan receive]\n" in proc.stdout


@pytest.mark.slow
def test_dumps_regenerated_with_the_live_toolchain_confirm_the_leak(tmp_path):
    script = ROOT / "scripts" / "regenerate_dumps.py"
    subprocess.run(
        [sys.executable, str(script), "--out", str(tmp_path), "--scenario", "handler", "-n", "12"],
        check=True,
        timeout=600,
    )
    produced = sorted(p.name for p in tmp_path.iterdir())
    assert produced == sorted(f"handler.{suffix}" for suffix in FORMATS)
    for suffix in ("debug2.txt", "debug0.pb.gz", "leak.debug1.txt", "sigquit.txt", "goleak.txt"):
        code, out, err = lint("--dump", str(tmp_path / f"handler.{suffix}"), PROGRAMS)
        assert code == 1, err
        count = 3 if suffix == "goleak.txt" else 12
        assert f"\tconfirmed: {count} goroutines [chan send]" in out, (suffix, out)
