// Package tracker follows visitors through a Tracker that lives as long as the server. Its
// map is a field, not a package-level variable, so no static rule sees that visits are
// added and never forgotten: only the heap profile shows it growing.
package tracker

import "sync"

// TrailBytes is the size of the trail kept for each visit.
const TrailBytes = 16 << 10

type visit struct {
	id    string
	trail []byte
}

// Tracker remembers every visit it is told about.
type Tracker struct {
	mu     sync.Mutex
	visits map[string]*visit
}

// New returns an empty Tracker.
func New() *Tracker {
	return &Tracker{visits: map[string]*visit{}}
}

// Track records the visit id.
func (t *Tracker) Track(id string) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.visits[id] = &visit{id: id, trail: make([]byte, TrailBytes)}
	return len(t.visits)
}
