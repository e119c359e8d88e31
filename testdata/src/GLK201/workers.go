package glk201

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

type Job struct {
	ID   int
	Last bool
}

func handle(j Job) error {
	if j.ID < 0 {
		return errors.New("negative id")
	}
	return nil
}

// Positive: the classic worker pool; the producer forgets close(jobs) and every call leaves
// four workers parked in their range loops.
func processAll(items []Job) {
	jobs := make(chan Job)
	for i := 0; i < 4; i++ {
		go func() {
			for j := range jobs { // want GLK201 "nothing in package glk201 closes the channel made at line 25"
				_ = handle(j)
			}
		}()
	}
	for _, it := range items {
		jobs <- it
	}
}

// Negative: the same pool, with the producer closing the channel after the last send.
func processAllClosed(items []Job) {
	jobs := make(chan Job)
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				_ = handle(j)
			}
		}()
	}
	for _, it := range items {
		jobs <- it
	}
	close(jobs)
	wg.Wait()
}

// Positive: a worker that returns on an error still blocks forever when no error comes.
func processUntilError(items []Job) {
	jobs := make(chan Job, len(items))
	go func() {
		for j := range jobs { // want GLK201
			if err := handle(j); err != nil {
				return
			}
		}
	}()
	for _, it := range items {
		jobs <- it
	}
}

// Positive: the worker selects on ctx.Done() for its output, but parks in the range itself
// once the jobs stop.
func transform(ctx context.Context, items []Job, out chan<- string) {
	jobs := make(chan Job)
	go func() {
		for j := range jobs { // want GLK201
			select {
			case <-ctx.Done():
				return
			case out <- fmt.Sprint(j.ID):
			}
		}
	}()
	for _, it := range items {
		jobs <- it
	}
}

// Positive: the channel is declared first and made later; still never closed.
func deferredMake(items []Job) {
	var jobs chan Job
	jobs = make(chan Job)
	go func() {
		for range jobs { // want GLK201
		}
	}()
	for _, it := range items {
		jobs <- it
	}
}

// Negative: the consumer stops on a sentinel value; the protocol ends the stream.
func untilLast(items []Job) {
	jobs := make(chan Job)
	go func() {
		for j := range jobs {
			if j.Last {
				return
			}
			_ = handle(j)
		}
	}()
	for _, it := range items {
		jobs <- it
	}
	jobs <- Job{Last: true}
}

// Negative: the consumer counts and breaks when it has them all.
func countResults(n int) int {
	results := make(chan int)
	for i := 0; i < n; i++ {
		go func(i int) { results <- i * i }(i)
	}
	total, seen := 0, 0
	for r := range results {
		total += r
		seen++
		if seen == n {
			break
		}
	}
	return total
}

// Negative: a parameter's producer is not ours to see.
func drain(jobs <-chan Job) {
	for j := range jobs {
		_ = handle(j)
	}
}

// Negative: a map range with two variables is not a channel range.
func keys(m map[string]int) []string {
	var out []string
	for k, v := range m {
		_ = v
		out = append(out, k)
	}
	return out
}

// Positive: a method named init is not the package initializer. It runs once per value, so
// every forwarder made leaves another worker parked in its range loop.
type forwarder struct{ sent int }

func (r *forwarder) init(items []Job) {
	queue := make(chan Job)
	go func() {
		for j := range queue { // want GLK201 "nothing in package glk201 closes the channel made at line"
			_ = handle(j)
			r.sent++
		}
	}()
	for _, it := range items {
		queue <- it
	}
}

// Negative: the package initializer itself runs once per process, so the worker it starts
// for the whole run is there by design (the near miss of forwarder.init above).
func init() {
	warmups := make(chan Job)
	go func() {
		for j := range warmups {
			_ = handle(j)
		}
	}()
	warmups <- Job{ID: 1}
}
