// Package handler answers lookups under a deadline. Its worker goroutine leaks whenever the
// deadline wins: nobody is left to receive the result, so the send blocks forever.
package handler

import (
	"fmt"
	"net/http"
	"time"
)

// Timeout is how long Lookup waits for the backend before giving up.
var Timeout = 10 * time.Millisecond

// Backend is how long the (simulated) backend takes to answer.
var Backend = 50 * time.Millisecond

// Lookup serves /lookup?q=...: it asks the backend in a goroutine and gives up after Timeout.
func Lookup(w http.ResponseWriter, r *http.Request) {
	result := make(chan string)
	go func() {
		result <- slowLookup(r.URL.Query().Get("q"))
	}()
	select {
	case answer := <-result:
		fmt.Fprintln(w, answer)
	case <-time.After(Timeout):
		http.Error(w, "lookup timed out", http.StatusGatewayTimeout)
	}
}

func slowLookup(query string) string {
	time.Sleep(Backend)
	return "answer for " + query
}
