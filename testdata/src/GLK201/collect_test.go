package glk201

import "testing"

// Positive: a test helper whose log collector is never told to stop.
func collectLogs(t *testing.T, lines []string) {
	logs := make(chan string)
	go func() {
		for l := range logs { // want GLK201
			t.Log(l)
		}
	}()
	for _, l := range lines {
		logs <- l
	}
}

func TestCollect(t *testing.T) {
	collectLogs(t, nil)
}
