package main

import (
	"log"
	"net/http"
	"sync"
)

// Positive: a command that serves HTTP keeps per-client state forever.
var (
	mu      sync.Mutex
	callers = map[string]int{} // want GLK301
)

func status(w http.ResponseWriter, r *http.Request) {
	mu.Lock()
	callers[r.RemoteAddr]++
	mu.Unlock()
	w.WriteHeader(http.StatusOK)
}

func main() {
	http.HandleFunc("/status", status)
	log.Fatal(http.ListenAndServe("127.0.0.1:8080", nil))
}
