package glk101

import "time"

type pacer struct {
	resize <-chan time.Duration
	quit   <-chan struct{}
	tick   func()
}

// Negative: each replacement stops the old ticker first, and the way out stops the last.
func (p *pacer) run(every time.Duration) {
	t := time.NewTicker(every)
	for {
		select {
		case d := <-p.resize:
			t.Stop()
			t = time.NewTicker(d)
		case <-t.C:
			p.tick()
		case <-p.quit:
			t.Stop()
			return
		}
	}
}

// Negative: the same, with the replacement made only for a positive period.
func (p *pacer) runGuarded(every time.Duration) {
	t := time.NewTicker(every)
	for {
		select {
		case d := <-p.resize:
			t.Stop()
			if d > 0 {
				t = time.NewTicker(d)
			}
		case <-t.C:
			p.tick()
		case <-p.quit:
			t.Stop()
			return
		}
	}
}

// Positive: the replacement forgets to stop the ticker it replaces.
func (p *pacer) runForgetful(every time.Duration) {
	t := time.NewTicker(every)
	for {
		select {
		case d := <-p.resize:
			t = time.NewTicker(d) // want GLK101 "not stopped on every path"
		case <-t.C:
			p.tick()
		case <-p.quit:
			t.Stop()
			return
		}
	}
}

// Positive: each replacement stops the old ticker, but the way out leaves the current one
// running, whichever it is.
func (p *pacer) runLeavesLast(every time.Duration) {
	t := time.NewTicker(every) // want GLK101 "not stopped on every path"
	for {
		select {
		case d := <-p.resize:
			t.Stop()
			t = time.NewTicker(d) // want GLK101 "not stopped on every path"
		case <-t.C:
			p.tick()
		case <-p.quit:
			return
		}
	}
}
