package atomicfile

import (
	"os"
	"path/filepath"
	"testing"
)

// TestWriteFile: the folder is made, a symlink at the name is replaced (not
// written through), and no temp file is left.
func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	other := filepath.Join(dir, "other")
	os.WriteFile(other, []byte("keep"), 0o600)
	p := filepath.Join(dir, "a", "b", "file")
	os.MkdirAll(filepath.Dir(p), 0o700)
	os.Symlink(other, p)
	if err := WriteFile(p, []byte("new")); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(other); string(data) != "keep" {
		t.Errorf("written through a link: %q", data)
	}
	fi, err := os.Lstat(p)
	if err != nil || !fi.Mode().IsRegular() || fi.Mode().Perm() != 0o600 {
		t.Errorf("%v %v", fi, err)
	}
	if err := WriteFile(filepath.Join(dir, "new", "x"), nil); err != nil {
		t.Error(err)
	}
	left, _ := filepath.Glob(filepath.Join(dir, "a", "b", ".*.tmp"))
	if len(left) != 0 {
		t.Errorf("temp files left: %v", left)
	}
}
