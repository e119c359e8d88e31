package glk204

// Positive: Halted hands the channel out receive-only, so its holders can only wait on it,
// and nothing in the package ever closes halted.
type engine struct {
	halted chan struct{}
}

func newEngine() *engine { return &engine{halted: make(chan struct{})} }

func (e *engine) Halted() <-chan struct{} {
	if e == nil {
		return nil
	}
	return e.halted
}

type supervisor struct {
	engine *engine
}

func (s *supervisor) Engine() *engine { return s.engine }

func (s *supervisor) watch() {
	<-s.Engine().Halted() // want GLK204 "nothing in this package sends on or closes any .halted field"
}

// Negative: the same getter on a channel that shutdown closes.
type pool struct {
	drained chan struct{}
}

func newPool() *pool { return &pool{drained: make(chan struct{})} }

func (p *pool) Drained() <-chan struct{} { return p.drained }

func (p *pool) shutdown() { close(p.drained) }

func waitForPool(p *pool) {
	<-p.Drained()
}

// Negative: a getter that hands out the channel both ways lets its callers close it.
type relay struct {
	out chan int
}

func newRelay() *relay { return &relay{out: make(chan int)} }

func (r *relay) Out() chan int { return r.out }

func (r *relay) push(v int) { r.out <- v }
