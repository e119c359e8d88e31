"""Precision on real projects: rerun the linter on a local corpus and score it against the
committed judgements.

The corpus is the list of repositories and commits in docs/precision/corpus.md; its sources
stay outside this repository (they are large and not ours). The judgements are data, one row
per finding, in docs/precision/corpus-judgements.csv.

    # extract each repository's Go sources at the recorded commit from bare git snapshots
    python scripts/precision_corpus.py prepare --mirror /work/.mirror --corpus /work/corpus
    # run every rule on the corpus, print per-rule precision, list unjudged sampled findings
    python scripts/precision_corpus.py report --corpus /work/corpus
    # write the sampled findings that have no judgement yet, to judge them
    python scripts/precision_corpus.py todo --corpus /work/corpus > todo.jsonl

Which findings are judged: every finding of a rule that has 30 or fewer in a partition
(production or test code), else the 30 with the lowest sample hash. The hash is of the
finding's repository, file, line and rule only, so the sample is stable: a finding that was
sampled stays sampled when others appear or disappear, and new findings that enter the
sample are exactly the ones listed as unjudged.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from lint_json import lint_findings, listed_rules

ROOT = Path(__file__).resolve().parent.parent
CORPUS_LIST = ROOT / "docs" / "precision" / "corpus.md"
JUDGEMENTS = ROOT / "docs" / "precision" / "corpus-judgements.csv"
SAMPLE_SIZE = 30
TARGET = 0.90
VERDICTS = ("TP", "FP", "debatable")
FIELDS = ("repo", "path", "line", "rule", "partition", "verdict", "shape", "reason")


@dataclass(frozen=True)
class Repository:
    name: str  # owner/name
    commit: str
    kind: str

    @property
    def folder(self) -> str:
        return self.name.replace("/", "__")


def repositories(listing: Path = CORPUS_LIST) -> list[Repository]:
    """Rows of the corpus table: `| owner/name | commit | kind | files |`."""
    found = []
    for line in listing.read_text(encoding="utf-8").splitlines():
        cells = [c.strip().strip("`") for c in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and "/" in cells[0] and len(cells[1]) == 40:
            found.append(Repository(cells[0], cells[1], cells[2]))
    return found


def prepare(mirror: Path, corpus: Path, listing: Path = CORPUS_LIST) -> None:
    """Extract the Go sources (and go.mod files) of each repository at its recorded commit.

    Snapshots may lack large blobs, so files are extracted one `git archive` pathspec at a
    time only for what exists, rather than failing the whole archive on one missing blob.
    """
    for repo in repositories(listing):
        git_dir = mirror / repo.name.replace("/", "+") / "repo"
        target = corpus / repo.folder
        if not git_dir.is_dir():
            print(f"{repo.name}: no snapshot at {git_dir}; fetch it first", file=sys.stderr)
            continue
        listing = subprocess.run(
            ["git", f"--git-dir={git_dir}", "ls-tree", "-r", "--name-only", repo.commit],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split("\n")
        wanted = [p for p in listing if p.endswith(".go") or p.endswith("go.mod")]
        target.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile() as archive:
            subprocess.run(
                ["git", f"--git-dir={git_dir}", "archive", repo.commit, "--", *wanted],
                stdout=archive,
                check=True,
            )
            archive.seek(0)
            with tarfile.open(fileobj=archive) as tar:
                tar.extractall(target, filter="data")
        print(f"{repo.name}: {len(wanted)} files at {repo.commit[:12]}", file=sys.stderr)


def all_rule_codes() -> list[str]:
    return [line.split()[0] for line in listed_rules()]


def run_corpus(corpus: Path, listing: Path = CORPUS_LIST) -> list[dict]:
    """Every static rule (opt-in ones too) on every repository, one finding dict each."""
    codes = [c for c in all_rule_codes() if c not in ("GLK900", "GLK901")]
    enable = [arg for code in codes for arg in ("--enable", code)]
    findings = []
    for repo in repositories(listing):
        folder = corpus / repo.folder
        if not folder.is_dir():
            sys.exit(f"{folder}: missing; run `prepare` first")
        for item in lint_findings(folder, [*enable, "./..."], repo.name):
            item["repo"] = repo.name
            findings.append(item)
    return findings


def partition(path: str) -> str:
    return "test" if path.endswith("_test.go") else "prod"


def key(item: dict) -> tuple[str, str, int, str]:
    loc = item["location"]
    return (item["repo"], loc["path"], int(loc["line"]), item["rule"])


def _rank(item: dict) -> str:
    return hashlib.sha256("\x1f".join(map(str, key(item))).encode()).hexdigest()


def sampled(findings: Iterable[dict]) -> list[dict]:
    """All findings of a small (rule, partition), else the SAMPLE_SIZE lowest hash ranks."""
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for item in findings:
        groups[(item["rule"], partition(item["location"]["path"]))].append(item)
    chosen = []
    for group in groups.values():
        chosen.extend(sorted(group, key=_rank)[:SAMPLE_SIZE])
    return sorted(chosen, key=key)


def load_judgements(path: Path = JUDGEMENTS) -> dict[tuple[str, str, int, str], dict]:
    if not path.exists():
        return {}
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    judged = {}
    for row in rows:
        if row["verdict"] not in VERDICTS:
            sys.exit(f"{path}: bad verdict {row['verdict']!r} in {row}")
        judged[(row["repo"], row["path"], int(row["line"]), row["rule"])] = row
    return judged


def default_rules() -> set[str]:
    """Rules that run without --enable: what `--list-rules` does not mark opt-in."""
    return {line.split()[0] for line in listed_rules() if "opt-in" not in line}


def _precision(counts: Counter) -> str:
    decided = counts["TP"] + counts["FP"]
    return f"{100 * counts['TP'] / decided:.0f} %" if decided else "-"


def report(findings: list[dict], judged: dict, defaults: set[str]) -> int:
    """Per rule and partition: findings, judged, TP/FP/debatable, precision (debatable out)."""
    total: Counter = Counter()
    found: Counter = Counter()
    verdicts: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for item in findings:
        found[(item["rule"], partition(item["location"]["path"]))] += 1
    unjudged = []
    for item in sampled(findings):
        row = judged.get(key(item))
        group = (item["rule"], partition(item["location"]["path"]))
        if row is None:
            unjudged.append(item)
            continue
        verdicts[group][row["verdict"]] += 1
    print("| rule | default | code | findings | judged | TP | FP | debatable | precision |")
    print("|---|---|---|---|---|---|---|---|---|")
    below = []
    for rule in sorted({g[0] for g in found}):
        overall: Counter = Counter()
        for part in ("prod", "test"):
            counts = verdicts[(rule, part)]
            overall.update(counts)
            if not found[(rule, part)]:
                continue
            judged_count = sum(counts.values())
            print(
                f"| {rule} | {'yes' if rule in defaults else 'opt-in'} | {part} "
                f"| {found[(rule, part)]} | {judged_count} | {counts['TP']} | {counts['FP']} "
                f"| {counts['debatable']} | {_precision(counts)} |"
            )
        if rule in defaults:
            total.update(overall)
            decided = overall["TP"] + overall["FP"]
            if decided and overall["TP"] / decided < TARGET:
                below.append(f"{rule} ({_precision(overall)})")
    print(
        f"\ndefault set: {total['TP']} TP, {total['FP']} FP, {total['debatable']} debatable: "
        f"precision {_precision(total)}"
    )
    if below:
        print(f"default rules below {TARGET:.0%}: {', '.join(below)}")
    if unjudged:
        print(f"\n{len(unjudged)} sampled findings have no judgement (new since the last audit):")
        for item in unjudged:
            loc = item["location"]
            print(f"  {item['repo']} {loc['path']}:{loc['line']} {item['rule']} {item['message']}")
    return 1 if below or unjudged else 0


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = options.add_subparsers(dest="command", required=True)
    prep = commands.add_parser("prepare", help="extract the corpus sources from git snapshots")
    prep.add_argument("--mirror", type=Path, required=True)
    prep.add_argument("--corpus", type=Path, required=True)
    for name in ("report", "todo"):
        command = commands.add_parser(name)
        command.add_argument("--corpus", type=Path, required=True)
    for command in commands.choices.values():
        command.add_argument(
            "--listing",
            type=Path,
            default=CORPUS_LIST,
            help="the table of repositories and commits [docs/precision/corpus.md]; "
            "docs/precision/holdout.md is the set no rule was tuned on",
        )
        command.add_argument("--findings", type=Path, help="reuse a saved run (JSON list)")
        command.add_argument("--save", type=Path, help="save this run's findings (JSON list)")
    args = options.parse_args()
    if args.command == "prepare":
        prepare(args.mirror, args.corpus, args.listing)
        return 0
    if args.findings:
        findings = json.loads(args.findings.read_text(encoding="utf-8"))
    else:
        findings = run_corpus(args.corpus, args.listing)
    if args.save:
        args.save.write_text(json.dumps(findings, indent=1), encoding="utf-8")
    judged = load_judgements()
    if args.command == "todo":
        for item in sampled(findings):
            if key(item) not in judged:
                print(json.dumps(item))
        return 0
    return report(findings, judged, default_rules())


if __name__ == "__main__":
    sys.exit(main())
