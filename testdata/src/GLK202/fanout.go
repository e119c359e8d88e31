package glk202

import (
	"context"
	"sync"
)

type Search func(query string) string

// Positive: the "first replica wins" query: one receive, the other goroutines block.
func First(query string, replicas ...Search) string {
	c := make(chan string)
	for i := range replicas {
		go func(i int) { c <- replicas[i](query) }(i) // want GLK202 "before receiving every value sent on c"
	}
	return <-c
}

// Negative: a buffer sized for every replica.
func FirstBuffered(query string, replicas ...Search) string {
	c := make(chan string, len(replicas))
	for i := range replicas {
		go func(i int) { c <- replicas[i](query) }(i)
	}
	return <-c
}

// Positive: an errgroup-like helper that returns on the first error while the other
// goroutines still have errors to send.
func firstError(fns ...func() error) error {
	errc := make(chan error)
	for _, fn := range fns {
		go func(fn func() error) {
			errc <- fn() // want GLK202
		}(fn)
	}
	for range fns {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// Negative: the same helper collecting every result before returning.
func allErrors(fns ...func() error) error {
	errc := make(chan error)
	for _, fn := range fns {
		go func(fn func() error) {
			errc <- fn()
		}(fn)
	}
	var first error
	for range fns {
		if err := <-errc; err != nil && first == nil {
			first = err
		}
	}
	return first
}

// Positive: breaking out of the receive loop early strands the rest.
func anyFailed(checks []func() bool) bool {
	results := make(chan bool)
	for _, c := range checks {
		go func(c func() bool) { results <- c() }(c) // want GLK202
	}
	failed := false
	for range checks {
		if !<-results {
			failed = true
			break
		}
	}
	return failed
}

// Positive: the receive loop also watches ctx and gives up on it.
func gather(ctx context.Context, parts []string, load func(string) int) (int, error) {
	sizes := make(chan int)
	for _, p := range parts {
		go func(p string) { sizes <- load(p) }(p) // want GLK202
	}
	total := 0
	for range parts {
		select {
		case n := <-sizes:
			total += n
		case <-ctx.Done():
			return 0, ctx.Err()
		}
	}
	return total, nil
}

// Negative: a consumer goroutine (not the function) drains the channel.
func pump(parts []string, load func(string) int) int {
	sizes := make(chan int)
	total := 0
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for n := range sizes {
			total += n
		}
	}()
	for _, p := range parts {
		sizes <- load(p)
	}
	close(sizes)
	wg.Wait()
	return total
}
