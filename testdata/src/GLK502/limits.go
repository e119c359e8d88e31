package glk502

import (
	"errors"
	"fmt"
	"net"
)

// Negative: the loop fills every slot of the server's connection limit and holds each
// connection, untouched, until the dial after the loop has shown that one more is refused.
// Closing them per iteration would defeat the check; they all close when the probe returns.
func ProbeConnectionLimit(addr string) error {
	opened := 0
	for opened < 64 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			return fmt.Errorf("slot %d: %w", opened, err)
		}
		defer c.Close()
		opened++
	}
	extra, err := net.Dial("tcp", addr)
	if err == nil {
		extra.Close()
		return errors.New("server accepted a connection over its limit")
	}
	return nil
}

// Positive: the same loop, but each iteration talks over its connection and is then done
// with it, so the open connections only pile up.
func GreetEach(addr string, greetings int) error {
	for sent := 0; sent < greetings; sent++ {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			return err
		}
		defer c.Close() // want GLK502 "'c' stays open"
		if _, err := c.Write([]byte("hello\n")); err != nil {
			return err
		}
	}
	return nil
}
