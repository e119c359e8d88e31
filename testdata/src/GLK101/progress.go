package glk101

import (
	"log"
	"time"
)

// Negative: the loop only ends through the labelled break, and the ticker is stopped right
// before it, so the return after the loop leaves nothing running.
func reportProgress(done <-chan struct{}, progress func() int) {
	ticker := time.NewTicker(time.Second)
waiting:
	for {
		select {
		case <-ticker.C:
			log.Printf("%d%% done", progress())
		case <-done:
			ticker.Stop()
			break waiting
		}
	}
	log.Print("finished")
}

// Positive: one way out of the loop stops the ticker, the other does not.
func reportUntilFailure(done <-chan struct{}, failed <-chan error, progress func() int) error {
	ticker := time.NewTicker(time.Second) // want GLK101 "not stopped on every path"
	var err error
waiting:
	for {
		select {
		case <-ticker.C:
			log.Printf("%d%% done", progress())
		case <-done:
			ticker.Stop()
			break waiting
		case err = <-failed:
			break waiting
		}
	}
	return err
}

// Negative: a zero or negative period makes NewTicker panic before any ticker exists.
func tickerRejectsZeroPeriod() (panicked bool) {
	defer func() { panicked = recover() != nil }()
	time.NewTicker(0)
	return false
}
