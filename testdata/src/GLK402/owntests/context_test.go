// Package context_test stands for the context package's own external tests: Go's one
// accepted use of a dot import is a package's external test importing the package itself.
package context_test

import (
	. "context"
	"testing"
	"time"
)

// Negative: testing what a context does when nobody cancels it means dropping the cancel.
func TestPastDeadlineIsDoneAtOnce(t *testing.T) {
	ctx, _ := WithDeadline(Background(), time.Now().Add(-time.Minute))
	if ctx.Err() != DeadlineExceeded {
		t.Fatalf("Err() = %v, want DeadlineExceeded", ctx.Err())
	}
}

func TestChildOfCancelledParent(t *testing.T) {
	parent, cancel := WithCancel(Background())
	cancel()
	child, _ := WithCancel(parent)
	<-child.Done()
}
