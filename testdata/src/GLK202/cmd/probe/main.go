package main

import (
	"fmt"
	"net/http"
	"os"
	"time"
)

// Negative: when main returns, the process exits with its goroutines.
func main() {
	ch := make(chan int)
	go func() {
		resp, err := http.Get(os.Args[1])
		if err != nil {
			ch <- 0
			return
		}
		resp.Body.Close()
		ch <- resp.StatusCode
	}()
	select {
	case code := <-ch:
		fmt.Println(code)
	case <-time.After(5 * time.Second):
		fmt.Println("timeout")
	}
}
