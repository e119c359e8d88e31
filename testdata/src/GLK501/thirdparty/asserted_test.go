package thirdparty

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Negative: assert.NoError is true when the request worked, and that branch closes the
// body; on the other branch there is no response to close.
func TestFetchAsserted(t *testing.T) {
	resp, err := http.Get("http://127.0.0.1:1/")
	if assert.NoError(t, err) {
		defer resp.Body.Close()
		_ = resp.StatusCode
	}
}

// Positive: the failing branch has nothing to close, but the branch where the request
// worked never closes the body.
func TestFetchAssertedUnclosed(t *testing.T) {
	resp, err := http.Get("http://127.0.0.1:1/") // want GLK501 "never closed"
	if assert.NoError(t, err) {
		_ = resp.StatusCode
	}
}
