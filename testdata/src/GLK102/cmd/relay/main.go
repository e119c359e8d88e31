// Command relay copies lines from stdin to stdout and gives up after a quiet minute.
package main

import (
	"bufio"
	"fmt"
	"os"
	"time"
)

func main() {
	lines := make(chan string)
	go func() {
		scanner := bufio.NewScanner(os.Stdin)
		for scanner.Scan() {
			lines <- scanner.Text()
		}
		close(lines)
	}()
	for {
		select {
		case line, ok := <-lines:
			if !ok {
				return
			}
			fmt.Println(line)
		case <-time.After(time.Minute): // want GLK102
			fmt.Fprintln(os.Stderr, "relay: idle for a minute")
			os.Exit(1)
		}
	}
}
