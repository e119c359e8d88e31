package glk102

import (
	"testing"
	"time"
)

// Negative: the other arm fails the test, which ends the goroutine: no iteration goes round
// the loop with the timer still pending.
func expectSilence(t *testing.T, events <-chan string, names []string) {
	for _, name := range names {
		select {
		case ev := <-events:
			t.Fatalf("%s: unexpected event %q", name, ev)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// Positive: the other arm only logs, and the loop goes on with the timer pending.
func countQuiet(t *testing.T, events <-chan string, names []string) int {
	quiet := 0
	for _, name := range names {
		select {
		case ev := <-events:
			t.Logf("%s: event %q", name, ev)
		case <-time.After(50 * time.Millisecond): // want GLK102 "time.After in a loop"
			quiet++
		}
	}
	return quiet
}

// Negative: a zero-length timer has fired before the select looks at it.
func firstReady(work <-chan int) int {
	for {
		immediate := time.NewTimer(0)
		select {
		case n := <-work:
			return n
		case <-immediate.C:
		}
	}
}

// Negative: by the end of the sleep the timer has fired, whichever arm the select takes.
func firedDuringSleep(d time.Duration) bool {
	timer := time.NewTimer(d)
	time.Sleep(2 * d)
	select {
	case <-timer.C:
		return true
	default:
		return false
	}
}

// Positive: the sleep is shorter than the timer, so the default arm leaves it pending.
func pendingAfterShortSleep(d time.Duration) bool {
	timer := time.NewTimer(2 * d) // want GLK102 "not stopped on every path"
	time.Sleep(d)
	select {
	case <-timer.C:
		return true
	default:
		return false
	}
}
