// Package gen is a code generator: one goroutine, one run, then the process exits.
package gen

import (
	"fmt"
	"io"
	"sort"
	"sync"
)

type Decl struct {
	Name string
	Deps []string
}

// Negative: an unsynchronised memo table of a single-goroutine batch program lives exactly
// as long as the run; it is not shared state of a long-running server.
var emitted = map[string]bool{}

func emit(w io.Writer, d Decl, all map[string]Decl) {
	if emitted[d.Name] {
		return
	}
	emitted[d.Name] = true
	for _, dep := range d.Deps {
		emit(w, all[dep], all)
	}
	fmt.Fprintf(w, "type %s struct{}\n", d.Name)
}

func Generate(w io.Writer, all map[string]Decl) {
	names := make([]string, 0, len(all))
	for name := range all {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		emit(w, all[name], all)
	}
}

// Positive: the same memo table behind a mutex is shared by concurrent callers.
var (
	sizesMu sync.Mutex
	sizes   = map[string]int{} // want GLK301
)

func Size(name string, compute func(string) int) int {
	sizesMu.Lock()
	defer sizesMu.Unlock()
	if n, ok := sizes[name]; ok {
		return n
	}
	n := compute(name)
	sizes[name] = n
	return n
}
