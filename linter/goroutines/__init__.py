"""The runtime pass: goroutine dumps parsed, grouped, located in the tree, matched to findings.

- `parse` reads the text formats as a stream and `pprof` the protobuf profile, both into a
  `dump.Dump` of `group.Group`s (one per state and stack; `group` also diffs a baseline);
- `judge` decides which groups look leaked and which goroutines are never blamed;
- `locate` maps a dump's foreign paths onto the scanned files, `sources` reads their lines,
  `tree` joins the two for the passes;
- `match` confirms static findings with the groups parked in their code and builds findings
  from the rest (the command line reports them as GLK900), `evidence` words and shapes what
  they carry;
- `dump_pass` runs it all: findings and dumps in, an `outcome.Outcome` (confirmations,
  unexplained groups, notices) out; `outcome.confirm` applies the confirmations.
"""
