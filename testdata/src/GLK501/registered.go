package glk501

import (
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
)

// Negative: the server's Close is handed back to the caller as a method value.
func startFake(h http.Handler) (url string, stop func()) {
	srv := httptest.NewServer(h)
	return srv.URL, srv.Close
}

// Positive: the near miss keeps only the URL; nothing can close the server.
func startLeakedFake(h http.Handler) string {
	srv := httptest.NewServer(h) // want GLK501 "test server 'srv' from httptest.NewServer is never closed"
	return srv.URL
}

var (
	debugOnce sync.Once
	debugAddr string
)

// startDebugListener runs once per process (through debugOnce): its listener is meant to
// live as long as the process.
func startDebugListener() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return
	}
	debugAddr = ln.Addr().String()
}

// Negative: the listener is opened once and held for the process.
func DebugAddr() string {
	debugOnce.Do(startDebugListener)
	return debugAddr
}

// listenAgain is called on every request: each call leaks a listener.
func listenAgain() string {
	ln, err := net.Listen("tcp", "127.0.0.1:0") // want GLK501 "listener 'ln' from net.Listen is never closed"
	if err != nil {
		return ""
	}
	return ln.Addr().String()
}

// Positive: the near miss, called per request.
func ServeAddr(w http.ResponseWriter, r *http.Request) {
	_, _ = w.Write([]byte(listenAgain()))
}
