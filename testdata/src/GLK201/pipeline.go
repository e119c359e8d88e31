package glk201

// Positive: the first stage closes its output, the second forgets to close its own.
func pipeline(nums []int) int {
	doubled := make(chan int)
	summed := make(chan int)
	go func() {
		defer close(doubled)
		for _, n := range nums {
			doubled <- 2 * n
		}
	}()
	go func() {
		for d := range doubled {
			summed <- d + 1
		}
	}()
	total := 0
	for s := range summed { // want GLK201
		total += s
	}
	return total
}

// Positive: the channel goes through two helpers (feed, then put) and neither closes it.
func feedAndCollect(items []string) []string {
	ch := make(chan string)
	go feed(items, ch)
	var got []string
	for s := range ch { // want GLK201
		got = append(got, s)
	}
	return got
}

func feed(items []string, out chan string) {
	for _, it := range items {
		put(out, it)
	}
}

func put(out chan string, s string) { out <- s }

// Negative: the helper chain ends in a close.
func feedAndCollectClosed(items []string) []string {
	ch := make(chan string)
	go feedThenClose(items, ch)
	var got []string
	for s := range ch {
		got = append(got, s)
	}
	return got
}

func feedThenClose(items []string, out chan string) {
	feed(items, out)
	finish(out)
}

func finish(out chan string) { close(out) }

// Negative: the channel is passed to a function value; whoever it is may close it.
func viaCallback(produce func(chan<- int)) int {
	ch := make(chan int)
	go produce(ch)
	n := 0
	for v := range ch {
		n += v
	}
	return n
}
