package glk202

// Negative: the table holds two regions, so the loop starts two senders, and both values
// are received before the function returns.
func BothRegions(lookup func(region string) string) (string, string) {
	answers := make(chan string)
	regions := []string{"east", "west"}
	for _, region := range regions {
		go func(r string) { answers <- lookup(r) }(region)
	}
	first := <-answers
	second := <-answers
	return first, second
}

// Positive: the same two senders, but only the faster answer is taken; the other sender
// blocks forever.
func FasterRegion(lookup func(region string) string) string {
	answers := make(chan string)
	regions := []string{"east", "west"}
	for _, region := range regions {
		go func(r string) { answers <- lookup(r) }(region) // want GLK202 "make\(chan string, 2\)"
	}
	return <-answers
}

// Negative: the literal written in place of the table.
func BothZones(lookup func(zone string) string) [2]string {
	answers := make(chan string)
	for _, zone := range []string{"a", "b"} {
		go func(z string) { answers <- lookup(z) }(zone)
	}
	return [2]string{<-answers, <-answers}
}
