// Package ginkgo stands in for the three calls of github.com/onsi/ginkgo/v2 the fixtures
// use, with their real effect: each panics to end the running spec.
package ginkgo

// Fail ends the running spec as failed.
func Fail(message string, callerSkip ...int) { panic(message) }

// Skip ends the running spec as skipped.
func Skip(message string, callerSkip ...int) { panic(message) }

// AbortSuite ends the spec and every spec after it.
func AbortSuite(message string, callerSkip ...int) { panic(message) }
