package glk204

// Positive: query sends on the actor's request channel without watching for the loop to
// end, while shutdown (in the same package) does watch serveDone, which serve closes on its
// way out: a query made after shutdown parks forever.
type registry struct {
	requests  chan chan int
	quit      chan struct{}
	serveDone chan struct{}
}

func newRegistry() *registry {
	r := &registry{
		requests:  make(chan chan int),
		quit:      make(chan struct{}),
		serveDone: make(chan struct{}),
	}
	go r.serve()
	return r
}

func (r *registry) serve() {
	for {
		select {
		case reply := <-r.requests:
			reply <- 1
		case <-r.quit:
			close(r.serveDone)
			return
		}
	}
}

func (r *registry) query() int {
	reply := make(chan int, 1)
	r.requests <- reply // want GLK204 "blocks forever once the loop receiving it has stopped"
	return <-reply
}

func (r *registry) shutdown() {
	select {
	case r.quit <- struct{}{}:
	case <-r.serveDone:
	}
}

// Negative: the same query, guarded like shutdown.
func (r *registry) safeQuery() (int, bool) {
	reply := make(chan int, 1)
	select {
	case r.requests <- reply:
		return <-reply, true
	case <-r.serveDone:
		return 0, false
	}
}

// Negative: a state machine whose loops hand over to each other announce no end (they
// close nothing), so a bare send to it is not judged.
type machine struct {
	inputs  chan int
	over    chan struct{}
	leaving chan struct{}
}

func newMachine() *machine {
	return &machine{
		inputs:  make(chan int),
		over:    make(chan struct{}),
		leaving: make(chan struct{}),
	}
}

func (m *machine) idle() {
	for {
		select {
		case v := <-m.inputs:
			if v > 10 {
				return // on to the busy state
			}
		case <-m.leaving:
			return
		}
	}
}

func (m *machine) feed(v int) {
	m.inputs <- v
}

func (m *machine) end() {
	close(m.leaving)
	select {
	case m.inputs <- 0:
	case <-m.over:
	}
}

func (m *machine) done() { close(m.over) }
