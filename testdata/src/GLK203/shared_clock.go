package glk203

import (
	"sync"
	"sync/atomic"
	"time"
)

var (
	coarseNow  atomic.Int64
	coarseOnce sync.Once
)

// tickCoarseClock keeps coarseNow within a second of the wall clock for the process's life.
func tickCoarseClock() {
	coarseNow.Store(time.Now().Unix())
	go func() { // negative: only ever run through the package-level coarseOnce
		for {
			time.Sleep(time.Second)
			coarseNow.Store(time.Now().Unix())
		}
	}()
}

// CoarseNow is a cheap clock for hot paths.
func CoarseNow() int64 {
	coarseOnce.Do(tickCoarseClock)
	return coarseNow.Load()
}

// Meter starts a clock the first time it is read.
type Meter struct {
	start sync.Once
}

var meterTicks atomic.Int64

func tickMeters() {
	go func() { // want GLK203
		for {
			time.Sleep(time.Second)
			meterTicks.Add(1)
		}
	}()
}

// Read starts a ticker per Meter: a Once in each value runs tickMeters once per Meter.
func (m *Meter) Read() int64 {
	m.start.Do(tickMeters)
	return meterTicks.Load()
}
