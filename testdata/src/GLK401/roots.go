package glk401

import (
	"context"
	"log/slog"
	"net"
	"time"
)

type tracer interface {
	Printf(ctx context.Context, format string, args ...any)
}

type Dialer struct {
	logger  *slog.Logger
	history tracer
	timeout bool
}

// Negative: comparing with a fresh root only asks "was a context given?"; nothing runs.
func (d *Dialer) hasDeadline(ctx context.Context) bool {
	if ctx != context.Background() {
		_, ok := ctx.Deadline()
		return ok
	}
	return false
}

// Negative: a logger takes the context for its values; logging neither blocks nor spawns.
func (d *Dialer) noteRetry(ctx context.Context, addr string) {
	d.logger.InfoContext(context.Background(), "retrying", "addr", addr)
	slog.DebugContext(context.TODO(), "retry scheduled")
	_ = ctx
}

// Positive: the same call shape on something that is not a logger may do real work.
func (d *Dialer) recordRetry(ctx context.Context, addr string) {
	d.history.Printf(context.Background(), "retry %s", addr) // want GLK401
	_ = ctx
}

// Negative: choosing which context the caller should use is this function's whole job.
func (d *Dialer) contextFor(ctx context.Context) context.Context {
	if d.timeout {
		return ctx
	}
	return context.Background()
}

// Positive: returning work done on a fresh root is not choosing a context.
func (d *Dialer) resolve(ctx context.Context, host string) ([]string, error) {
	return net.DefaultResolver.LookupHost(context.Background(), host) // want GLK401
}

type probe interface {
	Size(ctx context.Context) (int64, error)
}

// Negative: a context cancelled before it is used cannot keep anything running; it asks
// for an answer that needs no network.
func cachedSize(ctx context.Context, p probe) int64 {
	done, cancel := context.WithCancel(context.Background())
	cancel()
	n, _ := p.Size(done)
	_ = ctx
	return n
}

// Positive: cancelled only when the function returns, so the call below runs on a root of
// its own.
func liveSize(ctx context.Context, p probe) int64 {
	live, cancel := context.WithCancel(context.Background()) // want GLK401
	defer cancel()
	n, _ := p.Size(live)
	_ = ctx
	return n
}

// Negative: the root bounds the connection handed back; Close cancels it.
type session struct {
	conn   net.Conn
	cancel context.CancelFunc
}

func (s *session) Close() error {
	s.cancel()
	return s.conn.Close()
}

func openSession(ctx context.Context, conn net.Conn, keepalive func(context.Context)) (*session, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	life, cancel := context.WithCancel(context.Background())
	go keepalive(life)
	return &session{conn: conn, cancel: cancel}, nil
}

// Negative: a timer-bound context and its cancel are returned; the caller owns both.
func cancelLater(parent context.Context, delay time.Duration) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		select {
		case <-parent.Done():
			time.Sleep(delay)
		case <-ctx.Done():
		}
		cancel()
	}()
	return ctx, cancel
}

// Negative: a context derived from the root is what the object keeps, through its cancel.
type forwarder struct{ stop context.CancelFunc }

func startForwarder(ctx context.Context, run func(context.Context)) *forwarder {
	base, cancelBase := context.WithCancel(context.Background())
	fctx, stop := context.WithCancel(base)
	f := &forwarder{}
	f.stop = stop
	go func() {
		run(fctx)
		cancelBase()
	}()
	_ = ctx
	return f
}
