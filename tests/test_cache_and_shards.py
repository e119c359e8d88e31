"""The result cache (pre-commit speed) and --shard (CI matrices)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from tests.conftest import run_cli
from tests.test_cli import CLEAN, LEAKY, write


def entries(cache: Path) -> list[Path]:
    return sorted(cache.rglob("*.json"))


def findings(proc) -> list[tuple[str, int]]:
    return [
        (f["location"]["path"], f["location"]["line"]) for f in json.loads(proc.stdout)["findings"]
    ]


def doctor(cache: Path, line: int) -> None:
    """Rewrite every entry's finding line, to see whether a run read the cache."""
    for entry in entries(cache):
        doctored = json.loads(entry.read_text())
        doctored["findings"][0]["location"]["line"] = line
        entry.write_text(json.dumps(doctored))


def test_cache_is_read_on_the_second_run_and_invalidated_by_an_edit(tmp_path):
    repo, cache = tmp_path / "repo", tmp_path / "cache"
    write(repo / "a" / "leak.go", LEAKY)
    args = ("--format", "json", "--cache-dir", str(cache), "./...")
    first = run_cli(*args, cwd=repo)
    assert findings(first) == [("a/leak.go", 6)]
    assert len(entries(cache)) == 2  # by content, and by stat data for the next warm run
    doctor(cache, 99)
    assert findings(run_cli(*args, cwd=repo)) == [("a/leak.go", 99)]
    # Same bytes written again (a checkout): new stat data, but the content key still hits.
    (repo / "a" / "leak.go").write_text(LEAKY)
    assert findings(run_cli(*args, cwd=repo)) == [("a/leak.go", 99)]
    # Any edit to a file of the package changes the key, even with size and mtime restored.
    before = (repo / "a" / "leak.go").stat()
    (repo / "a" / "leak.go").write_text(LEAKY.replace("Leak(", "Lake("))
    os.utime(repo / "a" / "leak.go", ns=(before.st_atime_ns, before.st_mtime_ns))
    assert findings(run_cli(*args, cwd=repo)) == [("a/leak.go", 6)]
    doctor(cache, 98)
    write(repo / "a" / "other.go", "package leaky\n")  # a new file in the package
    assert findings(run_cli(*args, cwd=repo)) == [("a/leak.go", 6)]


def test_corrupt_cache_entries_are_ignored_and_rewritten(tmp_path):
    repo, cache = tmp_path / "repo", tmp_path / "cache"
    write(repo / "a" / "leak.go", LEAKY)
    args = ("--format", "json", "--cache-dir", str(cache), "./...")
    run_cli(*args, cwd=repo)
    for garbage in (b"", b"{not json", b'{"findings": 3}', b"\xff\xfe\x00"):
        for entry in entries(cache):
            entry.write_bytes(garbage)
        proc = run_cli(*args, cwd=repo)
        assert proc.returncode == 1, proc.stderr
        assert findings(proc) == [("a/leak.go", 6)]
        assert all(json.loads(e.read_text())["findings"] for e in entries(cache))


def test_no_cache_writes_nothing(tmp_path):
    repo, cache = tmp_path / "repo", tmp_path / "cache"
    write(repo / "a" / "ok.go", CLEAN)
    assert run_cli("--no-cache", "--cache-dir", str(cache), "./...", cwd=repo).returncode == 0
    assert not cache.exists()


def test_shards_partition_the_packages_stably(tmp_path, sarif_schema):
    import jsonschema

    repo = tmp_path / "repo"
    for index in range(12):
        write(repo / f"p{index}" / "leak.go", LEAKY)

    def shard_paths(spec: str) -> set[str]:
        proc = run_cli("--no-cache", "--format", "json", "--shard", spec, "./...", cwd=repo)
        assert proc.returncode in (0, 1), proc.stderr
        return {path for path, _ in findings(proc)}

    shards = [shard_paths(f"{i}/3") for i in (1, 2, 3)]
    assert set.union(*shards) == {f"p{i}/leak.go" for i in range(12)}
    assert sum(len(s) for s in shards) == 12
    write(repo / "zz_new" / "leak.go", LEAKY)
    after = [shard_paths(f"{i}/3") - {"zz_new/leak.go"} for i in (1, 2, 3)]
    assert after == shards

    sarif = run_cli("--no-cache", "--format", "sarif", "--shard", "2/3", "./...", cwd=repo)
    document = json.loads(sarif.stdout)
    jsonschema.validate(document, sarif_schema)
    assert document["runs"][0]["automationDetails"]["id"] == "golint-leaks/shard-2-of-3/"


def test_bad_shard_is_a_usage_error(tmp_path):
    for spec in ("0/3", "4/3", "x", "1/0"):
        proc = run_cli("--shard", spec, "./...", cwd=tmp_path)
        assert proc.returncode == 2
        assert "--shard" in proc.stderr
