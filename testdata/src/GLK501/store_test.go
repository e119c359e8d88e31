package glk501

import (
	"os"
	"testing"
)

// Negative: closed through t.Cleanup in a test.
func TestReadConfig(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "cfg")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	if _, err := f.WriteString(`{"addr": ":9090"}`); err != nil {
		t.Fatal(err)
	}
	cfg, err := ReadConfigDeferred(f.Name())
	if err != nil || cfg.Addr != ":9090" {
		t.Fatalf("got %+v, %v", cfg, err)
	}
}
