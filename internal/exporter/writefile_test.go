package exporter

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestWriteFile: a regular file (or nothing) is replaced whole by a rename;
// a device or a pipe is written as it is and stays what it was; a symlink
// is never renamed over.
func TestWriteFile(t *testing.T) {
	t.Parallel()
	const data = "# Session: new\n"
	for _, tc := range []struct {
		name string
		// setup makes what is at the path and returns a check of what is
		// there after WriteFile.
		setup   func(t *testing.T, path string) func(t *testing.T)
		wantErr string
	}{
		{"nothing there", func(t *testing.T, path string) func(t *testing.T) {
			return func(t *testing.T) { wantFile(t, path, data, 0o600) }
		}, ""},
		{"regular file, replaced by a rename", regularFile(data), ""},
		{"symlink to a regular file, kept", func(t *testing.T, path string) func(t *testing.T) {
			target := filepath.Join(t.TempDir(), "real.md")
			write(t, target, "old\n")
			symlink(t, target, path)
			return func(t *testing.T) {
				wantMode(t, path, fs.ModeSymlink)
				wantFile(t, target, data, 0o600)
			}
		}, ""},
		{"symlink to nothing, refused", func(t *testing.T, path string) func(t *testing.T) {
			target := filepath.Join(t.TempDir(), "missing.md")
			symlink(t, target, path)
			return func(t *testing.T) {
				if _, err := os.Lstat(target); err == nil {
					t.Errorf("%s was created through a dangling symlink", target)
				}
			}
		}, "symlink to a missing file"},
		{"folder, refused", func(t *testing.T, path string) func(t *testing.T) {
			if err := os.Mkdir(path, 0o700); err != nil {
				t.Fatal(err)
			}
			return func(t *testing.T) { wantMode(t, path, fs.ModeDir) }
		}, "is a folder"},
		{"fifo, written", fifo(data), ""},
		{"/dev/null through a symlink, written", func(t *testing.T, path string) func(t *testing.T) {
			symlink(t, "/dev/null", path)
			return func(t *testing.T) {
				wantMode(t, path, fs.ModeSymlink)
				wantMode(t, "/dev/null", fs.ModeDevice|fs.ModeCharDevice)
			}
		}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			path := filepath.Join(dir, "out.md")
			check := tc.setup(t, path)
			err := WriteFile(path, []byte(data))
			if tc.wantErr == "" && err != nil {
				t.Errorf("WriteFile: %v", err)
			}
			if tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Errorf("WriteFile: want an error with %q, have %v", tc.wantErr, err)
			}
			check(t)
			if m, _ := filepath.Glob(filepath.Join(dir, ".*.tmp")); len(m) != 0 {
				t.Errorf("temp files left behind: %v", m)
			}
		})
	}
}

// regularFile puts a file at the path with a second name: a rename leaves
// that name's content as it was, a write in place would change it.
func regularFile(data string) func(t *testing.T, path string) func(t *testing.T) {
	return func(t *testing.T, path string) func(t *testing.T) {
		const old = "old export, longer than the new one\n"
		write(t, path, old)
		link := filepath.Join(filepath.Dir(path), "second-name")
		if err := os.Link(path, link); err != nil {
			t.Fatal(err)
		}
		return func(t *testing.T) {
			wantFile(t, path, data, 0o600)
			wantFile(t, link, old, 0o600)
		}
	}
}

// fifo puts a FIFO at the path, with a reader that does not block to open:
// WriteFile's open then finds it, and the data (far below a pipe's buffer)
// waits in the pipe for the check.
func fifo(data string) func(t *testing.T, path string) func(t *testing.T) {
	return func(t *testing.T, path string) func(t *testing.T) {
		if err := syscall.Mkfifo(path, 0o600); err != nil {
			t.Fatal(err)
		}
		r, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { r.Close() })
		return func(t *testing.T) {
			got, err := io.ReadAll(r)
			if want, have := data, string(got); err != nil || want != have {
				t.Errorf("read from the fifo: want %q, have %q, %v", want, have, err)
			}
			wantMode(t, path, fs.ModeNamedPipe)
		}
	}
}

func write(t *testing.T, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
}

func symlink(t *testing.T, target, path string) {
	t.Helper()
	if err := os.Symlink(target, path); err != nil {
		t.Fatal(err)
	}
}

func wantFile(t *testing.T, path, data string, perm fs.FileMode) {
	t.Helper()
	got, err := os.ReadFile(path)
	if want, have := data, string(got); err != nil || want != have {
		t.Errorf("%s: want %q, have %q, %v", path, want, have, err)
	}
	if fi, err := os.Lstat(path); err != nil || !fi.Mode().IsRegular() || fi.Mode().Perm() != perm {
		t.Errorf("%s: want a regular file of mode %v, have %v, %v", path, perm, fi.Mode(), err)
	}
}

// wantMode checks the type of what is at path (not following a symlink).
func wantMode(t *testing.T, path string, typ fs.FileMode) {
	t.Helper()
	fi, err := os.Lstat(path)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if want, have := typ, fi.Mode().Type(); want != have {
		t.Errorf("%s: want type %v, have %v", path, want, have)
	}
}
