package worker

import (
	"io"
	"os"
)

// Concat copies every file into out. Each deferred Close waits for the function to
// return, so every file stays open until the last one is copied.
func Concat(out io.Writer, paths []string) error {
	for _, path := range paths {
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close() // want GLK502
		if _, err := io.Copy(out, f); err != nil {
			return err
		}
	}
	return nil
}

// ConcatFixed closes each file before opening the next.
func ConcatFixed(out io.Writer, paths []string) error {
	for _, path := range paths {
		if err := copyFile(out, path); err != nil {
			return err
		}
	}
	return nil
}

func copyFile(out io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(out, f)
	return err
}
