package glk102

import (
	"context"
	"time"
)

// Positive: the classic request timeout; a fast response returns and leaves the timer pending.
func (c *Client) Call(m *Message) (*Message, error) {
	if err := c.send(m); err != nil {
		return nil, err
	}
	timer := time.NewTimer(c.timeout) // want GLK102 "not stopped on every path"
	select {
	case resp := <-c.pending:
		return resp, nil
	case <-timer.C:
		return nil, errTimeout
	}
}

// Negative: the same call with the timer stopped in a defer.
func (c *Client) CallStopped(m *Message) (*Message, error) {
	if err := c.send(m); err != nil {
		return nil, err
	}
	timer := time.NewTimer(c.timeout)
	defer timer.Stop()
	select {
	case resp := <-c.pending:
		return resp, nil
	case <-timer.C:
		return nil, errTimeout
	}
}

// Positive: cancellation through the context returns without stopping the timer.
func SleepContext(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d) // want GLK102
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Negative: stopped on the early arm, fired on the other.
func SleepContextStopped(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	select {
	case <-ctx.Done():
		if !t.Stop() {
			<-t.C
		}
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Positive: validation after the timer is made returns before anything waits on it.
func (c *Client) CallChecked(m *Message) (*Message, error) {
	deadline := time.NewTimer(c.timeout) // want GLK102
	if m == nil || len(m.Body) == 0 {
		return nil, errClosed
	}
	defer deadline.Stop()
	if err := c.send(m); err != nil {
		return nil, err
	}
	select {
	case resp := <-c.pending:
		return resp, nil
	case <-deadline.C:
		return nil, errTimeout
	}
}

// Negative: the timer is waited for unconditionally, so it has fired by the return.
func Backoff(attempt int) {
	t := time.NewTimer(time.Duration(attempt) * 100 * time.Millisecond)
	<-t.C
}

// Negative: a constructor hands the timer to its caller.
func NewDeadline(d time.Duration) *time.Timer {
	t := time.NewTimer(d)
	return t
}

// Negative: stored in the client; Close stops it.
func (c *Client) StartIdleTimer() {
	c.idle = time.NewTimer(c.timeout)
}

// Close stops the idle timer.
func (c *Client) Close() error {
	c.idle.Stop()
	return c.conn.Close()
}

// Negative: a goroutine owns the timer and waits for it.
func (c *Client) ExpireLater(id int) {
	t := time.NewTimer(c.timeout)
	go func() {
		<-t.C
		delete(c.handlers, id)
	}()
}

// Positive: a debounce loop that resets its timer and returns on cancellation without Stop.
func Debounce(ctx context.Context, in <-chan string, quiet time.Duration, flush func([]string)) {
	var batch []string
	timer := time.NewTimer(quiet) // want GLK102
	for {
		select {
		case <-ctx.Done():
			return
		case s := <-in:
			batch = append(batch, s)
			if !timer.Stop() {
				select {
				case <-timer.C:
				default:
				}
			}
			timer.Reset(quiet)
		case <-timer.C:
			flush(batch)
			batch = nil
			timer.Reset(quiet)
		}
	}
}

// Negative: the same loop run forever by a daemon goroutine: nothing returns past the timer.
func debounceForever(in <-chan string, quiet time.Duration, flush func([]string)) {
	var batch []string
	timer := time.NewTimer(quiet)
	for {
		select {
		case s := <-in:
			batch = append(batch, s)
		case <-timer.C:
			flush(batch)
			batch = nil
			timer.Reset(quiet)
		}
	}
}

var _ = debounceForever

// Negative: the grace timer is started only on one path, and a deferred closure registered
// before it stops whatever the variable holds when the function returns.
func (c *Client) Shutdown(ctx context.Context, grace time.Duration, done <-chan struct{}) error {
	var graceTimer *time.Timer
	defer func() {
		if graceTimer != nil {
			graceTimer.Stop()
		}
	}()
	select {
	case <-done:
		return nil
	default:
	}
	graceTimer = time.NewTimer(grace)
	select {
	case <-done:
		return nil
	case <-graceTimer.C:
		return errTimeout
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Positive: a timer only ever reset, never stopped nor received from: every return leaves
// it pending.
func (c *Client) Rearm(d time.Duration) bool {
	t := time.NewTimer(d) // want GLK102 "not stopped on every path"
	return t.Reset(2 * d)
}

// Negative: the same timer handed to the caller, who stops it.
func (c *Client) Arm(d time.Duration) *time.Timer {
	t := time.NewTimer(d)
	t.Reset(2 * d)
	return t
}
