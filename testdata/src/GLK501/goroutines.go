package glk501

import (
	"errors"
	"net"
)

func serve(ln net.Listener) {
	defer ln.Close()
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		c.Close()
	}
}

// Positive: the goroutine takes the listener over only once it starts; the early return
// before it leaves the listener open.
func StartChecked(addr string, ready bool) (string, error) {
	ln, err := net.Listen("tcp", addr) // want GLK501 "not closed on every path"
	if err != nil {
		return "", err
	}
	if !ready {
		return "", errors.New("not ready") // related GLK501 "this return leaves 'ln' open"
	}
	go func() {
		serve(ln)
	}()
	return ln.Addr().String(), nil
}

// Negative: nothing leaves before the goroutine has it.
func Start(addr string) (string, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", err
	}
	go serve(ln)
	return ln.Addr().String(), nil
}
