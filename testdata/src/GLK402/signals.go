package glk402

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

// Positive: the stop function of signal.NotifyContext is thrown away, so the signal
// registration and its goroutine stay for the life of the process.
func waitForInterrupt(ctx context.Context) {
	ctx, _ = signal.NotifyContext(ctx, os.Interrupt) // want GLK402 "stop function"
	<-ctx.Done()
}

// Positive: stop is skipped on the early return.
func runUntilSignal(ctx context.Context, run func(context.Context) error) error {
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGTERM) // want GLK402
	if ctx.Err() != nil {
		return ctx.Err()
	}
	defer stop()
	return run(ctx)
}

// Negative: stopped with defer.
func runUntilSignalStopped(ctx context.Context, run func(context.Context) error) error {
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGTERM)
	defer stop()
	return run(ctx)
}

// Positive: WithCancelCause's cancel discarded.
func watch(ctx context.Context, changes <-chan string, apply func(string)) {
	ctx, _ = context.WithCancelCause(ctx) // want GLK402
	for {
		select {
		case <-ctx.Done():
			return
		case c := <-changes:
			apply(c)
		}
	}
}
