// Package diag belongs to a command (a `cmd/...` import path): a compiler that reports what
// one run found and exits.
package diag

import (
	"fmt"
	"sort"
	"sync"
)

// Negative: the compiler's parallel back end collects warnings under a lock; the list is
// printed at the end of the run and dies with the process.
var (
	mu       sync.Mutex
	warnings []string
)

func Warn(pos int, format string, args ...any) {
	mu.Lock()
	defer mu.Unlock()
	warnings = append(warnings, fmt.Sprintf("%d: ", pos)+fmt.Sprintf(format, args...))
}

func Flush() []string {
	mu.Lock()
	defer mu.Unlock()
	out := append([]string(nil), warnings...)
	sort.Strings(out)
	return out
}
