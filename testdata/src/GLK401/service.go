package glk401

import (
	"context"
	"database/sql"
	"errors"
	"log"
	"time"
)

type Repo struct {
	db *sql.DB
}

// Positive: an RPC-style method that receives ctx and queries on a fresh root.
func (r *Repo) CountUsers(ctx context.Context, tenant string) (int, error) {
	var n int
	err := r.db.QueryRowContext(context.Background(), "SELECT count(*) FROM users WHERE tenant = ?", tenant).Scan(&n) // want GLK401 "although ctx is at hand"
	return n, err
}

// Negative: uses its ctx.
func (r *Repo) CountOrders(ctx context.Context, tenant string) (int, error) {
	var n int
	err := r.db.QueryRowContext(ctx, "SELECT count(*) FROM orders WHERE tenant = ?", tenant).Scan(&n)
	return n, err
}

// Positive: a worker started under ctx spawns its children from a new cancellable root, so
// cancelling ctx never reaches them.
func (r *Repo) StartSync(ctx context.Context, every time.Duration) {
	syncCtx, cancel := context.WithCancel(context.Background()) // want GLK401
	go func() {
		defer cancel()
		for syncCtx.Err() == nil {
			time.Sleep(every)
			r.sync(syncCtx)
		}
	}()
	<-ctx.Done()
}

func (r *Repo) sync(ctx context.Context) { _ = r.db.PingContext(ctx) }

// Positive: a closure captures the function's ctx but the goroutine uses a new root.
func (r *Repo) Refresh(ctx context.Context, ids []string) {
	for _, id := range ids {
		go func() {
			if err := r.refreshOne(context.Background(), id); err != nil { // want GLK401
				log.Printf("refresh %s: %v", id, err)
			}
		}()
	}
	<-ctx.Done()
}

func (r *Repo) refreshOne(ctx context.Context, id string) error {
	_, err := r.db.ExecContext(ctx, "UPDATE cache SET stale = 1 WHERE id = ?", id)
	return err
}

// Positive: a background loop inside a Run(ctx) re-roots every pass.
func (r *Repo) Run(ctx context.Context) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Minute):
			r.sync(context.TODO()) // want GLK401
		}
	}
}

// Positive: the branch runs while ctx is still alive (Err() == nil), so it should use ctx.
func (r *Repo) Vacuum(ctx context.Context) {
	if ctx.Err() == nil {
		_, _ = r.db.ExecContext(context.Background(), "VACUUM") // want GLK401
	}
}

// Positive: the else branch of a cancellation check runs while ctx is alive.
func (r *Repo) Commit(ctx context.Context, tx *sql.Tx) error {
	if ctx.Err() != nil {
		return tx.Rollback()
	} else {
		r.sync(context.Background()) // want GLK401
	}
	return tx.Commit()
}

// Negative: no context anywhere in scope: the function is a root.
func Open(dsn string) (*Repo, error) {
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		return nil, errors.Join(err, db.Close())
	}
	return &Repo{db: db}, nil
}

// Negative: the context parameter is deliberately ignored (interface implementation).
func (r *Repo) Close(_ context.Context) error {
	r.sync(context.Background())
	return r.db.Close()
}

// Negative: a package-level root for the process.
var processCtx = context.Background()

func Process() context.Context { return processCtx }

// Negative: a nil context is defaulted.
func (r *Repo) Ping(ctx context.Context) error {
	if ctx == nil {
		ctx = context.Background()
	}
	return r.db.PingContext(ctx)
}

// Positive: overwriting the caller's context unconditionally drops its cancellation.
func (r *Repo) Reindex(ctx context.Context) error {
	ctx = context.Background() // want GLK401
	_, err := r.db.ExecContext(ctx, "REINDEX")
	return err
}

// Negative: a long-lived root owned by the object, cancelled by its Close.
type Poller struct {
	ctx    context.Context
	cancel context.CancelFunc
}

func (p *Poller) Start(ctx context.Context, poll func(context.Context)) {
	p.ctx, p.cancel = context.WithCancel(context.Background())
	go poll(p.ctx)
	<-ctx.Done()
}

func (p *Poller) Close() { p.cancel() }

// Negative: a values-only context type embeds a root on purpose.
type valuesOnly struct {
	context.Context
	values context.Context
}

func (v valuesOnly) Value(key any) any { return v.values.Value(key) }

func detachValues(ctx context.Context) context.Context {
	return valuesOnly{Context: context.Background(), values: ctx}
}

// Negative: `_ctx` names the parameter for the reader but marks it unused, as `_` would;
// the body never touches it.
func (r *Repo) Warm(_ctx context.Context) error {
	r.sync(context.Background())
	return nil
}

// Positive: the underscore name is used elsewhere in the body, so the fresh root beside
// it drops a context the function does have.
func (r *Repo) WarmWithin(_ctx context.Context) error {
	if err := _ctx.Err(); err != nil {
		return err
	}
	r.sync(context.Background()) // want GLK401 "although _ctx is at hand"
	return nil
}
