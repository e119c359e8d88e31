package glk201

import "sync"

// Pool's jobs channel is made in NewPool and ranged by its workers; Close (in close.go)
// stops accepting work but forgets to close the channel.
type Pool struct {
	jobs   chan Job
	quit   chan struct{}
	wg     sync.WaitGroup
	closed bool
}

func NewPool(n int) *Pool {
	p := &Pool{jobs: make(chan Job), quit: make(chan struct{})}
	for i := 0; i < n; i++ {
		p.wg.Add(1)
		go p.worker()
	}
	return p
}

// Positive: nothing anywhere in the package closes a .jobs field.
func (p *Pool) worker() {
	defer p.wg.Done()
	for j := range p.jobs { // want GLK201 "closes any .jobs field"
		_ = handle(j)
	}
}

func (p *Pool) Submit(j Job) { p.jobs <- j }

// Negative: the queue field is closed by Shutdown in close.go.
type Queue struct {
	items chan string
	names []string
	once  sync.Once
}

func NewQueue() *Queue {
	q := &Queue{}
	q.items = make(chan string, 16)
	go q.consume()
	return q
}

func (q *Queue) consume() {
	for it := range q.items {
		q.names = append(q.names, it)
	}
}

// Negative: a one-variable range over a slice field is not a channel range.
func (q *Queue) count() int {
	n := 0
	for i := range q.names {
		n += i
	}
	return n
}

// Negative: an exported field can be closed by other packages.
type Feed struct {
	Updates chan string
}

func NewFeed() *Feed {
	f := &Feed{Updates: make(chan string)}
	go func() {
		for u := range f.Updates {
			_ = u
		}
	}()
	return f
}
