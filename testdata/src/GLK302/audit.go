package glk302

import (
	"errors"
	"net/http"
	"sync"
	"time"
)

type Entry struct {
	Path string
	At   time.Time
}

var mu sync.Mutex

// Positive: one entry per request, forever.
var auditLog []Entry // want GLK302 "package-level slice auditLog is appended to at runtime"

func handle(w http.ResponseWriter, r *http.Request) {
	mu.Lock()
	auditLog = append(auditLog, Entry{Path: r.URL.Path, At: time.Now()})
	mu.Unlock()
	w.WriteHeader(http.StatusOK)
}

// Positive: made with a capacity, grown by a method.
var history = make([]string, 0, 64) // want GLK302

type Shell struct{}

func (Shell) Run(cmd string) {
	mu.Lock()
	history = append(history, cmd)
	mu.Unlock()
}

// Positive: listeners added per connection and never removed.
var listeners []func(string) // want GLK302

func AddListener(f func(string)) {
	mu.Lock()
	listeners = append(listeners, f)
	mu.Unlock()
}

// Positive: a named slice type.
type Span struct{ Name string }
type Spans []Span

var collected Spans // want GLK302

func record(name string) {
	mu.Lock()
	collected = append(collected, Span{Name: name})
	mu.Unlock()
}

// Positive: every failure ever seen, appended by a worker.
var failures = []error{} // want GLK302

func worker(jobs <-chan func() error) {
	for job := range jobs {
		if err := job(); err != nil {
			mu.Lock()
			failures = append(failures, err)
			mu.Unlock()
		}
	}
}

// Positive: a goroutine started in init samples forever.
var samples []float64 // want GLK302

func init() {
	go func() {
		for range time.Tick(time.Second) {
			mu.Lock()
			samples = append(samples, float64(time.Now().UnixNano()))
			mu.Unlock()
		}
	}()
}

// Positive: a handler registered in init runs per request.
var uploads [][]byte // want GLK302

func init() {
	http.HandleFunc("/upload", func(w http.ResponseWriter, r *http.Request) {
		body := make([]byte, r.ContentLength)
		mu.Lock()
		uploads = append(uploads, body)
		mu.Unlock()
	})
}

// Positive: called from init and from requests alike.
var origins []string // want GLK302

func allowOrigin(origin string) {
	mu.Lock()
	origins = append(origins, origin)
	mu.Unlock()
}

func init() { allowOrigin("https://example.com") }

func corsHandler(w http.ResponseWriter, r *http.Request) {
	allowOrigin(r.Header.Get("Origin"))
}

// Positive: a conversion-typed buffer grown by every Write.
var transcript = []byte(nil) // want GLK302

type recorder struct{}

func (recorder) Write(p []byte) (int, error) {
	mu.Lock()
	transcript = append(transcript, p...)
	mu.Unlock()
	return len(p), nil
}

// Positive: an emptiness check is not a limit.
var retries []time.Time // want GLK302

func retryLater() error {
	mu.Lock()
	defer mu.Unlock()
	retries = append(retries, time.Now())
	if len(retries) > 0 {
		return errors.New("retry scheduled")
	}
	return nil
}
