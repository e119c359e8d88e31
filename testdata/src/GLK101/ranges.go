package glk101

import "time"

type sampler struct {
	every time.Duration
	fast  bool
	read  func() int
}

// Negative: a range over the ticker's channel never ends by itself: the only way out of
// the loop is the return that stops the ticker first.
func (s *sampler) untilNegative() int {
	t := time.NewTicker(s.every)
	for range t.C {
		if v := s.read(); v < 0 {
			t.Stop()
			return v
		}
	}
	return 0
}

// Positive: the same loop, but a second way out (the break) leaves the ticker running.
func (s *sampler) untilNegativeOrFast() int {
	t := time.NewTicker(s.every) // want GLK101 "not stopped on every path"
	for range t.C {
		if s.fast {
			break
		}
		if v := s.read(); v < 0 {
			t.Stop()
			return v
		}
	}
	return 0
}
