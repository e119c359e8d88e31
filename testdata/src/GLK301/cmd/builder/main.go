package main

import (
	"fmt"
	"os"
	"sync"
)

// Negative: a build tool's goroutines record what they built; the process exits after.
var (
	mu    sync.Mutex
	built = map[string]bool{}
)

func build(target string, done chan<- string) {
	mu.Lock()
	built[target] = true
	mu.Unlock()
	done <- target
}

func main() {
	done := make(chan string)
	for _, target := range os.Args[1:] {
		go build(target, done)
	}
	for range os.Args[1:] {
		fmt.Println(<-done)
	}
}
