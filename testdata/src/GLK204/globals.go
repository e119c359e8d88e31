package glk204

// Positive: results is filled but nothing reads it any more.
var results = make(chan int, 4)

func publish(v int) {
	results <- v // want GLK204 "nothing in this package receives from the package variable results"
}

// Negative: the same shape with its reader.
var requests = make(chan int)

func submit(v int) { requests <- v }

func serveRequests() {
	for v := range requests {
		_ = v
	}
}
