// Package glk102 holds fixtures for GLK102 timer-not-stopped: an RPC client, message
// consumers and watchdogs, spread over several files of one package.
package glk102

import (
	"errors"
	"net"
	"time"
)

var (
	errTimeout = errors.New("timeout")
	errIdle    = errors.New("idle")
	errClosed  = errors.New("closed")
)

// Message is what the consumers read.
type Message struct {
	ID   int
	Body []byte
}

// Clock lets tests replace the time package; its After is not time.After.
type Clock interface {
	After(d time.Duration) <-chan time.Time
	Now() time.Time
}

// Client sends requests and waits for the matching response.
type Client struct {
	conn     net.Conn
	pending  chan *Message
	timeout  time.Duration
	idle     *time.Timer
	clock    Clock
	handlers map[int]func(*Message)
}

func (c *Client) send(m *Message) error {
	_, err := c.conn.Write(m.Body)
	return err
}

func handle(m Message) { _ = m.ID }
