package glk201

import (
	"sync"
	"time"
)

type Message struct{ Topic, Body string }

// Broker fans messages out to subscribers. Unsubscribe drops a subscriber from the map
// but forgets to close its inbox, so its delivery goroutine never ends.
type Broker struct {
	mu   sync.Mutex
	subs map[int]*subscriber
	next int
}

type subscriber struct {
	inbox   chan Message
	deliver func(Message)
}

func (b *Broker) Subscribe(deliver func(Message)) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := &subscriber{inbox: make(chan Message, 8), deliver: deliver}
	b.next++
	b.subs[b.next] = s
	go s.run()
	return b.next
}

// Positive: inbox is never closed anywhere.
func (s *subscriber) run() {
	for m := range s.inbox { // want GLK201
		s.deliver(m)
	}
}

func (b *Broker) Unsubscribe(id int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.subs, id)
}

func (b *Broker) Publish(m Message) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, s := range b.subs {
		s.inbox <- m
	}
}

// Package-level channels: auditLog is never closed; metrics is closed by flushMetrics.
var (
	auditLog = make(chan string, 64)
	metrics  = make(chan float64, 64)
	sink     chan int
)

// Positive: the audit writer goroutine ranges over a package channel nobody closes.
func startAudit(write func(string)) {
	go func() {
		for line := range auditLog { // want GLK201 "the package variable auditLog"
			write(line)
		}
	}()
}

func Audit(line string) { auditLog <- line }

// Negative: closed in flushMetrics (metrics.go).
func startMetrics(record func(float64)) {
	go func() {
		for v := range metrics {
			record(v)
		}
	}()
}

// Negative: sink is set from a parameter; its producer is elsewhere.
func SetSink(c chan int) { sink = c }

func startSink(use func(int)) {
	go func() {
		for v := range sink {
			use(v)
		}
	}()
}

// Negative: ranging over a ticker is GLK101's business.
func everySecond(tick func()) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for range t.C {
		tick()
	}
}
