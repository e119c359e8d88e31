package split

func Flush(send func([]Event)) int {
	mu.Lock()
	defer mu.Unlock()
	send(events)
	events = events[:0]
	return len(dropped)
}
