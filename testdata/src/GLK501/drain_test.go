package glk501

import (
	"errors"
	"io/fs"
	"net/http"
	"net/http/httptest"
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

// fakeBackend hands the server's Close to t.Cleanup as a method value before returning it.
func fakeBackend(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(srv.Close)
	return srv
}

// dropClients only drops the server's connections at the end; the server keeps running.
func dropClients(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(srv.CloseClientConnections)
	return srv
}

// Negative: fakeBackend's server is closed when the test ends.
func TestFakeBackend(t *testing.T) {
	srv := fakeBackend(t)
	if srv.URL == "" {
		t.Fatal("no URL")
	}
}

// Positive: what dropClients registers closes connections, not the server.
func TestDropClients(t *testing.T) {
	srv := dropClients(t) // want GLK501 "never closed"
	if srv.URL == "" {
		t.Fatal("no URL")
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
