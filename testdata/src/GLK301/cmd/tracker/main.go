package main

import (
	"bufio"
	"log"
	"net"
)

// Positive: a server's accept loop records every peer forever.
var peers = map[string]int{} // want GLK301

func main() {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	for {
		conn, err := l.Accept()
		if err != nil {
			return
		}
		peers[conn.RemoteAddr().String()]++
		go serve(conn)
	}
}

func serve(conn net.Conn) {
	defer conn.Close()
	s := bufio.NewScanner(conn)
	for s.Scan() {
		log.Print(s.Text())
	}
}
