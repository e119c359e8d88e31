// Package gen is a code generator: one goroutine, one run, then the process exits.
package gen

import "strings"

// Negative: an unsynchronised list filled by a single-goroutine batch pass.
var exported []string

func collect(names []string) {
	for _, n := range names {
		if strings.ToUpper(n[:1]) == n[:1] {
			exported = append(exported, n)
		}
	}
}

func Exported(names []string) []string {
	collect(names)
	return exported
}

// Negative: a condition-less parse loop of a batch pass is not an event loop.
var directives []string

func ParseDirectives(next func() (string, bool)) []string {
	for {
		line, ok := next()
		if !ok {
			break
		}
		if strings.HasPrefix(line, "//go:") {
			directives = append(directives, line)
		}
	}
	return directives
}
