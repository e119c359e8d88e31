package main

import (
	"log"
	"net/http"
	"sync"
)

// Positive: a command that serves HTTP keeps every request body.
var (
	mu      sync.Mutex
	reports [][]byte // want GLK302
)

func report(w http.ResponseWriter, r *http.Request) {
	body := make([]byte, 0, 512)
	mu.Lock()
	reports = append(reports, body)
	mu.Unlock()
	w.WriteHeader(http.StatusAccepted)
}

func main() {
	http.HandleFunc("/report", report)
	log.Fatal(http.ListenAndServe("127.0.0.1:8081", nil))
}
