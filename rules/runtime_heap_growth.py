"""## What it does
Reports allocation sites whose retained memory grows between heap profiles of the running
program (`golint-leaks --heap before.pb.gz --heap after.pb.gz ./...`, or captured live with
`--pprof URL`) when no static rule explains the growth. Retained means in use after a
garbage collection (`inuse_space`, fetched with `/debug/pprof/heap?gc=1`): a site that
allocates a lot and keeps nothing is churn and is never reported. The finding sits on the
innermost frame of the allocation stack inside the scanned tree, with the growth in bytes
and objects, the allocations over the same interval, and the stacks (SARIF `stacks`).
Growth below `--heap-min-growth` (default 1MB) is ignored.

It is a `warning` when the site retained more at every one of three or more snapshots, or
grew by at least `--heap-large-growth` (default 64MB); otherwise a `note`, since growth
between two snapshots may still level off (a cache filling up to its bound). This rule has
no static check: it runs only when heap profiles are given.

## Why is this bad
Memory that is retained a little more at every snapshot is what a leak looks like from the
outside: it ends with the pod killed for running out of memory. Static rules see maps and
slices at package level; a map inside an object that lives as long as the server, or a cache
keyed by request ids, only shows in the heap profile.

## Example
```go
type Tracker struct {
        mu     sync.Mutex
        visits map[string]*visit // lives as long as the server, never pruned
}

func (t *Tracker) Track(id string) {
        t.mu.Lock()
        defer t.mu.Unlock()
        t.visits[id] = &visit{id: id, trail: make([]byte, 16<<10)}
}
```

## Use instead
```go
func (t *Tracker) Track(id string) {
        t.mu.Lock()
        defer t.mu.Unlock()
        t.visits[id] = &visit{id: id, seen: time.Now()}
        for old, v := range t.visits { // forget visits past their retention period
                if time.Since(v.seen) > retention {
                        delete(t.visits, old)
                }
        }
}
```
"""

code = "GLK901"
name = "runtime-heap-growth"
summary = "allocation site whose retained heap memory grows, not explained by a static rule"
level = "warning"
precision = "medium"
tags = ("memory-leak", "runtime")
