package glk502

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
)

const (
	storeMemory = iota
	storeDisk
	storeKinds // the number of stores: 2
)

const maxReplicas = 1 << 10

func sizeOf(f *os.File) (int64, error) {
	st, err := f.Stat()
	if err != nil {
		return 0, err
	}
	return st.Size(), nil
}

// Negative: the bound is an iota enumeration's terminator, so two files are held at most.
func StoreSizes(open func(kind int) (*os.File, error)) (int64, error) {
	var total int64
	for kind := storeMemory; kind < storeKinds; kind++ {
		f, err := open(kind)
		if err != nil {
			return 0, err
		}
		defer f.Close()
		n, err := sizeOf(f)
		if err != nil {
			return 0, err
		}
		total += n
	}
	return total, nil
}

// Positive: a named constant bound as well, but a thousand files pile up.
func ReplicaSizes(open func(replica int) (*os.File, error)) (int64, error) {
	var total int64
	for replica := 0; replica < maxReplicas; replica++ {
		f, err := open(replica)
		if err != nil {
			return 0, err
		}
		defer f.Close() // want GLK502
		n, err := sizeOf(f)
		if err != nil {
			return 0, err
		}
		total += n
	}
	return total, nil
}

// Negative: a local table of three samples, ranged through its variable.
func SampleSizes(dir string) (int64, error) {
	samples := []string{"small.bin", "medium.bin", "large.bin"}
	var total int64
	for _, name := range samples {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			return 0, err
		}
		defer f.Close()
		n, err := sizeOf(f)
		if err != nil {
			return 0, err
		}
		total += n
	}
	return total, nil
}

// Positive: the table starts small but grows with the caller's names before the loop.
func SampleSizesWith(dir string, extra ...string) (int64, error) {
	samples := []string{"small.bin", "medium.bin"}
	samples = append(samples, extra...)
	var total int64
	for _, name := range samples {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			return 0, err
		}
		defer f.Close() // want GLK502
		n, err := sizeOf(f)
		if err != nil {
			return 0, err
		}
		total += n
	}
	return total, nil
}

var goldenFiles = []string{"header.golden", "body.golden"}

// Negative: a package table of two names that nothing assigns or appends to.
func GoldenSizes(dir string) (int64, error) {
	var total int64
	for _, name := range goldenFiles {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			return 0, err
		}
		defer f.Close()
		n, err := sizeOf(f)
		if err != nil {
			return 0, err
		}
		total += n
	}
	return total, nil
}

var pluginDirs = []string{"/usr/lib/tool"}

// AddPluginDir lets callers grow the table at run time.
func AddPluginDir(dir string) { pluginDirs = append(pluginDirs, dir) }

// Positive: a package table that AddPluginDir appends to: any number of directories.
func PluginDirSizes() (int64, error) {
	var total int64
	for _, dir := range pluginDirs {
		f, err := os.Open(dir)
		if err != nil {
			return 0, err
		}
		defer f.Close() // want GLK502
		n, err := sizeOf(f)
		if err != nil {
			return 0, err
		}
		total += n
	}
	return total, nil
}

// Negative: a map literal of two pools, one connection from each.
func PingPools(ctx context.Context, primary, replica *sql.DB) error {
	pools := map[string]*sql.DB{"primary": primary, "replica": replica}
	for _, db := range pools {
		conn, err := db.Conn(ctx)
		if err != nil {
			return err
		}
		defer conn.Close()
		if err := conn.PingContext(ctx); err != nil {
			return err
		}
	}
	return nil
}

// Positive: the map literal gains an entry per caller-given shard before the loop.
func PingShards(ctx context.Context, primary *sql.DB, shards map[string]*sql.DB) error {
	pools := map[string]*sql.DB{"primary": primary}
	for name, db := range shards {
		pools[name] = db
	}
	for _, db := range pools {
		conn, err := db.Conn(ctx)
		if err != nil {
			return err
		}
		defer conn.Close() // want GLK502
		if err := conn.PingContext(ctx); err != nil {
			return err
		}
	}
	return nil
}

type mirrorConfig struct {
	Dirs  []string
	Quiet bool
}

func startMirror(cfg mirrorConfig) {}

// Negative: the table is a field of a local struct value, written as a literal of one
// directory; handing the struct on by value cannot grow it.
func MirrorOne(dir string) (int64, error) {
	cfg := mirrorConfig{Dirs: []string{dir}, Quiet: true}
	startMirror(cfg)
	var total int64
	for _, d := range cfg.Dirs {
		f, err := os.Open(d)
		if err != nil {
			return 0, err
		}
		defer f.Close()
		n, err := sizeOf(f)
		if err != nil {
			return 0, err
		}
		total += n
	}
	return total, nil
}

// Positive: the field is replaced by the caller's list before the loop.
func MirrorAll(dir string, more []string) (int64, error) {
	cfg := mirrorConfig{Dirs: []string{dir}}
	cfg.Dirs = append(cfg.Dirs, more...)
	var total int64
	for _, d := range cfg.Dirs {
		f, err := os.Open(d)
		if err != nil {
			return 0, err
		}
		defer f.Close() // want GLK502
		n, err := sizeOf(f)
		if err != nil {
			return 0, err
		}
		total += n
	}
	return total, nil
}
