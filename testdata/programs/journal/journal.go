// Package journal records every event in a package-level slice that is appended to and
// never truncated: the audit trail of a long-running process grows without bound.
package journal

import (
	"sync"
	"time"
)

// Entry is one recorded event with its payload.
type Entry struct {
	At      time.Time
	Payload []byte
}

// PayloadBytes is the size of one entry's payload.
const PayloadBytes = 16 << 10

var (
	mu      sync.Mutex
	entries []Entry
)

// Record appends an event to the journal.
func Record(event string) int {
	mu.Lock()
	defer mu.Unlock()
	entries = append(entries, Entry{At: time.Now(), Payload: append(make([]byte, 0, PayloadBytes), event...)})
	return len(entries)
}
