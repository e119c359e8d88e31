package glk202ginkgo

import (
	"time"

	ginkgo "github.com/onsi/ginkgo/v2"
)

// Negative: the qualified form; AbortSuite ends the spec as well.
func AnswersWithinASecond(ask func() int) int {
	answer := make(chan int)
	go func() { answer <- ask() }()
	select {
	case n := <-answer:
		return n
	case <-time.After(time.Second):
		ginkgo.AbortSuite("the service is too slow for the rest of the suite")
	}
	return 0
}
