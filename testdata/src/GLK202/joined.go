package glk202

import (
	"sync"
	"time"
)

// Negative: the timeout arm gives up on the value, but the function then waits for the
// sender; a sender stuck on its send would hang it there, never leave it behind.
func measureOrWait(measure func() int) int {
	sample := make(chan int)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		sample <- measure()
	}()
	select {
	case v := <-sample:
		return v
	case <-time.After(time.Second):
	}
	wg.Wait()
	return -1
}

// Negative: a batch of senders, each joined by the same group: the first answer is taken,
// and the function does not return before every sender has finished.
func firstAnswer(jobs []func() string) string {
	names := make(chan string)
	var wg sync.WaitGroup
	for _, job := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			names <- job()
		}()
	}
	first := <-names
	wg.Wait()
	return first
}

// Positive: the timeout arm returns before the wait, so the sender is left blocked.
func measureOrGiveUp(measure func() int) int {
	sample := make(chan int)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		sample <- measure() // want GLK202 "measureOrGiveUp can return at line 58"
	}()
	select {
	case v := <-sample:
		wg.Wait()
		return v
	case <-time.After(time.Second):
		return -1
	}
}

// Positive: only one of the two senders is in the group; the other can still be blocked
// once the function has gone.
func measureTwice(measure func() int) int {
	sample := make(chan int)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		sample <- measure() // want GLK202
	}()
	go func() { sample <- measure() }()
	v := <-sample
	wg.Wait()
	return v
}
