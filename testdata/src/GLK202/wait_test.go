package glk202

import (
	"testing"
	"time"
)

// Negative: t.Fatal ends the test goroutine; the timeout path is a failure, not a leak.
func TestCompute(t *testing.T) {
	done := make(chan int)
	go func() { done <- compute(func() int { return 1 }) }()
	select {
	case v := <-done:
		if v != 1 {
			t.Errorf("got %d", v)
		}
	case <-time.After(time.Second):
		t.Fatal("timeout")
	}
}
