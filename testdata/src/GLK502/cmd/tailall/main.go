// Command tailall prints the last bytes of every file named on the command line.
package main

import (
	"fmt"
	"io"
	"log"
	"os"
)

func main() {
	for _, name := range os.Args[1:] {
		f, err := os.Open(name)
		if err != nil {
			log.Fatal(err)
		}
		defer f.Close() // want GLK502
		if _, err := f.Seek(-512, io.SeekEnd); err != nil {
			_, _ = f.Seek(0, io.SeekStart)
		}
		b, err := io.ReadAll(f)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("==> %s <==\n%s\n", name, b)
	}
}
