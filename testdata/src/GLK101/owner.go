package glk101

import (
	clock "time"
)

type scheduler struct {
	ticker *clock.Ticker
	jobs   []func()
}

// Negative: stored in a struct field; Close stops it.
func newScheduler() *scheduler {
	s := &scheduler{}
	s.ticker = clock.NewTicker(clock.Second)
	return s
}

func (s *scheduler) Close() { s.ticker.Stop() }

// Negative: returned to the caller, who owns it now.
func newTicker(d clock.Duration) *clock.Ticker {
	t := clock.NewTicker(d)
	return t
}

// Negative: passed to a function that takes ownership.
func runWith(d clock.Duration, run func(*clock.Ticker)) {
	t := clock.NewTicker(d)
	run(t)
}

// Positive through an aliased import: an early return skips the Stop.
func (s *scheduler) drain(limit int) int {
	t := clock.NewTicker(clock.Millisecond) // want GLK101
	n := 0
	for _, job := range s.jobs {
		if n >= limit {
			return n // related GLK101 "this return leaves 't' running"
		}
		<-t.C
		job()
		n++
	}
	t.Stop()
	return n
}

// Positive: a new ticker each iteration, never stopped before the next one.
func (s *scheduler) perJob() {
	for _, job := range s.jobs {
		t := clock.NewTicker(clock.Millisecond) // want GLK101
		<-t.C
		job()
	}
}

// Negative: a ticker per iteration, stopped at the end of each iteration.
func (s *scheduler) perJobStopped() {
	for _, job := range s.jobs {
		t := clock.NewTicker(clock.Millisecond)
		<-t.C
		job()
		t.Stop()
	}
}

// Negative: the ticker is suppressed with a reason.
func suppressed() {
	t := clock.NewTicker(clock.Second) //golint-leaks:ignore GLK101 process-lifetime ticker
	<-t.C
}

// Negative: a method named NewTicker on something that is not the time package.
type fakeClock struct{}

func (fakeClock) NewTicker(d clock.Duration) *clock.Ticker { return nil }

func notTime(c fakeClock) {
	t := c.NewTicker(clock.Second)
	_ = t
}

// Negative: re-armed in a loop; each old ticker is stopped at the top of the next iteration
// and the last one after the loop.
func rearm(rounds int) {
	t := clock.NewTicker(clock.Millisecond)
	for i := 0; i < rounds; i++ {
		t.Stop()
		t = clock.NewTicker(clock.Duration(i+1) * clock.Millisecond)
	}
	t.Stop()
}

// Negative: created and stopped in one expression.
func createAndStop() {
	clock.NewTicker(clock.Hour).Stop()
}

// Positive: re-armed in a loop but only the last one is stopped.
func rearmLeaky(rounds int) {
	var t *clock.Ticker
	for i := 0; i < rounds; i++ { // related GLK101 "the next loop iteration leaves 't' running"
		t = clock.NewTicker(clock.Millisecond) // want GLK101
		<-t.C
	}
	if t != nil {
		t.Stop()
	}
}

// Positive: created as a bare statement and dropped.
func dropped() {
	clock.NewTicker(clock.Hour) // want GLK101
}
