package split

import "sync"

type Event struct{ Kind string }

var (
	mu     sync.Mutex
	events []Event
)

// Negative: appended here, truncated by Flush in flush.go.
func Emit(kind string) {
	mu.Lock()
	events = append(events, Event{Kind: kind})
	mu.Unlock()
}

// Positive: appended here; flush.go only reads it.
var dropped []Event // want GLK302

func Drop(e Event) {
	mu.Lock()
	dropped = append(dropped, e)
	mu.Unlock()
}
