package glk302

import (
	"sync"
)

// Negative: appended only in init.
var mimeTypes []string

func init() {
	mimeTypes = append(mimeTypes, "text/plain", "application/json")
}

// Negative: an unexported helper called only from init.
type Route struct{ Pattern string }

var routes []Route

func addRoute(p string) { routes = append(routes, Route{Pattern: p}) }

func init() {
	addRoute("/")
	addRoute("/health")
}

// Negative: a package-level initialiser fills it.
var primes []int
var primesReady = fillPrimes(50)

func fillPrimes(n int) bool {
	for i := 2; i < n; i++ {
		isPrime := true
		for _, p := range primes {
			if i%p == 0 {
				isPrime = false
				break
			}
		}
		if isPrime {
			primes = append(primes, i)
		}
	}
	return true
}

// Negative: reset to nil by Reset.
var batch []string

func Add(item string) {
	mu.Lock()
	batch = append(batch, item)
	mu.Unlock()
}

func Reset() {
	mu.Lock()
	batch = nil
	mu.Unlock()
}

// Negative: a bounded sliding window.
const maxWindow = 100

var window []float64

func observe(v float64) {
	mu.Lock()
	window = append(window, v)
	if len(window) > maxWindow {
		window = window[1:]
	}
	mu.Unlock()
}

// Negative: guarded by a limit.
var queue []string

func enqueue(s string) bool {
	mu.Lock()
	defer mu.Unlock()
	if len(queue) >= 512 {
		return false
	}
	queue = append(queue, s)
	return true
}

// Negative: the address is handed to code that drains it.
var inbox []string

func deliver(msg string) {
	mu.Lock()
	inbox = append(inbox, msg)
	mu.Unlock()
}

func drainInbox() []string { return drain(&inbox) }

func drain(s *[]string) []string {
	out := *s
	*s = nil
	return out
}

// Negative: filled once through sync.Once.
var (
	keywordsOnce sync.Once
	keywords     []string
)

func Keywords() []string {
	keywordsOnce.Do(func() {
		keywords = append(keywords, "break", "case", "chan")
	})
	return keywords
}

// Negative: a local slice shadows the package-level name.
var scratch []int

func evens(n int) []int {
	var scratch []int
	for i := 0; i < n; i += 2 {
		scratch = append(scratch, i)
	}
	return scratch
}

// Negative: reused from the start each call (append onto s[:0] replaces it).
var line []byte

func format(parts ...string) string {
	line = append(line[:0], '[')
	for _, p := range parts {
		line = append(line, p...)
	}
	return string(line)
}

// Negative: an array, not a slice.
var ring [16]int
var ringPos int

func push(v int) {
	ring[ringPos%len(ring)] = v
	ringPos++
}

func keepCompiling() int { return len(scratch) + len(primes) + len(mimeTypes) + len(routes) }

var _ = primesReady
