package glk402

import (
	"context"
	"errors"
	"io"
	"log"
	"net/http"
	"time"
)

// Positive: the error return before the defer skips cancel.
func fetch(ctx context.Context, url string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second) // want GLK402 "cancel is not called on every path"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err // related GLK402 "this return is reached without calling cancel"
	}
	defer cancel()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}

// Negative: deferred right after creation.
func fetchDeferred(ctx context.Context, url string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}

// Positive: the cancel function is thrown away.
func pingDiscarded(ctx context.Context, client *http.Client, url string) error {
	ctx, _ = context.WithTimeout(ctx, time.Second) // want GLK402 "discarded"
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, url, nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// Positive: cancelled on success only; the failure branch falls off the end.
func warmCache(parent context.Context, load func(context.Context) error) {
	ctx, cancel := context.WithDeadline(parent, time.Now().Add(time.Minute)) // want GLK402
	if err := load(ctx); err != nil {
		log.Printf("warm cache: %v", err)
	} else {
		cancel()
	}
} // related GLK402 "the end of the function is reached without calling cancel"

// Negative: the caller owns the cancel function.
func withRequestTimeout(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(ctx, d)
	return ctx, cancel
}

// Negative: named results and a naked return hand the cancel function to the caller.
func detachedTimeout(d time.Duration) (ctx context.Context, cancel context.CancelFunc) {
	ctx, cancel = context.WithTimeout(context.Background(), d)
	if d <= 0 {
		return
	}
	log.Printf("timeout %v", d)
	return
}

// Negative: stored in a struct field; Close cancels.
type Session struct {
	ctx    context.Context
	cancel context.CancelFunc
}

func NewSession(parent context.Context) *Session {
	s := &Session{}
	s.ctx, s.cancel = context.WithCancel(parent)
	return s
}

func (s *Session) Close() { s.cancel() }

// Negative: called explicitly on both branches.
func probe(ctx context.Context, check func(context.Context) bool) error {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	if !check(ctx) {
		cancel()
		return errors.New("probe failed")
	}
	cancel()
	return nil
}

// Positive: a handler closure that returns early without cancelling.
func timeoutHandler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second) // want GLK402
		if r.Method == http.MethodOptions {
			w.WriteHeader(http.StatusNoContent)
			return // related GLK402 "this return is reached without calling cancel"
		}
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// Negative: the cancel function is wrapped in a closure that is deferred.
func withStop(ctx context.Context, run func(context.Context)) {
	ctx, cancel := context.WithCancelCause(ctx)
	stop := func() { cancel(errors.New("done")) }
	defer stop()
	run(ctx)
}
