package glk203

import (
	"fmt"
	"time"
)

// Negative: an Example is a program in all but name.
func ExampleNewCache() {
	c := NewClosableCache(time.Minute)
	go func() {
		for {
			time.Sleep(time.Second)
			c.evictExpired()
		}
	}()
	fmt.Println("ok")
	// Output: ok
}
