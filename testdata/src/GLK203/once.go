package glk203

import (
	"sync/atomic"
	"time"
)

var (
	started  atomic.Bool
	reaperCh chan struct{}
)

func reap() {}

// Negative: started once per process behind a CompareAndSwap.
func ensureReaper() {
	if started.CompareAndSwap(false, true) {
		go func() {
			for range time.Tick(time.Minute) {
				reap()
			}
		}()
	}
}

// Negative: a lazily initialised package-level singleton: checked, then set, then started.
func ensureSignalLoop() {
	if reaperCh != nil {
		return
	}
	reaperCh = make(chan struct{})
	go func() {
		for {
			<-reaperCh
			reap()
		}
	}()
}

type worker struct{ running bool }

// Positive: the per-object guard still starts one goroutine per worker.
func (w *worker) Start() {
	if w.running {
		return
	}
	w.running = true
	go func() { // want GLK203
		for {
			time.Sleep(time.Second)
			reap()
		}
	}()
}
