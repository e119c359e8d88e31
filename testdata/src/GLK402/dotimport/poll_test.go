package dotimport

import (
	. "context"
	"testing"
	"time"
)

// Positive: a dot import of context in some other package's tests is not the context package
// testing itself; the dropped cancel keeps a timer for a minute per call.
func TestPollsUntilReady(t *testing.T) {
	ctx, _ := WithTimeout(Background(), time.Minute) // want GLK402 "discarded"
	select {
	case <-ctx.Done():
		t.Fatal("timed out")
	case <-time.After(time.Millisecond):
	}
}
