package glk501

import (
	"errors"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"testing"
)

// scratchFile is a test helper that registers the close itself.
func scratchFile(t *testing.T) *os.File {
	f, err := os.CreateTemp(t.TempDir(), "scratch")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// namedScratch only passes on what scratchFile made.
func namedScratch(t *testing.T, name string) *os.File {
	t.Logf("scratch file for %s", name)
	return scratchFile(t)
}

// Negative: both helpers leave the caller nothing to close.
func TestScratch(t *testing.T) {
	f := scratchFile(t)
	g := namedScratch(t, "second")
	if f.Name() == g.Name() {
		t.Fatal("same file twice")
	}
}

// Negative: the path is named as missing; the open is there for its error.
func TestOpenMissing(t *testing.T) {
	_, err := os.Open(filepath.Join(t.TempDir(), "does-not-exist"))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("got %v", err)
	}
}

// Negative: the test goes on only when the request failed, and then there is no response.
func TestRefused(t *testing.T) {
	_, err := http.Get("http://127.0.0.1:1/")
	if err == nil {
		t.Fatal("request to a closed port succeeded")
	}
}

// Negative: the same with the error matched against a sentinel.
func TestNotThere(t *testing.T) {
	_, err := os.Open(t.TempDir() + "/gone/file")
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("want ErrNotExist, got %v", err)
	}
}

// Positive: a request that succeeds against expectations is reported, not stopped, and
// its response stays open.
func TestShouldFail(t *testing.T) {
	_, err := http.Get("http://127.0.0.1:1/") // want GLK501 "discarded"
	if err == nil {
		t.Error("request to a closed port succeeded")
	}
}
