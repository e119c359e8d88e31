package glk202

import "time"

// Negative: the match is sent at most once: the branch that sends also sets the flag its
// condition tests, and the one receive takes it (the timeout ends the program).
func FirstMatchingLine(lines <-chan string, match func(string) bool, limit time.Duration) string {
	found := make(chan string)
	go func() {
		sent := false
		for line := range lines {
			if !sent && match(line) {
				found <- line
				sent = true
			}
		}
	}()
	select {
	case line := <-found:
		return line
	case <-time.After(limit):
		panic("no matching line in time")
	}
}

// Positive: the flag is set before the test instead of in the sending branch, so every
// later match is sent too and nobody receives it.
func FirstMatchingLineLate(lines <-chan string, match func(string) bool, limit time.Duration) string {
	found := make(chan string)
	go func() {
		sent := false
		for line := range lines {
			if match(line) && !sent {
				found <- line // want GLK202
			}
			sent = len(line) > 0
		}
	}()
	select {
	case line := <-found:
		return line
	case <-time.After(limit):
		panic("no matching line in time")
	}
}

// Negative: the flag is tested by an enclosing if and set right beside the send, so the
// address is sent once however many lines follow.
func ListenAddress(lines <-chan string, parse func(string) (string, bool), limit time.Duration) string {
	address := make(chan string)
	go func() {
		announced := false
		for line := range lines {
			if !announced {
				if addr, ok := parse(line); ok {
					address <- addr
					announced = true
				}
			}
		}
	}()
	select {
	case addr := <-address:
		return addr
	case <-time.After(limit):
		panic("the server never announced its address")
	}
}
