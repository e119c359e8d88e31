package main

import "fmt"

// Negative: main parks itself on purpose once the servers are started.
func main() {
	fmt.Println("serving")
	forever := make(chan struct{})
	<-forever
}
