package glk204

import (
	"context"
	"os"
	"os/signal"
)

type Event struct{ Name string }

// Positive: the consumer that read events was removed; every emit after the buffer fills
// parks its caller.
type auditLog struct {
	entries chan Event
}

func newAuditLog() *auditLog {
	return &auditLog{entries: make(chan Event, 8)}
}

func (a *auditLog) record(e Event) {
	a.entries <- e // want GLK204 "nothing in this package receives from any .entries field"
}

// Negative: the same shape with the consumer still there.
type mailbox struct {
	letters chan Event
}

func newMailbox() *mailbox {
	m := &mailbox{letters: make(chan Event)}
	go m.deliver()
	return m
}

func (m *mailbox) post(e Event) {
	m.letters <- e
}

func (m *mailbox) deliver() {
	for e := range m.letters {
		_ = e
	}
}

// Positive: nothing ever closes or sends on finished, so wait never returns.
type job struct {
	finished chan struct{}
}

func newJob() *job {
	return &job{finished: make(chan struct{})}
}

func (j *job) wait() {
	<-j.finished // want GLK204 "nothing in this package sends on or closes any .finished field"
}

// Negative: stop closes it, so every waiter wakes up.
type task struct {
	stopped chan struct{}
}

func newTask() *task {
	t := &task{}
	t.stopped = make(chan struct{})
	return t
}

func (t *task) stop() { close(t.stopped) }

func (t *task) wait() { <-t.stopped }

// Negative: a send that can give up (a default case) never blocks.
type sampler struct {
	samples chan int
}

func newSampler() *sampler { return &sampler{samples: make(chan int, 1)} }

func (s *sampler) offer(v int) {
	select {
	case s.samples <- v:
	default:
	}
}

// Negative: a receive next to ctx.Done() can leave when the caller gives up.
type gate struct {
	opened chan struct{}
}

func newGate() *gate { return &gate{opened: make(chan struct{})} }

func (g *gate) await(ctx context.Context) error {
	select {
	case <-g.opened:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Negative: handed to another package, which sends on it.
type shutdown struct {
	signals chan os.Signal
}

func newShutdown() *shutdown {
	s := &shutdown{signals: make(chan os.Signal, 1)}
	signal.Notify(s.signals, os.Interrupt)
	return s
}

func (s *shutdown) wait() { <-s.signals }

// Negative: one send into a slot of one, by a function called once per copier: nothing
// reads the slot any more, but the send cannot block.
type copier struct {
	listed chan error
}

func newCopier() *copier {
	return &copier{listed: make(chan error, 1)}
}

func (c *copier) run(names []string) {
	go c.list(names)
}

func (c *copier) list(names []string) {
	for range names {
	}
	c.listed <- nil
}

// Positive: the same slot, but its sender runs once per item: the second send blocks.
type indexer struct {
	indexed chan error
}

func newIndexer() *indexer {
	return &indexer{indexed: make(chan error, 1)}
}

func (x *indexer) run(names []string) {
	for _, name := range names {
		x.index(name)
	}
}

func (x *indexer) index(name string) {
	x.indexed <- nil // want GLK204 "nothing in this package receives from any .indexed field"
}
