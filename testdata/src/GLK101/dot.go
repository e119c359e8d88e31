package glk101

import . "time"

// Positive through a dot import.
func dotImported() {
	t := NewTicker(Second) // want GLK101
	<-t.C
}
