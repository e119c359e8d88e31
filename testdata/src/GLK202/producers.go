package glk202

// Negative: the producer's last act is the send on finished; once that is received, every
// square before it has been received too.
func SumSquaresSignalled(n int) int {
	squares := make(chan int)
	finished := make(chan bool)
	go func() {
		for i := 0; i < n; i++ {
			squares <- i * i
		}
		finished <- true
	}()
	total := 0
	for {
		select {
		case sq := <-squares:
			total += sq
		case <-finished:
			return total
		}
	}
}

// Positive: a trailer is sent after the signal, and nothing receives it.
func SumSquaresWithTrailer(n int) int {
	squares := make(chan int)
	finished := make(chan bool)
	go func() {
		for i := 0; i < n; i++ {
			squares <- i * i // want GLK202
		}
		finished <- true
		squares <- -1
	}()
	total := 0
	for {
		select {
		case sq := <-squares:
			total += sq
		case <-finished:
			return total
		}
	}
}
