package glk202

import (
	"context"
	"errors"
	"time"
)

// Negative: two goroutines from a literal loop, two receives.
func pair(work func(int) bool) bool {
	ok := make(chan bool)
	for i := 0; i < 2; i++ {
		go func(i int) { ok <- work(i) }(i)
	}
	a := <-ok
	b := <-ok
	return a && b
}

// Positive: three goroutines from a literal loop, only two receives.
func triple(work func(int) bool) bool {
	ok := make(chan bool)
	for i := 0; i < 3; i++ {
		go func(i int) { ok <- work(i) }(i) // want GLK202 "make\(chan bool, 3\)"
	}
	return <-ok && <-ok
}

// Negative: the watcher sends once, from inside its loop, and returns right after.
func watchOnce(poll func() (string, bool)) string {
	found := make(chan string)
	go func() {
		for {
			if v, ok := poll(); ok {
				found <- v
				return
			}
			time.Sleep(time.Millisecond)
		}
	}()
	return <-found
}

// Negative: the writer breaks out of its loop after its one send.
func writeUntilError(write func() error) error {
	errc := make(chan error)
	go func() {
		for {
			if err := write(); err != nil {
				errc <- err
				break
			}
		}
	}()
	return <-errc
}

// Negative: the coordinator counts its workers down and returns only after the last one.
func coordinate(ctx context.Context, workers []func() error) error {
	errc := make(chan error)
	for _, w := range workers {
		go func(w func() error) { errc <- w() }(w)
	}
	active := len(workers)
	var first error
	for {
		select {
		case err := <-errc:
			if err != nil && first == nil {
				first = err
			}
			active--
			if active == 0 {
				return first
			}
		case <-ctx.Done():
			if first == nil {
				first = ctx.Err()
			}
		}
	}
}

// Negative (mirror): a ping-pong pair; the partner receives in a loop as long as it is
// fed, which only a protocol we cannot count decides.
func pingPong(n int) {
	ping := make(chan int)
	pong := make(chan int, 1)
	go func() {
		for i := 0; i < n; i++ {
			pong <- <-ping
		}
	}()
	for i := 0; i < n; i++ {
		ping <- i
		<-pong
	}
}

// Positive: a generator that sends every value, read only once.
func firstLine(lines []string) (string, error) {
	out := make(chan string)
	go func() {
		for _, l := range lines {
			out <- l // want GLK202 "before receiving every value sent on out"
		}
	}()
	if len(lines) == 0 {
		return "", errors.New("empty")
	}
	return <-out, nil
}

// Negative: a typed literal bound (`int32(0)`) still counts two goroutines.
func pairTyped(work func(int32) bool) bool {
	ok := make(chan bool)
	for p := int32(0); p < 2; p++ {
		go func(p int32) { ok <- work(p) }(p)
	}
	<-ok
	<-ok
	return true
}

// Negative: the reader reports every chunk until EOF; the writer receives once per write
// and once more after closing, which the reader's protocol guarantees.
func echoChunks(chunks []string, read func() (int, bool)) {
	sizes := make(chan int)
	go func() {
		for {
			n, more := read()
			if !more {
				sizes <- 0
				break
			}
			sizes <- n
		}
	}()
	for i := 0; i < 5; i++ {
		<-sizes
	}
	<-sizes
}
