package glk401

import (
	"context"
	"errors"
	"log"
	"net/http"
	"time"
)

type Locker interface {
	Lock(ctx context.Context, key string) error
	Unlock(ctx context.Context, key string) error
}

// Negative: the deferred unlock must run even when ctx is already cancelled.
func withLock(ctx context.Context, l Locker, key string, fn func(context.Context) error) error {
	if err := l.Lock(ctx, key); err != nil {
		return err
	}
	defer l.Unlock(context.Background(), key)
	return fn(ctx)
}

// Negative: a deferred closure doing clean-up after the request is over.
func withTempRecord(ctx context.Context, s Store, o Order, fn func(context.Context) error) error {
	if err := s.Save(ctx, o); err != nil {
		return err
	}
	defer func() {
		if err := s.Save(context.Background(), Order{ID: o.ID}); err != nil {
			log.Printf("reset %s: %v", o.ID, err)
		}
	}()
	return fn(ctx)
}

// Negative: graceful shutdown after ctx is done, with its own timeout.
func serve(ctx context.Context, srv *http.Server) error {
	go func() {
		<-ctx.Done()
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdownCtx)
	}()
	return srv.ListenAndServe()
}

// Negative: a select arm that runs once ctx is done flushes on a fresh root.
func pump(ctx context.Context, in <-chan Order, s Store) {
	var pending []Order
	for {
		select {
		case o := <-in:
			pending = append(pending, o)
		case <-ctx.Done():
			for _, o := range pending {
				_ = s.Save(context.Background(), o)
			}
			return
		}
	}
}

// Negative: the rollback runs because ctx was cancelled; ctx cannot be used for it.
func store(ctx context.Context, s Store, o Order) error {
	err := s.Save(ctx, o)
	if errors.Is(err, context.Canceled) {
		return s.Save(context.Background(), Order{ID: o.ID})
	}
	return err
}

// Negative: a context.AfterFunc callback runs after ctx is done.
func releaseOnCancel(ctx context.Context, l Locker, key string) func() bool {
	return context.AfterFunc(ctx, func() {
		_ = l.Unlock(context.Background(), key)
	})
}

// Negative: ctx.Err() != nil means the caller is gone; compensate on a fresh root.
func compensate(ctx context.Context, s Store, o Order) {
	if ctx.Err() != nil {
		_ = s.Save(context.TODO(), Order{ID: o.ID})
	}
}

type Batch interface {
	Exec(ctx context.Context, stmt string) error
	Rollback(ctx context.Context) error
}

// Negative: after a failed statement the batch is rolled back on a fresh root, because the
// failure may be ctx's own deadline; the rollback has to go through regardless.
func applyAll(ctx context.Context, b Batch, stmts []string) error {
	for _, s := range stmts {
		if err := b.Exec(ctx, s); err != nil {
			_ = b.Rollback(context.Background())
			return err
		}
	}
	return nil
}

// Negative: the same clean-up spelled as a statement.
func applyAllRaw(ctx context.Context, b Batch, stmts []string) error {
	for _, s := range stmts {
		if err := b.Exec(ctx, s); err != nil {
			_ = b.Exec(context.Background(), "ROLLBACK")
			return err
		}
	}
	return nil
}

// Positive: the retry after a failure is the request's real work, not clean-up: it must
// still stop with ctx.
func applyWithRetry(ctx context.Context, b Batch, stmt string) error {
	if err := b.Exec(ctx, stmt); err != nil {
		return b.Exec(context.Background(), stmt) // want GLK401
	}
	return nil
}
