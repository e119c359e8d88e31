// Package legacy still imports golang.org/x/net/context, which is the standard context
// package under another name.
package legacy

import (
	"time"

	"golang.org/x/net/context"
)

func work(ctx context.Context) error { return ctx.Err() }

// Positive: the cancel function is dropped, so the timer behind the deadline lives on.
func fetch(parent context.Context) error {
	ctx, _ := context.WithTimeout(parent, time.Second) // want GLK402 "discarded"
	return work(ctx)
}

// Negative: the same call with the cancel deferred.
func fetchAndCancel(parent context.Context) error {
	ctx, cancel := context.WithTimeout(parent, time.Second)
	defer cancel()
	return work(ctx)
}
