// Package go123 is built with go 1.23 semantics (see go.mod): unreferenced timers are
// collected even when not stopped, so only the AfterFunc shape is still reported.
package go123

import (
	"context"
	"errors"
	"net"
	"time"
)

var errTimeout = errors.New("timeout")

// Negative on Go 1.23: the abandoned timer is unreferenced after the return and collected.
func Call(ctx context.Context, replies <-chan []byte, d time.Duration) ([]byte, error) {
	timer := time.NewTimer(d)
	select {
	case reply := <-replies:
		return reply, nil
	case <-timer.C:
		return nil, errTimeout
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Negative on Go 1.23: time.After in a loop; each abandoned timer is collected.
func Consume(in <-chan []byte, handle func([]byte)) error {
	for {
		select {
		case b := <-in:
			handle(b)
		case <-time.After(30 * time.Second):
			return errTimeout
		}
	}
}

// Negative on Go 1.23: a timer per iteration, abandoned by the data arm.
func ConsumeEach(in <-chan []byte, handle func([]byte), d time.Duration) {
	for {
		t := time.NewTimer(d)
		select {
		case b := <-in:
			handle(b)
		case <-t.C:
			return
		}
	}
}

// Positive on every version: the runtime keeps a pending AfterFunc timer and runs its
// callback, so the error path still closes a connection it no longer owns.
func ReadWithWatchdog(conn net.Conn, buf []byte, d time.Duration) (int, error) {
	watchdog := time.AfterFunc(d, func() { _ = conn.Close() }) // want GLK102 "AfterFunc"
	n, err := conn.Read(buf)
	if err != nil {
		return 0, err
	}
	watchdog.Stop()
	return n, nil
}
