// Package glk501 holds fixtures for GLK501 missing-close: a small service with a config
// loader, a segment store, an HTTP client, a database layer and network helpers.
package glk501

import (
	"bufio"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// Config is the service configuration.
type Config struct {
	Addr  string `json:"addr"`
	Debug bool   `json:"debug"`
}

var defaults = Config{Addr: ":8080"}

// Positive: the decode error returns before the explicit Close at the end.
func ReadConfig(path string) (*Config, error) {
	f, err := os.Open(path) // want GLK501 "not closed on every path"
	if err != nil {
		return nil, err
	}
	var cfg Config
	if err := json.NewDecoder(f).Decode(&cfg); err != nil {
		return nil, err
	}
	f.Close()
	return &cfg, nil
}

// Negative: closed in a defer right after the error check.
func ReadConfigDeferred(path string) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var cfg Config
	if err := json.NewDecoder(f).Decode(&cfg); err != nil {
		return nil, err
	}
	return &cfg, nil
}

// Negative: a missing file means defaults; the os.IsNotExist branch has no file to close.
func ReadConfigOrDefaults(path string) (Config, error) {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return defaults, nil
	}
	if err != nil {
		return Config{}, err
	}
	defer f.Close()
	cfg := defaults
	err = json.NewDecoder(f).Decode(&cfg)
	return cfg, err
}

// Positive: a failed write returns without closing; only the happy path closes.
func WriteConfig(path string, cfg Config) error {
	data, err := json.Marshal(cfg)
	if err != nil {
		return err
	}
	f, err := os.Create(path) // want GLK501
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		return err
	}
	return f.Close()
}

// Negative: the close error is kept through a named result in a deferred closure.
func WriteConfigChecked(path string, cfg Config) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	return json.NewEncoder(f).Encode(cfg)
}

// Positive: bufio.NewScanner only borrows the file; nobody closes it.
func CountLines(path string) (int, error) {
	f, err := os.Open(path) // want GLK501 "never closed"
	if err != nil {
		return 0, err
	}
	n := 0
	scanner := bufio.NewScanner(f)
	for scanner.Scan() {
		n++
	}
	return n, scanner.Err()
}

// Positive: "touch" through os.Create leaks the descriptor it opened.
func Touch(path string) error {
	_, err := os.Create(path) // want GLK501 "discarded"
	return err
}

// Negative: an early return hands the open file to the caller.
func OpenConfig(dir string) (*os.File, error) {
	f, err := os.Open(filepath.Join(dir, "config.json"))
	if err != nil {
		return nil, err
	}
	return f, nil
}

// Negative: the `err == nil` form; the other branch has no file.
func FirstLine(path string) (string, error) {
	f, err := os.Open(path)
	if err == nil {
		defer f.Close()
		scanner := bufio.NewScanner(f)
		if scanner.Scan() {
			return scanner.Text(), nil
		}
		return "", scanner.Err()
	}
	return "", err
}

// Negative: opened in the if header and closed inside it.
func Exists(path string) bool {
	if f, err := os.Open(path); err == nil {
		f.Close()
		return true
	}
	return false
}

// Positive: every file of the walk is opened and never closed before the next one.
func HashAll(paths []string, sum func(*bufio.Reader) uint32) (map[string]uint32, error) {
	sums := make(map[string]uint32)
	for _, p := range paths {
		f, err := os.Open(p) // want GLK501 "one per loop iteration"
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			return nil, err
		}
		sums[p] = sum(bufio.NewReader(f))
	}
	return sums, nil
}

// Negative: a test helper closes through t.Cleanup (a callback that outlives the call).
func TempConfig(t *testing.T, cfg Config) *os.File {
	f, err := os.CreateTemp(t.TempDir(), "config-*.json")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	if err := json.NewEncoder(f).Encode(cfg); err != nil {
		t.Fatal(err)
	}
	return f
}

// Negative: the error is sorted out in a tagless switch before the deferred close.
func ConfigSize(path string) (int64, error) {
	f, err := os.Open(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return 0, nil
	case err != nil:
		return 0, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return 0, err
	}
	return st.Size(), nil
}
