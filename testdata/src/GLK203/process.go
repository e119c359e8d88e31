package glk203

import (
	"os"
	"sync/atomic"
	"syscall"
	"time"
)

var (
	flushes      atomic.Int64
	flushWorkers int
	maxFlushers  = 4
)

func flushLoop() {
	for {
		time.Sleep(time.Second)
		flushes.Add(1)
	}
}

func init() {
	startFlusher()
	configureFlushing()
}

// Negative: only init calls it (directly, and through configureFlushing), so the flusher
// starts once per process.
func startFlusher() {
	go flushLoop()
}

func configureFlushing() {
	startSecondFlusher()
}

func startSecondFlusher() {
	go flushLoop()
}

// Positive: init calls it, but so does an exported function, as often as its callers like.
func startThirdFlusher() {
	go flushLoop() // want GLK203 "every call of startThirdFlusher starts another"
}

func init() {
	startThirdFlusher()
}

// Reconfigure lets callers restart flushing.
func Reconfigure() {
	startThirdFlusher()
}

// Negative: workers are started until the process-wide count reaches its limit; later
// calls start none.
func growFlushers() {
	for flushWorkers < maxFlushers {
		flushWorkers++
		go flushLoop()
	}
}

type flusherPool struct {
	workers, max int
}

// Positive: the counts belong to each pool, so every new pool starts its own workers.
func (p *flusherPool) grow() {
	for p.workers < p.max {
		p.workers++
		go flushLoop() // want GLK203
	}
}

// Negative: the spinning goroutines die when the process image is replaced right after.
func reexecUnderLoad(argv []string) error {
	for i := 0; i < 4; i++ {
		go func() {
			for {
				flushes.Add(1)
			}
		}()
	}
	return syscall.Exec(argv[0], argv, os.Environ())
}

// Negative: os.Exit follows the go statement on every path.
func exitAfterWarmup(code int) {
	go flushLoop()
	time.Sleep(time.Second)
	os.Exit(code)
}

// Positive: an early return lets the function go back to its caller with the loop running.
func exitUnlessDryRun(dryRun bool) {
	go flushLoop() // want GLK203
	if dryRun {
		return
	}
	os.Exit(0)
}

// Positive: a method named init is not the package initializer; it runs once per value, so
// every beacon made starts another loop that never ends.
type beacon struct{ beats int }

func (p *beacon) init() {
	start := func() {
		go p.beat() // want GLK203 "every call of the function literal in init starts another"
	}
	start()
}

func (p *beacon) beat() {
	for {
		time.Sleep(time.Second)
		p.beats++
	}
}

// NewBeacon makes a beacon; callers make as many as they like.
func NewBeacon() *beacon {
	p := &beacon{}
	p.init()
	return p
}
