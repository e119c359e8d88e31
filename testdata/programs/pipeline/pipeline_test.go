package pipeline

import (
	"sync/atomic"
	"testing"

	"example.com/leakdemo/internal/leakcheck"
)

// TestSum fails on purpose: each Sum leaves its consumer parked in the range loop.
func TestSum(t *testing.T) {
	var total atomic.Int64
	for i := 0; i < 3; i++ {
		Sum([]int{1, 2, 3}, &total)
	}
	leakcheck.VerifyNone(t)
}
