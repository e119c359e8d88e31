// Package glk202ginkgo checks Ginkgo specs: Fail, Skip and AbortSuite panic to end the
// spec, so a path through them leaves nothing behind.
package glk202ginkgo

import (
	"time"

	. "github.com/onsi/ginkgo/v2"
)

// Negative: the spec shows that pop blocks until push. Every path that skips the receive
// of popped ends in Fail, which ends the spec.
func PopBlocksUntilPush(pop func() string, push func(string)) {
	popped := make(chan string)
	go func() {
		popped <- pop()
	}()
	select {
	case <-popped:
		Fail("pop returned before anything was pushed")
	case <-time.After(50 * time.Millisecond):
	}
	push("x")
	select {
	case <-popped:
	case <-time.After(time.Second):
		Fail("pop still blocked after the push")
	}
}

// Positive: the same spec, but the timeout only logs and the spec goes on to its end,
// leaving the goroutine blocked on its send.
func PopBlocksUntilPushLogged(pop func() string, push func(string), log func(string)) {
	popped := make(chan string)
	go func() {
		popped <- pop() // want GLK202
	}()
	select {
	case <-popped:
		Fail("pop returned before anything was pushed")
	case <-time.After(50 * time.Millisecond):
	}
	push("x")
	select {
	case <-popped:
	case <-time.After(time.Second):
		log("pop still blocked after the push")
	}
}
