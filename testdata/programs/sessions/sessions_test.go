package sessions

import (
	"testing"

	"example.com/leakdemo/internal/leakcheck"
)

// TestLogin fails on purpose: every session's expiry watcher waits forever.
func TestLogin(t *testing.T) {
	for _, user := range []string{"ada", "grace", "ken"} {
		Login(user)
	}
	if Count() != 3 {
		t.Fatalf("Count() = %d, want 3", Count())
	}
	leakcheck.VerifyNone(t)
}
