package main

import (
	"log"
	"syscall"
	"time"
)

func report() { log.Print("alive") }

// Negative: started from init and main, these goroutines serve the process by design.
func init() {
	go func() {
		for range time.Tick(time.Minute) {
			report()
		}
	}()
}

func main() {
	go func() {
		for {
			time.Sleep(time.Second)
			report()
		}
	}()
	go reloadLoop(func() { report() })
	<-RelaySignals(syscall.SIGTERM)
}
