package glk502

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"net"
	"os"
)

// Negative for w: the write end is closed by hand before the read; its deferred Close is
// only there for the error returns, which end the function anyway. Positive for r.
func EchoThroughPipes(messages [][]byte) ([][]byte, error) {
	var out [][]byte
	for _, msg := range messages {
		r, w, err := os.Pipe()
		if err != nil {
			return nil, err
		}
		defer r.Close() // want GLK502 "'r' stays open"
		defer w.Close()
		if _, err := w.Write(msg); err != nil {
			return nil, err
		}
		w.Close()
		got, err := io.ReadAll(r)
		if err != nil {
			return nil, err
		}
		out = append(out, got)
	}
	return out, nil
}

// Negative: the explicit Close sits in an if header, so it runs on every iteration too.
func TouchAll(paths []string) error {
	for _, p := range paths {
		f, err := os.Create(p)
		if err != nil {
			return err
		}
		defer f.Close()
		if _, err := f.WriteString("\n"); err != nil {
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
	}
	return nil
}

// Positive: the explicit Close is skipped by the `continue` before it.
func WriteNonEmpty(paths []string, data map[string]string) error {
	for _, p := range paths {
		f, err := os.Create(p)
		if err != nil {
			return err
		}
		defer f.Close() // want GLK502
		if data[p] == "" {
			continue
		}
		if _, err := f.WriteString(data[p]); err != nil {
			return err
		}
		f.Close()
	}
	return nil
}

// Positive: the explicit Close only runs on one branch.
func AppendLines(paths []string, line string, keepOpen bool) error {
	for _, p := range paths {
		f, err := os.OpenFile(p, os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			return err
		}
		defer f.Close() // want GLK502
		if _, err := f.WriteString(line); err != nil {
			return err
		}
		if !keepOpen {
			f.Close()
		}
	}
	return nil
}

type peer struct {
	conn net.Conn
	addr string
}

// Negative: every connection is kept in a struct in the outer slice, for use after the loop.
func DialPeers(addrs []string) ([]byte, error) {
	peers := make([]*peer, len(addrs))
	for i, addr := range addrs {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			return nil, err
		}
		defer conn.Close()
		peers[i] = &peer{conn: conn, addr: addr}
	}
	buf := make([]byte, 1)
	for _, p := range peers {
		if _, err := p.conn.Read(buf); err != nil {
			return nil, err
		}
	}
	return buf, nil
}

// Negative: the literal exists to hold n connections open at once and release them all
// when the loop is done; the iteration only holds each one.
func WarmPool(ctx context.Context, db *sql.DB, n int) error {
	var failed error
	func() {
		for i := 0; i < n; i++ {
			conn, err := db.Conn(ctx)
			if err != nil {
				failed = err
				return
			}
			defer conn.Close()
		}
	}()
	return failed
}

// Positive: the same shape, but the iteration uses the connection: close it per iteration.
func PingEach(ctx context.Context, db *sql.DB, n int) error {
	var failed error
	func() {
		for i := 0; i < n; i++ {
			conn, err := db.Conn(ctx)
			if err != nil {
				failed = err
				return
			}
			defer conn.Close() // want GLK502
			if err := conn.PingContext(ctx); err != nil {
				failed = errors.Join(failed, err)
			}
		}
	}()
	return failed
}

// Positive: a cancel-only context has no timer, and the message does not claim one.
func LookupEach(resolver *net.Resolver, hosts []string) (int, error) {
	found := 0
	for _, h := range hosts {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel() // want GLK502 "every iteration's context stays live"
		addrs, err := resolver.LookupHost(ctx, h)
		if err != nil {
			return found, err
		}
		found += len(addrs)
	}
	return found, nil
}
