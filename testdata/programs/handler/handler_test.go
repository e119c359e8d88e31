package handler

import (
	"net/http/httptest"
	"testing"
	"time"

	"example.com/leakdemo/internal/leakcheck"
)

// TestLookupTimeout fails on purpose: the timed-out lookups leave their workers blocked,
// and the goleak-style check reports them (this is how testdata/dumps gets goleak output).
func TestLookupTimeout(t *testing.T) {
	for i := 0; i < 3; i++ {
		recorder := httptest.NewRecorder()
		Lookup(recorder, httptest.NewRequest("GET", "/lookup?q=go", nil))
	}
	time.Sleep(2 * Backend)
	leakcheck.VerifyNone(t)
}
