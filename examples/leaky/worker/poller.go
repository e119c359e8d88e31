// Package worker is the bundled example: two classic leaks, each beside its fix.
package worker

import (
	"context"
	"errors"
	"time"
)

var errSlow = errors.New("check took too long")

// Poll runs check once with a deadline. The early return leaks the timer and the context
// that WithTimeout made until the deadline passes.
func Poll(parent context.Context, check func(context.Context) bool) error {
	ctx, cancel := context.WithTimeout(parent, 5*time.Second) // want GLK402
	if !check(ctx) {
		return errSlow
	}
	cancel()
	return nil
}

// PollFixed releases the context on every path.
func PollFixed(parent context.Context, check func(context.Context) bool) error {
	ctx, cancel := context.WithTimeout(parent, 5*time.Second)
	defer cancel()
	if !check(ctx) {
		return errSlow
	}
	return nil
}
