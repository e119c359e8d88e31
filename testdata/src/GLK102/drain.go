package glk102

import "time"

// Negative: the timer is made only on the way out: the case that waits on it ends with a
// return, so the loop never comes round to make another.
func ForwardUntilStopped(msgs <-chan string, stop, drained <-chan struct{}, send func(string) error) {
	for {
		select {
		case m := <-msgs:
			if send(m) != nil {
				return
			}
		case <-stop:
			select {
			case <-drained:
			case <-time.After(time.Second):
			}
			return
		}
	}
}

// Positive: the same inner wait, but the loop goes on after it: every stop signal makes a
// timer, which stays pending when drained wins.
func ForwardThroughPauses(msgs <-chan string, pause, resumed <-chan struct{}, send func(string) error) {
	for {
		select {
		case m := <-msgs:
			if send(m) != nil {
				return
			}
		case <-pause:
			select {
			case <-resumed:
			case <-time.After(time.Second): // want GLK102
			}
		}
	}
}
