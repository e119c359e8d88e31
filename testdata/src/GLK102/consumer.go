package glk102

import (
	"context"
	clock "time"
)

// Positive: an idle timeout made with time.After for every message.
func Consume(in <-chan Message) error {
	for {
		select {
		case m, ok := <-in:
			if !ok {
				return errClosed
			}
			handle(m)
		case <-clock.After(30 * clock.Second): // want GLK102 "time.After in a loop"
			return errIdle
		}
	}
}

// Negative: one idle timer for the whole loop, reset after each message.
func ConsumeReset(in <-chan Message) error {
	idle := clock.NewTimer(30 * clock.Second)
	defer idle.Stop()
	for {
		select {
		case m := <-in:
			handle(m)
			idle.Reset(30 * clock.Second)
		case <-idle.C:
			return errIdle
		}
	}
}

// Positive: a busy poll with a default case makes a timer on every spin.
func Drain(in <-chan Message, done <-chan struct{}) int {
	n := 0
	for {
		select {
		case <-done:
			return n
		case <-clock.After(clock.Second): // want GLK102
			return n
		default:
			n++
		}
	}
}

// Positive: the timeout channel made at the top of each iteration, abandoned by the data arm.
func (c *Client) Pump(ctx context.Context, out chan<- *Message) error {
	for {
		timeout := clock.After(c.timeout) // want GLK102
		select {
		case m := <-c.pending:
			out <- m
		case <-timeout:
			return errTimeout
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Positive: time.NewTimer(d).C in place is time.After by another name.
func Forward(in <-chan Message, out chan<- Message, d clock.Duration) {
	for {
		select {
		case m := <-in:
			out <- m
		case <-clock.NewTimer(d).C: // want GLK102
			return
		}
	}
}

// Negative: the "poll every interval until cancelled" idiom: the other arm leaves the loop,
// so each timer is either fired or the last one.
func PollUntil(ctx context.Context, interval clock.Duration, check func() bool) error {
	for {
		if check() {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-clock.After(interval):
		}
	}
}

// Negative: time.After as a sleep in a retry loop; nothing abandons it.
func Retry(attempts int, op func() error) error {
	var err error
	for i := 0; i < attempts; i++ {
		if err = op(); err == nil {
			return nil
		}
		<-clock.After(clock.Duration(i) * clock.Second)
	}
	return err
}

// Negative: one overall deadline made before the loop.
func Collect(in <-chan Message, max int) []Message {
	var got []Message
	deadline := clock.After(5 * clock.Second)
	for len(got) < max {
		select {
		case m := <-in:
			got = append(got, m)
		case <-deadline:
			return got
		}
	}
	return got
}

// Negative: time.After outside any loop: one timer per call, the usual select timeout.
func (c *Client) Receive() (*Message, error) {
	select {
	case m := <-c.pending:
		return m, nil
	case <-clock.After(c.timeout):
		return nil, errTimeout
	}
}

// Negative: After on an injected clock is not the time package.
func (c *Client) WaitIdle(in <-chan Message) {
	for {
		select {
		case m := <-in:
			handle(m)
		case <-c.clock.After(c.timeout):
			return
		}
	}
}

// Negative: a timer per iteration, stopped before the iteration ends.
func ConsumeEach(in <-chan Message, d clock.Duration) {
	for {
		t := clock.NewTimer(d)
		select {
		case m := <-in:
			t.Stop()
			handle(m)
		case <-t.C:
			return
		}
	}
}

// Positive: a timer per iteration abandoned by the message arm.
func ConsumeEachLeaky(in <-chan Message, d clock.Duration) {
	for {
		t := clock.NewTimer(d) // want GLK102 "every loop iteration"
		select {
		case m := <-in:
			handle(m)
		case <-t.C:
			return
		}
	}
}

// Negative: a wait for exactly two acknowledgements; at most two timers, bounded.
func AwaitBoth(acks <-chan error) error {
	for i := 0; i < 2; i++ {
		select {
		case err := <-acks:
			if err != nil {
				return err
			}
		case <-clock.After(10 * clock.Second):
			return errTimeout
		}
	}
	return nil
}
