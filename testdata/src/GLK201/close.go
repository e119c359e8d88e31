package glk201

// Close marks the pool closed and stops the quit channel, but never closes p.jobs.
func (p *Pool) Close() {
	p.closed = true
	close(p.quit)
	p.wg.Wait()
}

// Shutdown closes the queue's items exactly once.
func (q *Queue) Shutdown() {
	q.once.Do(func() { close(q.items) })
}
