package glk204

import "testing"

// Negative: a test sends to the registry it keeps serving for the whole test.
func TestQuery(t *testing.T) {
	r := newRegistry()
	reply := make(chan int, 1)
	r.requests <- reply
	if <-reply != 1 {
		t.Fatal("unexpected reply")
	}
	r.shutdown()
}
