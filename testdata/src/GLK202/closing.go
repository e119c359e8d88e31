package glk202

// Negative: the loop returns only once a receive reports the channel closed, and the
// producer closes it after its last send, so every send has been received by then.
func SumSquares(n int) int {
	squares := make(chan int)
	go func() {
		for i := 0; i < n; i++ {
			squares <- i * i
		}
		close(squares)
	}()
	total := 0
	for {
		sq, ok := <-squares
		if !ok {
			return total
		}
		total += sq
	}
}

// Positive: the same loop also returns once the total passes a limit, with the producer
// still sending.
func SumSquaresUpTo(n, limit int) int {
	squares := make(chan int)
	go func() {
		for i := 0; i < n; i++ {
			squares <- i * i // want GLK202
		}
		close(squares)
	}()
	total := 0
	for {
		sq, ok := <-squares
		if !ok || total > limit {
			return total
		}
		total += sq
	}
}
