package main

import (
	"fmt"
	"time"
)

// Negative: time.Tick in package main lives as long as the process.
func main() {
	for now := range time.Tick(time.Second) {
		fmt.Println(now)
	}
}
