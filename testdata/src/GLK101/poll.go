package glk101

import (
	"context"
	"log"
	"time"
)

// Positive: the classic poller that returns on ctx.Done without stopping its ticker.
func pollUntilDone(ctx context.Context, check func() error) {
	ticker := time.NewTicker(time.Second) // want GLK101
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			if err := check(); err != nil {
				log.Printf("check: %v", err)
			}
		}
	}
}

// Negative: stopped in a defer right after creation.
func pollStoppedInDefer(ctx context.Context, check func() error) {
	ticker := time.NewTicker(time.Second)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			_ = check()
		}
	}
}

// Positive: stopped on the happy path, but the error return skips Stop.
func waitForReady(ready func() (bool, error)) error {
	ticker := time.NewTicker(100 * time.Millisecond) // want GLK101
	for range ticker.C {
		ok, err := ready()
		if err != nil {
			return err
		}
		if ok {
			break
		}
	}
	ticker.Stop()
	return nil
}

// Negative: stopped explicitly on every branch before each return.
func waitStoppedOnEveryBranch(ready func() (bool, error)) error {
	ticker := time.NewTicker(100 * time.Millisecond)
	for range ticker.C {
		ok, err := ready()
		if err != nil {
			ticker.Stop()
			return err
		}
		if ok {
			ticker.Stop()
			return nil
		}
	}
	ticker.Stop()
	return nil
}

// Positive: a ticker per call, only its channel is used, and nobody ever stops it.
func heartbeat(out chan<- time.Time) {
	t := time.NewTicker(5 * time.Second) // want GLK101
	go func() {
		for now := range t.C {
			out <- now
		}
	}()
}

// Negative: the goroutine that owns the ticker stops it.
func heartbeatOwned(ctx context.Context, out chan<- time.Time) {
	t := time.NewTicker(5 * time.Second)
	go func() {
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case now := <-t.C:
				out <- now
			}
		}
	}()
}

// Positive: time.Tick in a function that returns; the ticker can never be stopped.
func sampleOnce(done <-chan struct{}) int {
	n := 0
	for {
		select {
		case <-time.Tick(time.Second): // want GLK101
			n++
		case <-done:
			return n
		}
	}
}

// Negative: time.Tick in a daemon loop that never returns.
func reportForever(report func()) {
	for range time.Tick(time.Minute) {
		report()
	}
}

// Positive: the ticker is discarded.
func discard() {
	_ = time.NewTicker(time.Second) // want GLK101
}

// Positive: used in place, so nobody can stop it.
func firstTickInPlace() time.Time {
	return <-time.NewTicker(time.Second).C // want GLK101
}

// Negative: stopped in a deferred closure that also logs.
func deferredClosureStop(work func()) {
	t := time.NewTicker(time.Second)
	defer func() {
		t.Stop()
		log.Print("stopped")
	}()
	<-t.C
	work()
}

func init() {
	// Negative: time.Tick in init lives as long as the program, by design.
	go func() {
		for range time.Tick(time.Hour) {
			log.Print("hourly")
		}
	}()
}

type hourglass struct{ beats int }

// Positive: a method named init is not the package initializer. It returns when stop fires,
// and each call leaves the tickers time.Tick made behind.
func (h *hourglass) init(stop <-chan struct{}) {
	for {
		select {
		case <-time.Tick(time.Second): // want GLK101
			h.beats++
		case <-stop:
			return
		}
	}
}
