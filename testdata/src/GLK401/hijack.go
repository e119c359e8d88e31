package glk401

import (
	"bufio"
	"context"
	"net"
	"net/http"
)

type tunnel struct {
	pump func(ctx context.Context, conn net.Conn, rw *bufio.ReadWriter)
}

// Negative: once the handler hijacks the connection, the request's context no longer ends
// when the client goes away, only when the handler returns; a root cancelled on return is
// the same lifetime, spelled out.
func (t *tunnel) serveHijacked(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	hj, ok := w.(http.Hijacker)
	if !ok {
		http.Error(w, "hijacking not supported", http.StatusInternalServerError)
		return
	}
	conn, rw, err := hj.Hijack()
	if err != nil {
		return
	}
	defer conn.Close()
	t.pump(ctx, conn, rw)
}

// Positive: the same hijacking handler, but nothing cancels the root: the pump outlives it.
func (t *tunnel) serveHijackedDetached(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithCancel(context.Background()) // want GLK401
	hj, ok := w.(http.Hijacker)
	if !ok {
		cancel()
		return
	}
	conn, rw, err := hj.Hijack()
	if err != nil {
		cancel()
		return
	}
	go func() {
		defer cancel()
		t.pump(ctx, conn, rw)
	}()
}

// Positive: cancelled on return, but the handler keeps the connection as HTTP: r.Context()
// would also end when the client disconnects, the fresh root does not.
func (t *tunnel) serveStreamed(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithCancel(context.Background()) // want GLK401
	defer cancel()
	t.pump(ctx, nil, bufio.NewReadWriter(bufio.NewReader(r.Body), bufio.NewWriter(w)))
}
