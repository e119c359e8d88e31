// Command catlines prints the files named on the command line.
package main

import (
	"bufio"
	"fmt"
	"log"
	"os"
)

func main() {
	// Negative: main's own exits end the process, which closes everything.
	out, err := os.Create("catlines.log")
	if err != nil {
		log.Fatal(err)
	}
	w := bufio.NewWriter(out)
	defer w.Flush()
	for _, name := range os.Args[1:] {
		f, err := os.Open(name) // want GLK501 "one per loop iteration"
		if err != nil {
			log.Print(err)
			continue
		}
		scanner := bufio.NewScanner(f)
		for scanner.Scan() {
			fmt.Fprintln(w, scanner.Text())
		}
	}
}
