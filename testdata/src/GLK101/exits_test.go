package glk101

import (
	"runtime"
	"testing"
	"time"
)

// Negative: t.Fatal ends the test; it is not a return that leaves the ticker running.
func waitUntilReady(t *testing.T, ready func() bool) {
	ticker := time.NewTicker(time.Millisecond)
	for attempt := 0; attempt < 50; attempt++ {
		<-ticker.C
		if ready() {
			ticker.Stop()
			return
		}
	}
	t.Fatal("service never became ready")
}

// Positive: the same wait, but t.Error lets the function return with the ticker running.
func waitOrReport(t *testing.T, ready func() bool) bool {
	ticker := time.NewTicker(time.Millisecond) // want GLK101 "not stopped on every path"
	for attempt := 0; attempt < 50; attempt++ {
		<-ticker.C
		if ready() {
			ticker.Stop()
			return true
		}
	}
	t.Error("service never became ready")
	return false
}

// Negative: t.FailNow inside a select arm ends that path as well.
func pollOnce(t *testing.T, events <-chan int) int {
	ticker := time.NewTicker(time.Millisecond)
	select {
	case n := <-events:
		ticker.Stop()
		return n
	case <-ticker.C:
		t.FailNow()
	}
	return 0
}

// Negative: b.Fatalf and runtime.Goexit end the goroutine that holds the ticker.
func benchmarkTicks(b *testing.B, stop func() bool) {
	ticker := time.NewTicker(time.Microsecond)
	for i := 0; i < b.N; i++ {
		<-ticker.C
		if stop() {
			runtime.Goexit()
		}
	}
	if b.N > 0 {
		ticker.Stop()
		return
	}
	b.Fatalf("no iterations")
}
