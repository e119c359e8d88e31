package glk401

import (
	"context"
	"net"
	"sync/atomic"
)

type traceIDKey struct{}

// TraceIDFromContext reads the trace id a context carries, if any; it neither blocks nor
// starts anything.
func TraceIDFromContext(ctx context.Context) string {
	id, _ := ctx.Value(traceIDKey{}).(string)
	return id
}

type counter struct{ n atomic.Int64 }

// Add records a measurement; the context is there for its values only.
func (c *counter) Add(ctx context.Context, delta int64) {
	c.n.Add(delta)
	_ = ctx
}

type Gateway struct {
	requestCount counter
	dial     func(ctx context.Context, addr string) (net.Conn, error)
}

// Negative: a value getter and a metric recording only read the context's values; a fresh
// root there holds nothing up and starts nothing.
func (g *Gateway) note(ctx context.Context) string {
	g.requestCount.Add(context.Background(), 1)
	_ = ctx
	return TraceIDFromContext(context.Background())
}

// Negative: reading a value straight off the fresh root.
func (g *Gateway) deadlineOfRoot(ctx context.Context) bool {
	_, ok := context.Background().Deadline()
	_ = ctx
	return ok
}

// Positive: the same fresh root given to a dial, which blocks on the network.
func (g *Gateway) connect(ctx context.Context, addr string) (net.Conn, error) {
	_ = ctx
	return g.dial(context.Background(), addr) // want GLK401
}
