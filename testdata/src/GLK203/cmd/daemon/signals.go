package main

import (
	"log"
	"os"
	"os/signal"
	"syscall"
)

// RelaySignals forwards the process's signals, logging each. In package main an exported
// name cannot be imported: only main calls it, once, so its relay lives with the process.
//
// Negative: started from a function that only main calls, outside any loop.
func RelaySignals(sigs ...os.Signal) <-chan os.Signal {
	out := make(chan os.Signal, 4)
	go func() {
		in := make(chan os.Signal, 4)
		signal.Notify(in, sigs...)
		for {
			sig := <-in
			log.Printf("signal %v", sig)
			out <- sig
		}
	}()
	return out
}

// WatchReloads forwards SIGHUP; the reload handler below calls it again on every reload.
//
// Positive: another relay starts on every reload and none ever ends.
func WatchReloads() <-chan os.Signal {
	out := make(chan os.Signal, 1)
	go func() { // want GLK203
		in := make(chan os.Signal, 1)
		signal.Notify(in, syscall.SIGHUP)
		for {
			out <- <-in
		}
	}()
	return out
}

func reloadLoop(reload func()) {
	for {
		<-WatchReloads()
		reload()
	}
}
