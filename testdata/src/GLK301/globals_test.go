package glk301

import "testing"

// Negative: a map declared in a test file, filled by tests.
var testSeen = map[string]bool{}

func TestLogin(t *testing.T) {
	testSeen[t.Name()] = true
	// Tests writing a production global are not production growth either.
	stats[t.Name()]++
	if len(testSeen) == 0 {
		t.Fatal("empty")
	}
}
