package main

import (
	"fmt"
	"os"
)

var lines = make(chan string)

// Negative: goroutines started from main and init serve the process by design.
func init() {
	go func() {
		for l := range lines {
			fmt.Fprintln(os.Stderr, l)
		}
	}()
}

func main() {
	events := make(chan string)
	go func() {
		for e := range events {
			lines <- e
		}
	}()
	for _, a := range os.Args[1:] {
		events <- a
	}
}
