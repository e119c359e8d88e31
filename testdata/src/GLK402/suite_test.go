package glk402

import (
	"context"
	"testing"
	"time"
)

// Negative: t.Fatal stops the test goroutine; the only way out calls cancel.
func TestServeWithTimeout(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	done := make(chan struct{})
	go func() {
		defer close(done)
		<-ctx.Done()
	}()
	select {
	case <-done:
		cancel()
	case <-time.After(2 * time.Second):
		t.Fatal("timed out")
	}
}

// Positive: through the testing.TB interface vet cannot tell that Fatal stops, and neither
// can we: the Fatal path reaches the end of the function without cancelling.
func waitReady(tb testing.TB, ready <-chan struct{}) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second) // want GLK402
	select {
	case <-ready:
		cancel()
	case <-ctx.Done():
		tb.Fatal("not ready")
	}
}

// Negative: test cleanup takes the cancel function.
func newTestContext(t *testing.T) context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	return ctx
}
