package glk401

import (
	"context"
	"time"
)

// Watcher polls until the context it was made with ends; Close ends it.
type Watcher struct {
	cancel context.CancelFunc
	events chan string
}

// NewWatcher starts polling under ctx: the watcher lives as long as ctx does.
func NewWatcher(ctx context.Context, every time.Duration) *Watcher {
	ctx, cancel := context.WithCancel(ctx)
	w := &Watcher{cancel: cancel, events: make(chan string, 1)}
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	return w
}

// Close stops the watcher.
func (w *Watcher) Close() { w.cancel() }

type Registry struct {
	watcher *Watcher
}

// Negative: the request's ctx only bounds the set-up; the watcher it returns must outlive
// the request, so it is built on a fresh root and its owner stops it with Close.
func OpenWatch(ctx context.Context, every time.Duration) (*Watcher, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return NewWatcher(context.Background(), every), nil
}

// Negative: the same, kept in a field of the registry, which closes it.
func (r *Registry) Watch(ctx context.Context, every time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	w := NewWatcher(context.Background(), every)
	r.watcher = w
	return nil
}

// Positive: the watcher is used and dropped inside the call: it should end with ctx.
func FirstEvent(ctx context.Context, every time.Duration) string {
	w := NewWatcher(context.Background(), every) // want GLK401
	defer w.Close()
	select {
	case e := <-w.events:
		return e
	case <-ctx.Done():
		return ""
	}
}
