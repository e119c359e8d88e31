// Package go123 is built with go 1.23 semantics (see go.mod): a ticker nobody references
// is collected even when not stopped, so it is not flagged; a ticker a goroutine or callback
// still holds is flagged as before.
package go123

import (
	"context"
	"net/http"
	"time"
)

// Negative on Go 1.23: returns on cancellation without Stop, but then nothing references it.
func PollUntilDone(ctx context.Context, check func()) {
	ticker := time.NewTicker(time.Second)
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			check()
		}
	}
}

// Negative on Go 1.23: a ticker per iteration, unreferenced once the iteration ends.
func EachJob(jobs []func()) {
	for _, job := range jobs {
		t := time.NewTicker(time.Millisecond)
		<-t.C
		job()
	}
}

// Positive on every version: the goroutine ranges over the ticker forever, so it stays
// referenced and keeps firing.
func Heartbeat(out chan<- time.Time) {
	t := time.NewTicker(5 * time.Second) // want GLK101 "^ticker 't' is never stopped; add defer t.Stop\(\)$"
	go func() {
		for now := range t.C {
			out <- now
		}
	}()
}

// Positive on every version: the handler, registered for the life of the server, holds it.
func RegisterClock(mux *http.ServeMux) {
	tick := time.NewTicker(time.Second) // want GLK101 "^ticker 'tick' is never stopped"
	mux.HandleFunc("/tick", func(w http.ResponseWriter, r *http.Request) {
		now := <-tick.C
		_, _ = w.Write([]byte(now.String()))
	})
}

// Negative on Go 1.23: time.Tick in a function that returns; the docs bless it since 1.23.
func SampleOnce(done <-chan struct{}) int {
	n := 0
	for {
		select {
		case <-time.Tick(time.Second):
			n++
		case <-done:
			return n
		}
	}
}

// Negative everywhere: stopped in a defer.
func PollStopped(ctx context.Context, check func()) {
	ticker := time.NewTicker(time.Second)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			check()
		}
	}
}
