package glk202

import (
	"context"
	"errors"
	"net/http"
	"time"
)

type Response struct {
	Status int
}

func get(url string) *Response { return &Response{Status: len(url)} }

func roundTrip(url string) (*Response, error) {
	if url == "" {
		return nil, errors.New("empty url")
	}
	return get(url), nil
}

// Positive: the request handler's timeout. When ctx is done first, fetch returns and the
// goroutine waits forever to hand over its response.
func fetch(ctx context.Context, url string) (*Response, error) {
	ch := make(chan *Response)
	go func() {
		ch <- get(url) // want GLK202 "fetch can return at line 34 without receiving from ch"
	}()
	select {
	case r := <-ch:
		return r, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Negative: a buffer of one lets the send complete after fetch has gone.
func fetchBuffered(ctx context.Context, url string) (*Response, error) {
	ch := make(chan *Response, 1)
	go func() {
		ch <- get(url)
	}()
	select {
	case r := <-ch:
		return r, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Negative: the sender gives up with the caller.
func fetchCancellable(ctx context.Context, url string) (*Response, error) {
	ch := make(chan *Response)
	go func() {
		select {
		case ch <- get(url):
		case <-ctx.Done():
		}
	}()
	select {
	case r := <-ch:
		return r, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Positive: time.After as the way out.
func fetchWithTimeout(url string, d time.Duration) (*Response, error) {
	done := make(chan *Response)
	go func() { done <- get(url) }() // want GLK202
	select {
	case r := <-done:
		return r, nil
	case <-time.After(d):
		return nil, errors.New("timeout")
	}
}

// Positive: two result channels fed by one goroutine; the ctx case abandons both. The
// goroutine sends on exactly one of them, so the select over both is not itself a leak.
func do(ctx context.Context, url string) (*Response, error) {
	respc := make(chan *Response)
	errc := make(chan error)
	go func() {
		resp, err := roundTrip(url)
		if err != nil {
			errc <- err
			return
		}
		respc <- resp // want GLK202
	}()
	select {
	case resp := <-respc:
		return resp, nil
	case err := <-errc:
		return nil, err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Negative: the same pair without an abandoning case: every path receives what was sent.
func doBlocking(url string) (*Response, error) {
	respc := make(chan *Response)
	errc := make(chan error)
	go func() {
		resp, err := roundTrip(url)
		if err != nil {
			errc <- err
			return
		}
		respc <- resp
	}()
	select {
	case resp := <-respc:
		return resp, nil
	case err := <-errc:
		return nil, err
	}
}

// Positive: an HTTP handler (a function literal) with a deadline.
func register(mux *http.ServeMux, slow func() string) {
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		out := make(chan string)
		go func() {
			out <- slow() // want GLK202 "the function literal can return"
		}()
		select {
		case s := <-out:
			_, _ = w.Write([]byte(s))
		case <-r.Context().Done():
			http.Error(w, "gone", http.StatusServiceUnavailable)
			return
		}
	})
}

// Negative: every path out receives.
func compute(f func() int) int {
	ch := make(chan int)
	go func() { ch <- f() }()
	return <-ch
}

// Negative: the channel is returned; the caller receives.
func async(f func() int) <-chan int {
	ch := make(chan int)
	go func() { ch <- f() }()
	return ch
}
