package glk202

// Negative: nothing ever sends on or closes `never`, so the select can only take the
// result: the sender is always received from.
func awaitResult(compute func() int) int {
	results := make(chan int)
	never := make(chan struct{})
	go func() {
		results <- compute()
	}()
	select {
	case r := <-results:
		return r
	case <-never:
		return -1
	}
}

// Positive: the same shape, but another goroutine closes `abort`, so that arm can win.
func awaitResultOrAbort(compute func() int, giveUp func()) int {
	results := make(chan int)
	abort := make(chan struct{})
	go func() {
		results <- compute() // want GLK202
	}()
	go func() {
		giveUp()
		close(abort)
	}()
	select {
	case r := <-results:
		return r
	case <-abort:
		return -1
	}
}

// Negative (mirror): nobody receives from the unbuffered `nowhere`, so the select can only
// hand the value to the waiting goroutine.
func handOver(v int, use func(int)) {
	values := make(chan int)
	nowhere := make(chan int)
	go func() {
		use(<-values)
	}()
	select {
	case values <- v:
	case nowhere <- v:
	}
}

// Negative: the worker closes `done` as its last act, so receiving from it means the worker
// sent nothing, or its error was already received.
func runWorker(work func() error) error {
	errs := make(chan error)
	done := make(chan struct{})
	go func() {
		if err := work(); err != nil {
			errs <- err
			return
		}
		close(done)
	}()
	select {
	case err := <-errs:
		return err
	case <-done:
		return nil
	}
}

// Positive: `done` is closed before the error is sent, so receiving from it says nothing
// about the send that follows.
func runWorkerEarlyDone(work func() error) error {
	errs := make(chan error)
	done := make(chan struct{})
	go func() {
		err := work()
		close(done)
		if err != nil {
			errs <- err // want GLK202
		}
	}()
	select {
	case err := <-errs:
		return err
	case <-done:
		return nil
	}
}

// Negative: the ready signal is sent once, under a flag that is cleared right after; the
// only other send ends the goroutine. Two receives drain both.
func startPoller(poll func() error) error {
	events := make(chan error, 1)
	go func() {
		first := true
		for {
			if err := poll(); err != nil {
				events <- err
				return
			}
			if first {
				events <- nil
				first = false
			}
		}
	}()
	if err := <-events; err != nil {
		return err
	}
	return <-events
}

// Positive: the flag is never cleared, so every pass sends another ready signal, and the
// error send that ends the goroutine may find the buffer full and nobody receiving.
func startChattyPoller(poll func() error) error {
	events := make(chan error, 1)
	go func() {
		first := true
		for {
			if err := poll(); err != nil {
				events <- err // want GLK202 "before receiving every value sent on events"
				return
			}
			if first {
				events <- nil
			}
		}
	}()
	if err := <-events; err != nil {
		return err
	}
	return <-events
}
