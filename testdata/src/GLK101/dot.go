package glk101

import . "time"

// Positive through a dot import.
func dotImported() {
	t := NewTicker(Second) // want GLK101
	<-t.C
}

func noTick(d Duration) <-chan Time { return nil }

// Negative: a local function whose name ends like a dot-imported one is not time.Tick.
func notTheTimePackage() {
	<-noTick(Second)
}
