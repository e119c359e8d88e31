package glk102

import (
	"log"
	"time"
)

// Positive: the watchdog is stopped on success but not when the read fails, so it later
// closes a connection that may be in use again.
func (c *Client) ReadWithWatchdog(buf []byte) (int, error) {
	watchdog := time.AfterFunc(c.timeout, func() { _ = c.conn.Close() }) // want GLK102 "AfterFunc"
	n, err := c.conn.Read(buf)
	if err != nil {
		return 0, err
	}
	watchdog.Stop()
	return n, nil
}

// Negative: the same watchdog, stopped in a defer.
func (c *Client) ReadWithDeferredWatchdog(buf []byte) (int, error) {
	watchdog := time.AfterFunc(c.timeout, func() { _ = c.conn.Close() })
	defer watchdog.Stop()
	return c.conn.Read(buf)
}

// Negative: fire-and-forget callbacks are what AfterFunc is for.
func (c *Client) ExpireHandler(id int) {
	time.AfterFunc(c.timeout, func() {
		log.Printf("handler %d expired", id)
	})
}

// Negative: the timer is handed to the caller, who can cancel the reminder.
func Remind(after time.Duration, note string) *time.Timer {
	t := time.AfterFunc(after, func() { log.Print(note) })
	return t
}

// Negative: Stop in the if condition runs on every path that reaches it.
func (c *Client) ReadOrTimeout(buf []byte) (int, error) {
	fired := make(chan struct{})
	t := time.AfterFunc(c.timeout, func() { close(fired) })
	n, err := c.conn.Read(buf)
	if !t.Stop() {
		<-fired
		return 0, errTimeout
	}
	return n, err
}
