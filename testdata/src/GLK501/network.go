package glk501

import (
	"archive/zip"
	"compress/gzip"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"time"
)

// Positive: the handshake error returns without closing the connection.
func Ping(addr string) error {
	conn, err := net.DialTimeout("tcp", addr, time.Second) // want GLK501 "connection"
	if err != nil {
		return err
	}
	if _, err := conn.Write([]byte("PING\r\n")); err != nil {
		return err
	}
	buf := make([]byte, 7)
	_, err = io.ReadFull(conn, buf)
	conn.Close()
	return err
}

// Positive: a health check through a dialer literal never closes what it dialed.
func Reachable(ctx context.Context, addr string) bool {
	conn, err := (&net.Dialer{Timeout: time.Second}).DialContext(ctx, "tcp", addr) // want GLK501
	if err != nil {
		return false
	}
	return conn.RemoteAddr() != nil
}

// Negative: each accepted connection is handed to its own goroutine.
func Serve(addr string, handle func(net.Conn)) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	for {
		conn, err := ln.Accept()
		if err != nil {
			return err
		}
		go handle(conn)
	}
}

// Negative: http.Serve takes the listener over and closes it when it returns.
func ServeHTTP(addr string, h http.Handler) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	return http.Serve(ln, h)
}

// Negative: the connection is closed by the goroutine that proxies it.
func Proxy(client net.Conn, backend string) error {
	upstream, err := net.Dial("tcp", backend)
	if err != nil {
		return err
	}
	go func() {
		defer upstream.Close()
		_, _ = io.Copy(upstream, client)
	}()
	_, err = io.Copy(client, upstream)
	return err
}

// Positive: the archive is opened to count its entries and never closed.
func CountEntries(path string) (int, error) {
	zr, err := zip.OpenReader(path) // want GLK501 "zip archive"
	if err != nil {
		return 0, err
	}
	return len(zr.File), nil
}

// Negative: a gzip reader holds no descriptor (its Close only repeats a Read error); the
// file under it is the resource, and it is closed.
func Gunzip(path string, w io.Writer) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return err
	}
	_, err = io.Copy(w, zr)
	return err
}

// Negative: the worker never returns once connected (its loop ends only in a panic), so
// the connection is held for as long as the worker runs, which is the point.
func relayForever(addr string, frames <-chan []byte) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		panic(err)
	}
	for {
		frame := <-frames
		if _, err := conn.Write(frame); err != nil {
			panic(err)
		}
	}
}

// Positive: the same worker returns once its input is closed, leaving the connection open.
func relayUntilClosed(addr string, frames <-chan []byte) {
	conn, err := net.Dial("tcp", addr) // want GLK501 "never closed"
	if err != nil {
		panic(err)
	}
	for {
		frame, ok := <-frames
		if !ok {
			return
		}
		if _, err := conn.Write(frame); err != nil {
			panic(err)
		}
	}
}
