package glk201

// Positive: nothing closes .reqs (Shutdown in server.go closes .stop only).
func (s *Server) loop() {
	for r := range s.reqs { // want GLK201
		r.reply <- "ok " + r.path
	}
}

// Negative: the alias is closed, so the field may be closed through it.
type relay struct{ ch chan int }

func newRelay() *relay {
	r := &relay{ch: make(chan int)}
	go func() {
		for v := range r.ch {
			_ = v
		}
	}()
	return r
}

func (r *relay) stop() {
	ch := r.ch
	close(ch)
}
