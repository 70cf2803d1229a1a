package disk

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
)

// MaxSize is the cap the tests read with.
const MaxSize = 10 << 20

func TestMapFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	content := bytes.Repeat([]byte("0123456789abcdef"), 1000)
	data, release, err := Map(write("f", content), MaxSize)
	if err != nil || !bytes.Equal(data, content) {
		t.Fatalf("mapFile: %v, equal %v", err, bytes.Equal(data, content))
	}
	release()
	if data, release, err := Map(write("empty", nil), MaxSize); err != nil || len(data) != 0 {
		t.Fatalf("empty file: %v, %d bytes", err, len(data))
	} else {
		release()
	}
	big := filepath.Join(dir, "big")
	if f, err := os.Create(big); err != nil {
		t.Fatal(err)
	} else {
		f.Truncate(MaxSize + 1)
		f.Close()
	}
	link := filepath.Join(dir, "link")
	os.Symlink(filepath.Join(dir, "f"), link)
	for _, p := range []string{big, link, dir} {
		if _, _, err := Map(p, MaxSize); !errors.Is(err, ErrUnusable) && !errors.Is(err, syscall.EISDIR) {
			t.Errorf("%s: want ErrUnusable, got %v", filepath.Base(p), err)
		}
	}
	if _, _, err := Map(filepath.Join(dir, "missing"), MaxSize); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing: %v", err)
	}
}

// TestGuardFault: a mapped file cut short under a reader is an error, not a
// crash.
func TestGuardFault(t *testing.T) {
	t.Parallel()
	if runtime.GOOS != "linux" {
		t.Skip("Map maps on Linux only")
	}
	p := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(p, bytes.Repeat([]byte("x"), 3*os.Getpagesize()), 0o600); err != nil {
		t.Fatal(err)
	}
	data, release, err := Map(p, MaxSize)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	if err := os.Truncate(p, 0); err != nil {
		t.Fatal(err)
	}
	n := 0
	err = Guarded(func() error {
		for _, c := range data {
			n += int(c)
		}
		return nil
	})
	if !errors.Is(err, ErrFault) {
		t.Fatalf("want ErrFault, got %v", err)
	}
}
