"""## What it does
Reports goroutines that a goroutine dump (`golint-leaks --dump goroutines.txt ./...`) shows
parked at one place of your code — blocked on a channel send or receive, a select, a nil
channel, a `sync.Cond`, `Mutex`, `RWMutex`, `WaitGroup` or semaphore — in numbers past the
thresholds (`--min-goroutines`, default 10; `--min-wait` minutes), or that Go's goroutineleak
profile proved leaked, or that goleak listed as still running after a test, when no static
rule explains them. The finding sits on the topmost stack frame inside the scanned tree; the
stack, counts, wait times and sample goroutine ids come with it (SARIF `stacks`). With
`--dump-baseline`, only groups that grew since the baseline dump are reported. Runtime,
testing and well-known idle library goroutines (os/signal, net/http keep-alive connections,
database/sql's opener and cleaner, glog/klog flush daemons) are never reported; add your own
with `ignore-functions` under `[runtime]` in `.golint-leaks.toml`.

A count alone cannot tell a leak from an idle worker pool, so such a finding is a `note`;
it is a `warning` when the runtime proved the goroutines leaked, goleak listed them, or they
grew since the baseline dump. This rule has no static check: it runs only when a dump is
given.

## Why is this bad
Thousands of goroutines parked at the same line is what a goroutine leak looks like from the
outside: each holds its stack (at least 2 KiB, usually far more) and everything it
references, forever. A static rule cannot see every leak, but the dump shows where they pile
up; the count growing between two dumps of the same process is the surest sign.

## Example
```go
func (s *Server) fanOut(ctx context.Context, req Request) Result {
        results := make(chan Result)
        for _, b := range s.backends {
                go func(b Backend) {
                        results <- b.Query(req) // all but the first block forever
                }(b)
        }
        return <-results
}
```

## Use instead
```go
func (s *Server) fanOut(ctx context.Context, req Request) Result {
        results := make(chan Result, len(s.backends)) // every sender can finish
        for _, b := range s.backends {
                go func(b Backend) {
                        results <- b.Query(req)
                }(b)
        }
        return <-results
}
```
"""

code = "GLK900"
name = "runtime-blocked-goroutine"
summary = "goroutines a dump shows blocked at one place, not explained by a static rule"
level = "warning"
precision = "medium"
tags = ("goroutine-leak", "runtime")
