// Package worker is the bundled example: a poller with a classic ticker leak and its fix.
package worker

import (
	"context"
	"time"
)

// Poll runs check every interval until ctx is done. It leaks its ticker on return.
func Poll(ctx context.Context, interval time.Duration, check func()) {
	ticker := time.NewTicker(interval) // want GLK101
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			check()
		}
	}
}

// PollFixed is the same loop with the ticker stopped on every path.
func PollFixed(ctx context.Context, interval time.Duration, check func()) {
	ticker := time.NewTicker(interval)
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

// Sample waits for n ticks of time.Tick, whose ticker can never be stopped.
func Sample(n int) {
	for i := 0; i < n; i++ {
		<-time.Tick(time.Millisecond) // want GLK101
	}
}
