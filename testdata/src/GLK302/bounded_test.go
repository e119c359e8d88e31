package glk302

import "testing"

var testLog []string

// Negative: tests append to globals in a short-lived process.
func TestHandle(t *testing.T) {
	testLog = append(testLog, t.Name())
	auditLog = append(auditLog, Entry{Path: t.Name()})
	if len(testLog) == 0 {
		t.Fatal("empty")
	}
}
