package main

import (
	"log"
	"net"
)

// Positive: every connection ever accepted stays referenced.
var conns []net.Conn // want GLK302

func main() {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		conns = append(conns, c)
	}
}
