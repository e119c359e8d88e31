// Package leakcheck reproduces the failure message of go.uber.org/goleak's VerifyNone.
//
// goleak cannot be downloaded where these programs are built, so this package writes its
// message the way goleak v1.3 does (internal/stack.Stack.String and leaks.go's Find): the
// line "found unexpected goroutines:" followed by the fmt "%s" of a slice of stacks, each
// "Goroutine N in state S, with F on top of the stack:" and the stack's frames. The dumps
// built from it exercise golint-leaks' goleak parser on real frames and real test output.
package leakcheck

import (
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

type stack struct {
	id            int
	state         string
	firstFunction string
	fullStack     string
}

func (s stack) String() string {
	return fmt.Sprintf(
		"Goroutine %v in state %v, with %v on top of the stack:\n%s",
		s.id, s.state, s.firstFunction, s.fullStack)
}

// VerifyNone fails t, as goleak.VerifyNone does, when goroutines other than the test's own
// (and the testing package's) are still alive after a short grace period.
func VerifyNone(t testing.TB) {
	t.Helper()
	var stacks []stack
	for attempt := 0; attempt < 20; attempt++ {
		stacks = unexpected()
		if len(stacks) == 0 {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Error(fmt.Errorf("found unexpected goroutines:\n%s", stacks))
}

func unexpected() []stack {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	chunks := strings.Split(strings.TrimSpace(string(buf)), "\n\n")
	var stacks []stack
	for i, chunk := range chunks {
		if i == 0 {
			continue // the running goroutine: the test itself
		}
		s, ok := parse(chunk)
		if ok && !isTestingStack(s) {
			stacks = append(stacks, s)
		}
	}
	return stacks
}

func parse(chunk string) (stack, bool) {
	header, rest, _ := strings.Cut(chunk, "\n")
	fields := strings.SplitN(strings.TrimSuffix(header, ":"), " ", 3)
	if len(fields) != 3 {
		return stack{}, false
	}
	id, err := strconv.Atoi(fields[1])
	if err != nil {
		return stack{}, false
	}
	state := strings.TrimSuffix(strings.TrimPrefix(fields[2], "["), "]")
	first, _, _ := strings.Cut(rest, "\n")
	if i := strings.LastIndexByte(first, '('); i >= 0 {
		first = first[:i]
	}
	return stack{id: id, state: state, firstFunction: first, fullStack: rest + "\n"}, true
}

func isTestingStack(s stack) bool {
	switch s.firstFunction {
	case "testing.RunTests", "testing.(*T).Run", "testing.(*T).Parallel":
		return strings.HasPrefix(s.state, "chan receive")
	case "os/signal.signal_recv", "os/signal.loop":
		return true
	}
	return false
}
