package glk401

import (
	"context"
	"time"
)

type accountKey struct{}

// withAccount copies the account the caller's context carries onto base.
func withAccount(base, from context.Context) context.Context {
	return context.WithValue(base, accountKey{}, from.Value(accountKey{}))
}

// Refresher refreshes a cache until Stop; it must outlive the call that made it.
type Refresher struct {
	ctx    context.Context
	cancel context.CancelFunc
}

// Stop ends the refresher's work.
func (p *Refresher) Stop() { p.cancel() }

// Negative: a fresh root keeps the caller's account but not its cancellation; the refresher it
// bounds is returned, and its Stop cancels it.
func StartRefresher(ctx context.Context) *Refresher {
	base := context.Background()
	base = withAccount(base, ctx)
	base, cancel := context.WithCancel(base)
	return &Refresher{ctx: base, cancel: cancel}
}

// Negative: a function that may swap in a detached root hands the choice to its caller.
func detachIf(ctx context.Context, detach bool) (context.Context, bool) {
	if detach {
		ctx = context.Background()
	}
	return ctx, detach
}

// Positive: the same rewrapped root only bounds a wait the function finishes itself.
func WaitAccount(ctx context.Context, d time.Duration) error {
	base := context.Background() // want GLK401
	base = withAccount(base, ctx)
	select {
	case <-base.Done():
		return base.Err()
	case <-time.After(d):
		return nil
	}
}

// Positive: stored once, but also handed to a blocking call first.
func StartAfterSync(ctx context.Context, sync func(context.Context) error) (*Refresher, error) {
	base := context.Background() // want GLK401
	if err := sync(base); err != nil {
		return nil, err
	}
	base, cancel := context.WithCancel(base)
	return &Refresher{ctx: base, cancel: cancel}, nil
}
