// Package pipeline sums values through a consumer goroutine. The producer never closes the
// channel, so every consumer stays parked in its range loop after the last value.
package pipeline

import "sync/atomic"

// Sum hands values to a background consumer that adds them to total.
func Sum(values []int, total *atomic.Int64) {
	jobs := make(chan int)
	go func() {
		for v := range jobs {
			total.Add(int64(v))
		}
	}()
	for _, v := range values {
		jobs <- v
	}
}
