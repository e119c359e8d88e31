package split

import "time"

func evictExpired(now time.Time) int {
	mu.Lock()
	defer mu.Unlock()
	evicted := 0
	for k, e := range cache {
		if now.After(e.expires) {
			delete(cache, k)
			evicted++
		}
	}
	return evicted + len(misses)
}

func StartEvictor(every time.Duration) {
	go func() {
		for now := range time.Tick(every) {
			evictExpired(now)
		}
	}()
}
