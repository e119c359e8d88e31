package glk202

import "context"

const (
	lookupSlots = 1
	mirrorCount = 2
)

// Positive: two mirrors answer, but the buffer holds one answer; when ctx ends first the
// second mirror blocks.
func fromMirrors(ctx context.Context, fetch func(int) string) string {
	answers := make(chan string, lookupSlots)
	go func() {
		answers <- fetch(0) // want GLK202 "fromMirrors can return at line 22"
		answers <- fetch(1)
	}()
	select {
	case a := <-answers:
		return a
	case <-ctx.Done():
		return ""
	}
}

// Negative: a buffer of mirrorCount holds both answers.
func fromMirrorsBuffered(ctx context.Context, fetch func(int) string) string {
	answers := make(chan string, mirrorCount)
	go func() {
		answers <- fetch(0)
		answers <- fetch(1)
	}()
	select {
	case a := <-answers:
		return a
	case <-ctx.Done():
		return ""
	}
}
