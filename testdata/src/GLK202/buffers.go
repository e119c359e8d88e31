package glk202

import "io"

// Negative: the goroutine sends at most once on each channel, and each has a buffer of one,
// so it never waits for a receiver, whichever the caller takes or whether it takes any.
func ReadAllOrQuit(r io.Reader, quit bool) ([]byte, error) {
	data := make(chan []byte, 1)
	failed := make(chan error, 1)
	go func() {
		b, err := io.ReadAll(r)
		if err != nil {
			failed <- err
		}
		data <- b
	}()
	if quit {
		return nil, nil
	}
	select {
	case err := <-failed:
		return nil, err
	case b := <-data:
		return b, nil
	}
}

// Positive: two sends on data, whose buffer holds one: on the quit path the second blocks.
func ReadTwiceOrQuit(r io.Reader, quit bool) ([]byte, error) {
	data := make(chan []byte, 1)
	failed := make(chan error, 1)
	go func() {
		b, err := io.ReadAll(r)
		if err != nil {
			failed <- err
		}
		data <- b // want GLK202
		data <- nil
	}()
	if quit {
		return nil, nil
	}
	select {
	case err := <-failed:
		return nil, err
	case b := <-data:
		return b, nil
	}
}
