package glk201

// Positive: a log collector that nothing tells to stop; its goroutine waits forever once
// the lines are sent.
func collectLogs(logf func(string), lines []string) {
	logs := make(chan string)
	go func() {
		for l := range logs { // want GLK201
			logf(l)
		}
	}()
	for _, l := range lines {
		logs <- l
	}
}

// Near miss: the same collector, told to stop once the lines are sent.
func collectLogsThenStop(logf func(string), lines []string) {
	entries := make(chan string)
	go func() {
		for l := range entries {
			logf(l)
		}
	}()
	for _, l := range lines {
		entries <- l
	}
	close(entries)
}
