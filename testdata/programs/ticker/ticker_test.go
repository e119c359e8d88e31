package ticker

import (
	"testing"
	"time"

	"example.com/leakdemo/internal/leakcheck"
)

// TestWatch fails on purpose: the watchers tick forever.
func TestWatch(t *testing.T) {
	for _, name := range []string{"db", "cache", "queue"} {
		Watch(name, time.Hour, func(string) {})
	}
	leakcheck.VerifyNone(t)
}
