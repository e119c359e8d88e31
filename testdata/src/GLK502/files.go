// Package glk502 holds fixtures for GLK502 defer-close-in-loop: file walkers, HTTP
// fetchers, workers and migrations that defer a release inside a loop.
package glk502

import (
	"bufio"
	"compress/gzip"
	"io"
	"os"
	"strings"
)

// Positive: every file stays open until Sizes returns.
func Sizes(paths []string) (map[string]int64, error) {
	out := make(map[string]int64)
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		defer f.Close() // want GLK502 "every iteration's 'f'"
		st, err := f.Stat()
		if err != nil {
			return nil, err
		}
		out[p] = st.Size()
	}
	return out, nil
}

// Negative: the loop body runs in a function literal, so each defer runs per iteration.
func SizesPerIteration(paths []string) (map[string]int64, error) {
	out := make(map[string]int64)
	for _, p := range paths {
		err := func() error {
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			defer f.Close()
			st, err := f.Stat()
			if err != nil {
				return err
			}
			out[p] = st.Size()
			return nil
		}()
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Positive: a deferred closure that closes is still deferred to the function's end.
func CopyAll(dst io.Writer, paths []string) error {
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer func() { _ = f.Close() }() // want GLK502
		if _, err := io.Copy(dst, f); err != nil {
			return err
		}
	}
	return nil
}

// Positive: the defer sits in an if inside the loop body; still one per iteration.
func Grep(paths []string, needle string) ([]string, error) {
	var hits []string
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		var r io.Reader = f
		if strings.HasSuffix(p, ".gz") {
			zr, err := gzip.NewReader(f)
			if err != nil {
				f.Close()
				return nil, err
			}
			defer zr.Close() // want GLK502 "zr.Close"
			r = zr
		}
		scanner := bufio.NewScanner(r)
		for scanner.Scan() {
			if strings.Contains(scanner.Text(), needle) {
				hits = append(hits, p)
				break
			}
		}
		f.Close()
	}
	return hits, nil
}

// Negative: the files are all needed at once for the merged reader; closing them when the
// function returns is the design.
func Concat(dst io.Writer, paths []string) error {
	var readers []io.Reader
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		readers = append(readers, bufio.NewReader(f))
	}
	_, err := io.Copy(dst, io.MultiReader(readers...))
	return err
}

// Negative: closing values that were opened elsewhere, all at the end.
func CloseAll(files []*os.File) {
	for _, f := range files {
		defer f.Close()
	}
}

// Negative: the first candidate that opens is used and the loop ends right after the defer.
func FirstReadable(candidates []string) ([]byte, error) {
	for _, p := range candidates {
		f, err := os.Open(p)
		if err != nil {
			continue
		}
		defer f.Close()
		return io.ReadAll(f)
	}
	return nil, os.ErrNotExist
}

// Negative: a fixed pair of well-known files; two deferred closes are bounded by design.
func ReadHostFiles() (int64, error) {
	var total int64
	for _, p := range []string{"/etc/hosts", "/etc/resolv.conf"} {
		f, err := os.Open(p)
		if err != nil {
			return 0, err
		}
		defer f.Close()
		st, err := f.Stat()
		if err != nil {
			return 0, err
		}
		total += st.Size()
	}
	return total, nil
}
