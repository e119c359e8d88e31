// Package legacy still imports golang.org/x/net/context, which is the standard context
// package under another name.
package legacy

import "golang.org/x/net/context"

func work(ctx context.Context) error { return ctx.Err() }

// Positive: a fresh root although the caller's context is at hand.
func refresh(ctx context.Context) error {
	return work(context.Background()) // want GLK401 "although ctx is at hand"
}

// Negative: the caller's context goes on.
func refreshWithCaller(ctx context.Context) error {
	return work(ctx)
}
