package glk502

import (
	"io"
	"os"
	"path/filepath"
)

// seed writes each named file under dir; its files stay open until it returns.
func seed(dir string, names []string) error {
	for _, name := range names {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		defer f.Close() // negative: every caller passes a literal of three names at most
		if _, err := f.WriteString(name); err != nil {
			return err
		}
	}
	return nil
}

// SeedConfig lays out a config directory.
func SeedConfig(dir string) error {
	return seed(dir, []string{"app.yaml", "db.yaml", "cache.yaml"})
}

// SeedEmpty lays out a directory with one placeholder.
func SeedEmpty(dir string) error {
	placeholders := []string{".keep"}
	return seed(dir, placeholders)
}

// copyInto copies each source file into dir, holding every file to the end.
func copyInto(dir string, sources []string) error {
	for _, src := range sources {
		f, err := os.Open(src)
		if err != nil {
			return err
		}
		defer f.Close() // want GLK502
		data, err := io.ReadAll(f)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(src)), data, 0o600); err != nil {
			return err
		}
	}
	return nil
}

// CopyPair copies two known files.
func CopyPair(dir string) error {
	return copyInto(dir, []string{"a.txt", "b.txt"})
}

// CopyListed copies whatever a listing names: a slice built at run time.
func CopyListed(dir string, listing []string) error {
	return copyInto(dir, listing)
}
