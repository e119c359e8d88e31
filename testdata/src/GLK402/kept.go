package glk402

import (
	"context"
	"time"
)

func call(ctx context.Context) error { return ctx.Err() }

// Positive: the first cancel is replaced before anything calls it; its context (and its
// timer) lives until the parent is cancelled.
func twoSteps(parent context.Context) error {
	ctx, cancel := context.WithTimeout(parent, time.Second) // want GLK402 "cancel is given another cancel function at line 15"
	_ = call(ctx)
	ctx, cancel = context.WithTimeout(parent, 2*time.Second) // related GLK402 "cancel is overwritten here"
	defer cancel()
	return call(ctx)
}

// Negative: the first one is deferred before the variable is reused.
func twoStepsDeferred(parent context.Context) error {
	ctx, cancel := context.WithTimeout(parent, time.Second)
	defer cancel()
	_ = call(ctx)
	ctx, cancel = context.WithTimeout(parent, 2*time.Second)
	defer cancel()
	return call(ctx)
}

// Positive: the cancel is kept in a field that nothing in the package ever calls.
type poller struct {
	ctx  context.Context
	stop context.CancelFunc
}

func newPoller(parent context.Context) *poller {
	ctx, cancel := context.WithCancel(parent) // want GLK402 "kept in .stop, which nothing in this package ever calls"
	return &poller{ctx: ctx, stop: cancel}    // related GLK402 "kept here"
}

// Negative: the same, with a Close that calls it.
type watcher struct {
	ctx    context.Context
	finish context.CancelFunc
}

func newWatcher(parent context.Context) *watcher {
	w := &watcher{}
	w.ctx, w.finish = context.WithCancel(parent)
	return w
}

func (w *watcher) Close() { w.finish() }
