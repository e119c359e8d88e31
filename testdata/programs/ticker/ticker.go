// Package ticker runs background health checks. Each Watch starts a goroutine that ticks
// forever: the ticker is never stopped and the goroutine has no way to exit.
package ticker

import "time"

// Watch calls check(name) every interval, in the background.
func Watch(name string, interval time.Duration, check func(string)) {
	go func() {
		ticker := time.NewTicker(interval)
		for range ticker.C {
			check(name)
		}
	}()
}
