package glk202

import (
	"context"
	"errors"
	"time"
)

// Positive (multi-file): the worker started here lives in worker.go and sends its result
// unconditionally; Run stops waiting after the timeout.
func Run(task func() int, d time.Duration) (int, error) {
	results := make(chan int)
	go worker(task, results)
	select {
	case v := <-results:
		return v, nil
	case <-time.After(d):
		return 0, errors.New("timed out")
	}
}

// Negative (multi-file): politeWorker (worker.go) selects on ctx.Done() when it sends.
func RunPolite(ctx context.Context, task func() int) (int, error) {
	results := make(chan int)
	go politeWorker(ctx, task, results)
	select {
	case v := <-results:
		return v, nil
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// Positive (mirror): the cleanup goroutine waits for done; the error path returns without
// closing it.
func withCleanup(open func() error, cleanup func()) error {
	done := make(chan struct{})
	go func() {
		<-done // want GLK202 "withCleanup can return at line 43 without sending on or closing done"
		cleanup()
	}()
	if err := open(); err != nil {
		return err
	}
	close(done)
	return nil
}

// Negative (mirror): closed on every path by a defer.
func withCleanupDeferred(open func() error, cleanup func()) error {
	done := make(chan struct{})
	go func() {
		<-done
		cleanup()
	}()
	defer close(done)
	return open()
}

// Negative (mirror): the waiting goroutine also gives up with ctx.
func watch(ctx context.Context, open func() error, cleanup func()) error {
	done := make(chan struct{})
	go func() {
		select {
		case <-done:
		case <-ctx.Done():
		}
		cleanup()
	}()
	if err := open(); err != nil {
		return err
	}
	close(done)
	return nil
}

// Positive (mirror): the consumer ranges until close, but the error path skips the close.
func store(items []string, save func(string) error, write func(string)) error {
	lines := make(chan string)
	go func() {
		for l := range lines { // want GLK202
			write(l)
		}
	}()
	for _, it := range items {
		if err := save(it); err != nil {
			return err
		}
		lines <- it
	}
	close(lines)
	return nil
}
