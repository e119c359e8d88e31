package glk501

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Store keeps an append-only log split into numbered segment files.
type Store struct {
	dir    string
	active *os.File
}

// openSegment is the package's own constructor: callers in any file must close what it
// returns.
func openSegment(dir string, n int) (*os.File, error) {
	return os.OpenFile(filepath.Join(dir, fmt.Sprintf("%06d.seg", n)), os.O_RDWR|os.O_CREATE, 0o644)
}

// Negative: the segment is kept in the store, which closes it in Close.
func (s *Store) Rotate(n int) error {
	f, err := openSegment(s.dir, n)
	if err != nil {
		return err
	}
	if s.active != nil {
		s.active.Close()
	}
	s.active = f
	return nil
}

// Close closes the active segment.
func (s *Store) Close() error { return s.active.Close() }

// Positive (cross-file): ReadSegment is in another file than openSegment and never closes.
func (s *Store) ReadSegment(n int, w io.Writer) (int64, error) {
	seg, err := openSegment(s.dir, n) // want GLK501 "openSegment"
	if err != nil {
		return 0, err
	}
	return io.Copy(w, seg)
}

// Negative: the segment is wrapped in a struct that owns it.
type segmentReader struct {
	f *os.File
	n int
}

func (s *Store) Reader(n int) (*segmentReader, error) {
	seg, err := openSegment(s.dir, n)
	if err != nil {
		return nil, err
	}
	return &segmentReader{f: seg, n: n}, nil
}

// Negative: the spill file is created lazily inside the loop; a deferred closure written
// before it closes whatever file the variable holds at return.
func (s *Store) Spill(chunks [][]byte, limit int) (n int, err error) {
	var spill *os.File
	defer func() {
		if spill != nil {
			if cerr := spill.Close(); err == nil {
				err = cerr
			}
		}
	}()
	for _, c := range chunks {
		n += len(c)
		if n <= limit {
			continue
		}
		if spill == nil {
			spill, err = os.CreateTemp(s.dir, "spill-*")
			if err != nil {
				return n, err
			}
		}
		if _, err := spill.Write(c); err != nil {
			return n, err
		}
	}
	return n, nil
}
