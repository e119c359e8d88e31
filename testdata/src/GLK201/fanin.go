package glk201

import (
	"os"
	"os/signal"
	"strings"
)

type Result struct {
	URL string
	Err error
}

// Positive: fan-out over a results channel; every fetcher sends, nobody closes, so the
// collecting range never ends. The fetcher lives in produce.go and only sends.
func fetchAll(urls []string) []Result {
	results := make(chan Result)
	for _, u := range urls {
		go fetchOne(u, results)
	}
	var all []Result
	for r := range results { // want GLK201
		all = append(all, r)
	}
	return all
}

// Negative: the generator in produce.go closes its output parameter when done.
func upper(words []string) []string {
	ch := make(chan string)
	go generate(words, ch)
	var out []string
	for w := range ch {
		out = append(out, strings.ToUpper(w))
	}
	return out
}

// Positive: the producer goroutine sends every square and forgets to close.
func sumSquares(nums []int) int {
	squares := make(chan int)
	go func() {
		for _, n := range nums {
			squares <- n * n
		}
	}()
	total := 0
	for s := range squares { // want GLK201
		total += s
	}
	return total
}

// Negative: the producer closes in a deferred call.
func sumSquaresClosed(nums []int) int {
	squares := make(chan int)
	go func() {
		defer close(squares)
		for _, n := range nums {
			squares <- n * n
		}
	}()
	total := 0
	for s := range squares {
		total += s
	}
	return total
}

// Negative: the channel is handed to another package (signal.Notify); we cannot see all
// that happens to it.
func watchSignals(reload func()) {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt)
	go func() {
		for range sigs {
			reload()
		}
	}()
}

// Negative: the channel escapes into a struct; its new owner may close it.
type stream struct{ out chan string }

func newStream(lines []string) *stream {
	ch := make(chan string)
	s := &stream{}
	s.setOut(ch)
	go func() {
		for l := range ch {
			_ = l
		}
	}()
	return s
}

// Positive: waiting for n done signals with a bare range that nothing ever ends.
func waitAll(tasks []func()) {
	done := make(chan struct{})
	for _, t := range tasks {
		go func(t func()) {
			t()
			done <- struct{}{}
		}(t)
	}
	for range done { // want GLK201
	}
}
