package split

import (
	"sync"
	"time"
)

type entry struct {
	value   []byte
	expires time.Time
}

var (
	mu    sync.Mutex
	cache = map[string]entry{}
)

// Negative: written here; evict.go deletes expired entries.
func Put(key string, value []byte, ttl time.Duration) {
	mu.Lock()
	cache[key] = entry{value: value, expires: time.Now().Add(ttl)}
	mu.Unlock()
}

// Positive: written here, and evict.go only reads it.
var misses = map[string]int{} // want GLK301

func Get(key string) ([]byte, bool) {
	mu.Lock()
	defer mu.Unlock()
	e, ok := cache[key]
	if !ok {
		misses[key]++
	}
	return e.value, ok
}
