"""The heap pass end to end: `golint-leaks --heap ...` on testdata/programs/ with real heap
profiles of cmd/heapdemo (committed, and captured live from the running program both from
files and with `--pprof`), in text, JSON and SARIF."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace

import jsonschema
import pytest

from tests.conftest import ROOT, TESTDATA, lint, lint_json

pytestmark = pytest.mark.usefixtures("at_root")

HEAP = TESTDATA / "dumps" / "heap"
PROGRAMS = "testdata/programs/..."
SNAPSHOTS = [str(HEAP / f"heap-{n}.pb.gz") for n in (1, 2, 3)]
CATALOG = ("testdata/programs/catalog/catalog.go", "GLK301")
JOURNAL = ("testdata/programs/journal/journal.go", "GLK302")
TRACKER_SITE = ("testdata/programs/tracker/tracker.go", 31)
HANDLER = ("testdata/programs/handler/handler.go", "GLK202")


def heap_args(paths: list[str]) -> list[str]:
    return [arg for path in paths for arg in ("--heap", path)]


def finding(document: dict, path: str, rule: str) -> dict:
    (found,) = [
        f for f in document["findings"] if f["location"]["path"] == path and f["rule"] == rule
    ]
    return found


def assert_heap_method_works(document: dict, snapshots: int) -> None:
    """Both globals confirmed by heap growth, one GLK901 at the tracker's map, none at the
    churn, blocked goroutines confirmed (when dumps were given)."""
    for path, rule in (CATALOG, JOURNAL):
        heap = finding(document, path, rule)["evidence"]["heap"]
        assert heap["confirmed"] is True
        assert heap["inuse_bytes"] >= 1 << 20 and heap["inuse_objects"] > 0
        assert heap["alloc_bytes"] >= heap["inuse_bytes"]
        assert heap["snapshots"] == snapshots and heap["interval_seconds"] > 0
        assert len(heap["inuse_series"]) == snapshots
    growth = [f for f in document["findings"] if f["rule"] == "GLK901"]
    assert [(f["location"]["path"], f["location"]["line"]) for f in growth] == [TRACKER_SITE]
    assert not [f for f in document["findings"] if "render" in f["location"]["path"]]


def test_committed_profiles_confirm_the_globals_and_report_the_tracker():
    code, document, err = lint_json(*heap_args(SNAPSHOTS), PROGRAMS)
    assert code == 1, err
    assert_heap_method_works(document, 3)
    (growth,) = [f for f in document["findings"] if f["rule"] == "GLK901"]
    assert growth["level"] == "warning"  # more at each of three snapshots
    assert growth["evidence"]["confirmed"] is False
    assert growth["evidence"]["heap"]["monotonic"] is True
    site = growth["evidence"]["heap"]["stack"][0]
    assert site["function"] == "example.com/leakdemo/tracker.(*Tracker).Track"
    assert (site["path"], site["line"]) == TRACKER_SITE
    assert site["profile_path"] == "example.com/leakdemo/tracker/tracker.go"  # -trimpath
    assert "churn" not in err


def test_text_output_words_the_confirmation():
    code, out, _ = lint(*heap_args(SNAPSHOTS), PROGRAMS)
    assert code == 1
    catalog = next(x for x in out.splitlines() if x.startswith(CATALOG[0]) and " GLK301 " in x)
    assert catalog.endswith(" retained in 6 s) (unbounded-global-map)"), catalog
    assert "(confirmed by heap growth: +4." in catalog
    assert "\tconfirmed: +4." in out and "more at each of 3 snapshots; +4." in out
    (growth,) = [x for x in out.splitlines() if " GLK901 " in x]
    assert growth.startswith("testdata/programs/tracker/tracker.go:31:2: GLK901 +4.")
    assert "by allocations here in tracker.(*Tracker).Track, more at each of 3 snapshots" in growth


def test_two_snapshots_make_the_unexplained_growth_a_note():
    code, document, _ = lint_json("--heap-baseline", SNAPSHOTS[0], "--heap", SNAPSHOTS[1], PROGRAMS)
    assert code == 1  # the static findings
    assert_heap_method_works(document, 2)
    (growth,) = [f for f in document["findings"] if f["rule"] == "GLK901"]
    assert growth["level"] == "note"
    assert growth["message"].endswith("; take more snapshots to see whether it keeps growing")
    _, document, _ = lint_json("--heap-large-growth", "1MB", *heap_args(SNAPSHOTS[:2]), PROGRAMS)
    (growth,) = [f for f in document["findings"] if f["rule"] == "GLK901"]
    assert growth["level"] == "warning"  # large enough to warn without a third snapshot


def test_min_growth_threshold_from_option_and_config(tmp_path):
    code, document, _ = lint_json("--heap-min-growth", "64MB", *heap_args(SNAPSHOTS), PROGRAMS)
    assert not [f for f in document["findings"] if (f["evidence"] or {}).get("heap")]
    config = tmp_path / "leaks.toml"
    config.write_text('[runtime]\nheap-min-growth = "64MB"\n')
    code, document, _ = lint_json("--config", str(config), *heap_args(SNAPSHOTS), PROGRAMS)
    assert not [f for f in document["findings"] if (f["evidence"] or {}).get("heap")]
    config.write_text('[runtime]\nheap-min-growth = "lots"\n')
    code, _, err = lint("--config", str(config), *heap_args(SNAPSHOTS), PROGRAMS)
    assert code == 2 and "runtime.heap-min-growth must be a size" in err


def test_dumps_and_heap_profiles_together():
    code, document, _ = lint_json(
        *heap_args(SNAPSHOTS),
        "--dump-baseline",
        str(HEAP / "goroutines-1.txt"),
        "--dump",
        str(HEAP / "goroutines-3.txt"),
        PROGRAMS,
    )
    assert code == 1
    assert_heap_method_works(document, 3)
    blocked = finding(document, *HANDLER)
    assert blocked["evidence"]["confirmed"] is True and blocked["evidence"]["groups"]
    assert "more parked here than in the baseline" in blocked["message"]


def test_sarif_carries_heap_properties_and_allocation_stacks(sarif_schema):
    code, out, _ = lint("--format", "sarif", *heap_args(SNAPSHOTS), PROGRAMS)
    assert code == 1
    document = json.loads(out)
    jsonschema.validate(document, sarif_schema)
    results = document["runs"][0]["results"]
    catalog = next(
        r for r in results if r["ruleId"] == "GLK301" and "sheets" in r["message"]["text"]
    )
    assert catalog["rank"] == 90.0
    heap = catalog["properties"]["heap"]
    assert heap["confirmed"] is True and "stacks" not in heap and "stack" not in heap
    assert "runtime" not in catalog["properties"]  # no goroutine evidence
    growth = next(r for r in results if r["ruleId"] == "GLK901")
    (stack, *_) = growth["stacks"]
    assert stack["message"]["text"].endswith("objects) allocated here")
    top = stack["frames"][0]["location"]
    assert top["physicalLocation"]["artifactLocation"]["uri"] == TRACKER_SITE[0]
    assert stack["properties"]["inuse_bytes"] > 1 << 20
    rules = [r["id"] for r in document["runs"][0]["tool"]["driver"]["rules"]]
    assert "GLK901" in rules


def test_disabled_glk901_still_confirms():
    _, document, _ = lint_json("--disable", "GLK901", *heap_args(SNAPSHOTS), PROGRAMS)
    assert not [f for f in document["findings"] if f["rule"] == "GLK901"]
    assert finding(document, *CATALOG)["evidence"]["heap"]["confirmed"] is True


def test_suppression_comment_at_the_allocation_site(tmp_path, monkeypatch):
    copy = tmp_path / "programs"
    shutil.copytree(ROOT / "testdata" / "programs", copy)
    tracker = copy / "tracker" / "tracker.go"
    lines = tracker.read_text().splitlines()
    lines[TRACKER_SITE[1] - 1] += " //golint-leaks:ignore GLK901 pruned by the janitor"
    tracker.write_text("\n".join(lines) + "\n")
    monkeypatch.chdir(copy)
    _, document, _ = lint_json(*heap_args(SNAPSHOTS), "./...")
    assert not [f for f in document["findings"] if f["rule"] == "GLK901"]
    assert finding(document, "catalog/catalog.go", "GLK301")["evidence"]["heap"]["confirmed"]


def test_bad_heap_profiles_exit_2_and_the_rest_is_reported(tmp_path):
    text = tmp_path / "heap.txt"
    text.write_text("heap profile: 1: 2 [3: 4] @ heap/524288\n")
    missing = tmp_path / "missing.pb.gz"
    code, out, err = lint(
        "--heap", str(text), "--heap", str(missing), *heap_args(SNAPSHOTS[::2]), PROGRAMS
    )
    assert code == 2
    assert f"{text}: heap-error: a text heap profile (?debug=1)" in err
    assert f"{missing}: heap-error: cannot read" in err
    assert "Traceback" not in err
    assert "(confirmed by heap growth: +" in out  # the two good profiles were compared


def test_one_heap_profile_says_it_needs_another():
    code, document, err = lint_json("--heap", SNAPSHOTS[0], PROGRAMS)
    assert code == 1  # static findings only
    assert "one heap profile shows what is in use, not what grows" in err
    assert not [f for f in document["findings"] if f["evidence"]]


def test_heap_baseline_needs_a_heap_profile():
    code, _, err = lint("--heap-baseline", SNAPSHOTS[0], PROGRAMS)
    assert code == 2 and "--heap-baseline needs at least one --heap" in err


def test_profiles_whose_paths_match_nothing_say_so():
    _, _, err = lint(*heap_args(SNAPSHOTS), "testdata/src/GLK101/...")
    assert "no frame of the" in err and "growing allocation stacks is in the scanned tree" in err


def test_opt_in_rules_report_only_what_evidence_confirms(monkeypatch):
    from linter import engine, registry

    opt_in = ("GLK301", "GLK302")
    rules = tuple(
        replace(rule, default=False) if rule.code in opt_in else rule
        for rule in registry.all_rules()
    )
    monkeypatch.setattr(registry, "all_rules", lambda: rules)
    monkeypatch.setattr(engine, "all_rules", lambda: rules)

    def reported(*args: str) -> set[tuple[str, str]]:
        _, document, _ = lint_json(*args, PROGRAMS)
        return {
            (f["rule"], f["location"]["path"]) for f in document["findings"] if f["rule"] in opt_in
        }

    assert reported() == set()  # off by default
    assert reported(*heap_args(SNAPSHOTS)) == {CATALOG[::-1], JOURNAL[::-1]}  # not sessions
    assert reported("--enable", "default", *heap_args(SNAPSHOTS)) == {CATALOG[::-1], JOURNAL[::-1]}
    assert reported("--disable", "GLK302", *heap_args(SNAPSHOTS)) == {CATALOG[::-1]}
    assert reported("--enable", "GLK101", *heap_args(SNAPSHOTS)) == set()  # only what was asked
    enabled = reported("--enable", "default,GLK301", *heap_args(SNAPSHOTS))
    assert ("GLK301", "testdata/programs/sessions/sessions.go") in enabled  # asked for: all of it


def test_github_annotations_carry_the_heap_summary():
    code, out, _ = lint("--format", "github", *heap_args(SNAPSHOTS), PROGRAMS)
    assert code == 1
    (catalog,) = [line for line in out.splitlines() if "catalog/catalog.go" in line]
    assert "(confirmed by heap growth: +4." in catalog
    assert "%0Aconfirmed: +4." in catalog and "more at each of 3 snapshots" in catalog
