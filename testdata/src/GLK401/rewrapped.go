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

// Flusher writes queued lines from a goroutine of its own until Close.
type Flusher struct {
	lines chan string
	done  chan struct{}
}

func (f *Flusher) run(ctx context.Context) {
	for {
		select {
		case <-f.done:
			return
		case <-f.lines:
		case <-ctx.Done():
			return
		}
	}
}

// Close stops the flusher's goroutine.
func (f *Flusher) Close() { close(f.done) }

// Negative: the goroutine belongs to the flusher this constructor returns; Close ends it.
func OpenFlusher(ctx context.Context) (*Flusher, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	f := &Flusher{lines: make(chan string, 8), done: make(chan struct{})}
	go f.run(context.Background())
	return f, nil
}

// Positive: the flusher is only used for this call, so its goroutine should end with ctx.
func FlushOnce(ctx context.Context, line string) {
	f := &Flusher{lines: make(chan string, 1), done: make(chan struct{})}
	go f.run(context.Background()) // want GLK401
	f.lines <- line
	f.Close()
}

// Renewer calls its refresh function every period until Stop.
type Renewer struct {
	refresh func() error
	stop    chan struct{}
}

// NewRenewer keeps refresh for the renewals it makes.
func NewRenewer(period time.Duration, refresh func() error) *Renewer {
	return &Renewer{refresh: refresh, stop: make(chan struct{})}
}

// Stop ends the renewals.
func (r *Renewer) Stop() { close(r.stop) }

type Session struct {
	renewer *Renewer
}

func (s *Session) login(ctx context.Context) error { return ctx.Err() }

// Negative: the refresh closure runs for the session's life, long after Open's ctx is gone.
func (s *Session) Open(ctx context.Context) error {
	if err := s.login(ctx); err != nil {
		return err
	}
	s.renewer = NewRenewer(time.Hour, func() error {
		return s.login(context.Background())
	})
	return nil
}

// Positive: the renewer is stopped before Refresh returns, so ctx could bound its closure.
func (s *Session) Refresh(ctx context.Context) error {
	r := NewRenewer(time.Minute, func() error {
		return s.login(context.Background()) // want GLK401
	})
	defer r.Stop()
	return s.login(ctx)
}

// Retry calls attempt until it succeeds or ctx ends.
type Retry struct {
	attempt func() error
	pause   time.Duration
}

func (r *Retry) Run(ctx context.Context) error {
	for {
		if err := r.attempt(); err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(r.pause):
		}
	}
}

// Positive: the closure sits in a struct, but the struct is used and dropped here, so each
// attempt should run under ctx.
func (s *Session) LoginWithRetry(ctx context.Context) error {
	r := &Retry{pause: time.Second, attempt: func() error {
		return s.login(context.Background()) // want GLK401
	}}
	return r.Run(ctx)
}

// Positive: the kept callback is handed a context by each caller and should use it.
func (s *Session) OpenWithHook(ctx context.Context) error {
	if err := s.login(ctx); err != nil {
		return err
	}
	s.renewer = NewRenewer(time.Hour, nil)
	s.renewer.refresh = NewHook(func(context.Context) error {
		return s.login(context.Background()) // want GLK401
	})
	return nil
}

func NewHook(h func(context.Context) error) func() error {
	return func() error { return h(context.TODO()) }
}
