package glk502

import (
	"context"
	"io"
	"net"
	"net/http"
	"sync"
	"time"
)

// Positive: every response body stays open, holding its connection, until FetchAll returns.
func FetchAll(urls []string) ([][]byte, error) {
	var bodies [][]byte
	for _, u := range urls {
		resp, err := http.Get(u)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close() // want GLK502 "resp.Body.Close"
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			return nil, err
		}
		bodies = append(bodies, b)
	}
	return bodies, nil
}

// Positive: the response variable lives outside the loop but is assigned per iteration.
func Poll(client *http.Client, req *http.Request, n int) (int, error) {
	var resp *http.Response
	var err error
	ok := 0
	for i := 0; i < n; i++ {
		resp, err = client.Do(req)
		if err != nil {
			return ok, err
		}
		defer resp.Body.Close() // want GLK502
		if resp.StatusCode == http.StatusOK {
			ok++
		}
	}
	return ok, nil
}

// Positive: a context per request; its timer and cancel stay pending until the function ends.
func CheckAll(ctx context.Context, client *http.Client, urls []string) map[string]error {
	results := make(map[string]error)
	for _, u := range urls {
		reqCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel() // want GLK502 "cancel\(\)"
		req, err := http.NewRequestWithContext(reqCtx, http.MethodHead, u, nil)
		if err != nil {
			results[u] = err
			continue
		}
		resp, err := client.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		results[u] = err
	}
	return results
}

// Negative: the request is made in a helper that defers its own cancel and close.
func CheckAllHelper(ctx context.Context, client *http.Client, urls []string) map[string]error {
	results := make(map[string]error)
	for _, u := range urls {
		results[u] = check(ctx, client, u)
	}
	return results
}

func check(ctx context.Context, client *http.Client, u string) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, u, nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return nil
}

// Negative: a retry loop that returns right after the defer: it never iterates with a
// deferred close pending.
func DialFirst(addrs []string) (string, error) {
	for _, addr := range addrs {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			continue
		}
		defer conn.Close()
		return conn.RemoteAddr().String(), nil
	}
	return "", net.ErrClosed
}

// Negative: all peers are dialled and kept in a map for the broadcast; they are closed
// together when Broadcast returns.
func Broadcast(peers []string, msg []byte) error {
	conns := make(map[string]net.Conn)
	for _, p := range peers {
		c, err := net.Dial("tcp", p)
		if err != nil {
			return err
		}
		defer c.Close()
		conns[p] = c
	}
	for _, c := range conns {
		if _, err := c.Write(msg); err != nil {
			return err
		}
	}
	return nil
}

// Negative: each goroutine defers its own close.
func Serve(ln net.Listener, handle func(net.Conn)) error {
	var wg sync.WaitGroup
	defer wg.Wait()
	for {
		conn, err := ln.Accept()
		if err != nil {
			return err
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer conn.Close()
			handle(conn)
		}()
	}
}

// Positive: the accept loop defers every connection's close to a return that never comes.
func ServeInline(ln net.Listener, handle func(net.Conn)) error {
	for {
		conn, err := ln.Accept()
		if err != nil {
			return err
		}
		defer conn.Close() // want GLK502
		handle(conn)
	}
}
