// Command keygen writes a key file and a report; any failure ends it.
package main

import (
	"errors"
	"fmt"
	"log"
	"os"
)

// writeKey leaves the file open only when a write fails, and every caller ends the program
// on that error.
//
// Negative: the leak is on a path that the program does not outlive.
func writeKey(path string, key []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if len(key) == 0 {
		return errors.New("empty key")
	}
	if _, err := f.Write(key); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Close()
}

// writeReport has the same shape, but one caller only logs the error and goes on.
func writeReport(path string, lines []string) error {
	f, err := os.Create(path) // want GLK501 "not closed on every path"
	if err != nil {
		return err
	}
	for _, line := range lines {
		if _, err := fmt.Fprintln(f, line); err != nil {
			return err
		}
	}
	return f.Close()
}

func main() {
	if err := writeKey("server.key", []byte("k")); err != nil {
		log.Fatal(err)
	}
	err := writeKey("client.key", []byte("c"))
	if err != nil {
		panic(err)
	}
	if err := writeReport("report.txt", os.Args[1:]); err != nil {
		log.Print(err)
	}
	if err := writeReport("summary.txt", nil); err != nil {
		log.Fatal(err)
	}
}
