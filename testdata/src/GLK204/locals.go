package glk204

import "fmt"

type conn struct{ id int }

// ignoresDone was meant to signal done when the connection is gone, but never does.
func ignoresDone(c *conn, done chan struct{}) {
	fmt.Println(c.id)
}

// signalsDone closes done when it is finished.
func signalsDone(c *conn, done chan struct{}) {
	defer close(done)
	fmt.Println(c.id)
}

// Positive: the only other holder of done never sends on it or closes it.
func serveUntilDone(c *conn) {
	done := make(chan struct{})
	go ignoresDone(c, done)
	<-done // want GLK204 "nothing in this package sends on or closes the channel made at line 20"
}

// Negative: the helper closes it.
func serveAndWait(c *conn) {
	done := make(chan struct{})
	go signalsDone(c, done)
	<-done
}

// Negative: the field is read through a local alias, which serves the sends on it.
type ticker struct {
	beats chan int
}

func newTicker() *ticker { return &ticker{beats: make(chan int)} }

func (t *ticker) beat(n int) { t.beats <- n }

func (t *ticker) listen() {
	beats := t.beats
	for n := range beats {
		_ = n
	}
}

// Negative: a goroutine waits on a channel nobody closes: GLK202 weighs that receive
// against the starter's exits, not this rule.
func parkWorker() {
	block := make(chan struct{})
	go func() {
		<-block
	}()
}

// Negative: stop closes the field through a local alias, which wakes the waiters.
type lease struct {
	expired chan struct{}
}

func newLease() *lease { return &lease{expired: make(chan struct{})} }

func (l *lease) stop() {
	expired := l.expired
	close(expired)
}

func (l *lease) wait() { <-l.expired }
