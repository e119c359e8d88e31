package glk101

import "time"

// Negative: the ticker is made by one closure (when sampling starts) and stopped by the
// deferred closure of the function both closures belong to.
func (s *sampler) collect(samples int) []int {
	var ticker *time.Ticker
	defer func() {
		if ticker != nil {
			ticker.Stop()
		}
	}()
	begin := func() {
		ticker = time.NewTicker(s.every)
	}
	begin()
	var got []int
	for len(got) < samples {
		<-ticker.C
		got = append(got, s.read())
	}
	return got
}

// Positive: the same closures, but the function that owns the variable never stops it.
func (s *sampler) collectLeaky(samples int) []int {
	var ticker *time.Ticker
	begin := func() {
		ticker = time.NewTicker(s.every) // want GLK101 "never stopped"
	}
	begin()
	var got []int
	for len(got) < samples {
		<-ticker.C
		got = append(got, s.read())
	}
	return got
}
