package glk402

import (
	"context"
	"errors"
	"time"
)

// Positive: a labelled break leaves both loops before the cancel.
func scan(ctx context.Context, rows [][]int, visit func(context.Context, int) bool) int {
	found := 0
outer:
	for _, row := range rows {
		rowCtx, cancel := context.WithTimeout(ctx, time.Second) // want GLK402
		for _, cell := range row {
			if !visit(rowCtx, cell) {
				break outer
			}
			found++
		}
		cancel()
	}
	return found
}

// Negative: a labelled continue, but cancel runs before it.
func scanAll(ctx context.Context, rows [][]int, visit func(context.Context, int) bool) int {
	found := 0
rows:
	for _, row := range rows {
		rowCtx, cancel := context.WithTimeout(ctx, time.Second)
		for _, cell := range row {
			if !visit(rowCtx, cell) {
				cancel()
				continue rows
			}
			found++
		}
		cancel()
	}
	return found
}

// Positive: goto jumps past the cancel.
func stepper(ctx context.Context, step func(context.Context) error) error {
	stepCtx, cancel := context.WithCancel(ctx) // want GLK402
	if err := step(stepCtx); err != nil {
		goto failed
	}
	cancel()
	return nil
failed:
	return errors.New("step failed")
}

// Positive: the binding spans several lines; fallthrough reaches a return without cancel.
func classify(ctx context.Context, level int, report func(context.Context, string)) error {
	levelCtx, cancel :=
		context.WithTimeout(ctx, time.Second) // want GLK402
	switch {
	case level > 10:
		report(levelCtx, "critical")
		fallthrough
	case level > 5:
		return errors.New("too high")
	default:
		cancel()
	}
	return nil
}

// Positive: bound in an if initializer, cancelled only in the body.
func tryLock(ctx context.Context, acquire func(context.Context) bool) bool {
	if lockCtx, cancel := context.WithTimeout(ctx, time.Second); acquire(lockCtx) { // want GLK402
		cancel()
		return true
	}
	return false
}

// Positive: a type switch arm returns without cancelling.
func handleEvent(ctx context.Context, event any, apply func(context.Context, any) error) error {
	eventCtx, cancel := context.WithCancel(ctx) // want GLK402
	switch e := event.(type) {
	case nil:
		return errors.New("nil event")
	case error:
		cancel()
		return e
	default:
		defer cancel()
		return apply(eventCtx, e)
	}
}

// Positive: a polling loop with a condition exits when the condition fails.
func pollReady(ctx context.Context, ready func(context.Context) bool) {
	attempts := 0
	for attempts < 3 {
		pollCtx, cancel := context.WithTimeout(ctx, time.Second) // want GLK402
		if ready(pollCtx) {
			cancel()
			return
		}
		attempts++
	}
}

// Negative: a non-blocking select with a default; every arm cancels.
func tryReceive(ctx context.Context, in <-chan int) (int, bool) {
	recvCtx, cancel := context.WithCancel(ctx)
	select {
	case v := <-in:
		cancel()
		return v, true
	case <-recvCtx.Done():
		cancel()
		return 0, false
	default:
		cancel()
		return 0, false
	}
}

// Negative: a nil check mentions cancel on the way out, which vet counts as a use.
func maybeCancel(ctx context.Context, enabled bool) context.Context {
	var cancel context.CancelFunc
	if enabled {
		ctx, cancel = context.WithTimeout(ctx, time.Second)
	}
	if cancel != nil {
		context.AfterFunc(ctx, cancel)
	}
	return ctx
}

// Negative: a panic path never reaches a return.
func mustDeadline(ctx context.Context, deadline time.Time, work func(context.Context) error) {
	workCtx, cancel := context.WithDeadline(ctx, deadline)
	if err := work(workCtx); err != nil {
		panic(err)
	}
	cancel()
}

// Negative: a shadowing inner cancel is a different variable; the outer one is deferred.
func nested(ctx context.Context, inner func(context.Context) error) error {
	outerCtx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	for i := 0; i < 3; i++ {
		innerCtx, cancel := context.WithTimeout(outerCtx, time.Second)
		err := inner(innerCtx)
		cancel()
		if err == nil {
			return nil
		}
	}
	return errors.New("no luck")
}

// Positive: the inner cancel shadows the outer one, which is therefore lost on return.
func shadowed(ctx context.Context, inner func(context.Context) error) error {
	outerCtx, cancel := context.WithTimeout(ctx, time.Minute) // want GLK402
	if ctx.Err() != nil {
		return ctx.Err()
	}
	{
		innerCtx, cancel := context.WithTimeout(outerCtx, time.Second)
		defer cancel()
		if err := inner(innerCtx); err != nil {
			return err
		}
	}
	cancel()
	return nil
}
