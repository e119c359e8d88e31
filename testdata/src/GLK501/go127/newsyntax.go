// Package glk501go127 holds GLK501 fixtures written with Go 1.26's new(expr) and Go 1.27's
// methods with their own type parameters, syntax the pinned tree-sitter grammar predates: the
// files must parse without syntax errors and the functions around that syntax be analysed.
package glk501go127

import (
	"encoding/json"
	"os"
	"strings"
)

type settings struct {
	retries int
	name    string
}

type loader struct {
	dir   string
	state settings
}

// Positive: new(expr) in the call's own arguments; the file is never closed.
func (l *loader) Défaut() (*settings, error) {
	défaut, err := os.Open(*new(l.dir + "/défaut.json")) // want GLK501 "never closed"
	if err != nil {
		return nil, err
	}
	cfg := new(l.state)
	if err := json.NewDecoder(défaut).Decode(cfg); err != nil {
		return nil, err
	}
	return cfg, nil
}

// Negative: the same with new(expr) around a deferred close.
func (l *loader) Closed() (*int, error) {
	f, err := os.Open(l.dir + "/retries.json")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	retries := new(l.state.retries)
	limit, floor := new(3), new(strings.TrimSpace(l.state.name))
	_, _ = limit, floor
	return retries, json.NewDecoder(f).Decode(retries)
}

// Store keeps values under a directory, one JSON file per key.
type Store[K comparable] struct {
	dir string
}

// Positive: a generic method's body is analysed; the decode error leaves the file open.
func (s *Store[K]) Load[V any](name string) (V, error) {
	var value V
	f, err := os.Open(s.dir + "/" + name) // want GLK501 "not closed on every path"
	if err != nil {
		return value, err
	}
	if err := json.NewDecoder(f).Decode(&value); err != nil {
		return value, err
	}
	f.Close()
	return value, nil
}

// Negative: the same generic method closes the file in a defer.
func (s *Store[K]) LoadClosed[V any, P interface{ *V }](name string) (P, error) {
	f, err := os.Open(s.dir + "/" + name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	value := P(new(V))
	return value, json.NewDecoder(f).Decode(value)
}
