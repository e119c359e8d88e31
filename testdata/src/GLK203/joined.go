package glk203

import (
	"errors"
	"sync"
)

// Negative: Serve waits for its pollers; if they never end, Serve blocks its caller for
// good (it is meant to run as long as the program), but no goroutine outlives the call.
func Serve(poll func()) {
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				poll()
			}
		}()
	}
	wg.Wait()
}

// Positive: the error path returns before the wait, leaving the poller behind.
func ServeChecked(poll func(), ready func() bool) error {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // want GLK203
		defer wg.Done()
		for {
			poll()
		}
	}()
	if !ready() {
		return errors.New("not ready")
	}
	wg.Wait()
	return nil
}

// Positive: the wait happens in another goroutine, so ServeDetached itself returns at once.
func ServeDetached(poll func(), finished chan<- struct{}) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // want GLK203
		defer wg.Done()
		for {
			poll()
		}
	}()
	go func() {
		wg.Wait()
		close(finished)
	}()
}
