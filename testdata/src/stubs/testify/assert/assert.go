// Package assert stands in for testify's assert in the fixtures: the names and results the
// rules read, nothing more.
package assert

// TestingT is what an assertion reports a failure to.
type TestingT interface {
	Errorf(format string, args ...any)
}

// NoError reports a non-nil err and says whether err was nil.
func NoError(t TestingT, err error, msgAndArgs ...any) bool {
	if err != nil {
		t.Errorf("unexpected error: %v %v", err, msgAndArgs)
		return false
	}
	return true
}
