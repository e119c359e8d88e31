package glk203

import (
	"testing"
	"time"
)

// Positive: a test helper's fake ticker source never stops and outlives the test.
func fakeClock(t *testing.T) <-chan time.Time {
	ch := make(chan time.Time)
	go func() { // want GLK203
		for {
			ch <- time.Now()
		}
	}()
	t.Log("clock started")
	return ch
}

func TestFakeClock(t *testing.T) {
	<-fakeClock(t)
}
