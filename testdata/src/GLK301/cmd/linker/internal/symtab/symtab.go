// Package symtab belongs to a command (a `cmd/...` import path): a batch tool that interns
// the symbols of one link and exits.
package symtab

import (
	"context"
	"sync"
)

// Negative: parallel workers of one run intern names under a lock; the table ends with the
// run, however many goroutines or contexts fill it.
var (
	mu       sync.Mutex
	interned = map[string]string{}
)

func Intern(ctx context.Context, name []byte) string {
	if ctx.Err() != nil {
		return string(name)
	}
	mu.Lock()
	defer mu.Unlock()
	if s, ok := interned[string(name)]; ok {
		return s
	}
	s := string(name)
	interned[s] = s
	return s
}

// Negative: a sync.Map filled by the workers of the same run.
var objectFiles sync.Map

func Record(path string, size int64) { objectFiles.Store(path, size) }
