package hookconf

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// readOnly holds a hook of sess's, so that install and uninstall would
// both change it.
const readOnly = `{"hooks":{"Stop":[{"hooks":[{"type":"command","command":"sess-hook"}]}]}}`

var sameSecond = time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)

func install(b []byte) (Result, error) { return Merge(b, Groups("/bin/sess-hook")) }

// TestEditFileBackups: install, uninstall and install again in one second
// keep three backups under three names, each the file as it was before.
func TestEditFileBackups(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "settings.json")
	writeFile(t, path, `{"model": "opus"}`, 0o600)
	seen := map[string]string{}
	for i, edit := range []func([]byte) (Result, error){install, Remove, install} {
		before := readFile(t, path)
		w, err := EditFile(path, sameSecond, edit)
		if err != nil {
			t.Fatalf("edit %d: %v", i, err)
		}
		if _, dup := seen[w.Backup]; dup || w.Backup == "" {
			t.Fatalf("edit %d: backup %q given before", i, w.Backup)
		}
		seen[w.Backup] = before
	}
	for name, want := range seen {
		if have := readFile(t, name); want != have {
			t.Errorf("%s: want %q, have %q", name, want, have)
		}
	}
}

// TestEditFileRefuses: what a careful user would not want written is
// refused and left exactly as it was.
func TestEditFileRefuses(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		setup func(t *testing.T, dir string) string
		want  error
		check func(t *testing.T, dir string)
	}{
		"read-only": {
			setup: func(t *testing.T, dir string) string {
				p := filepath.Join(dir, "settings.json")
				writeFile(t, p, readOnly, 0o444)
				return p
			},
			want: ErrReadOnly,
			check: func(t *testing.T, dir string) {
				fi, err := os.Stat(filepath.Join(dir, "settings.json"))
				if err != nil || fi.Mode().Perm() != 0o444 || readFile(t, filepath.Join(dir, "settings.json")) != readOnly {
					t.Errorf("the read-only file changed: %v %v", fi.Mode(), err)
				}
			},
		},
		"dangling link": {
			setup: func(t *testing.T, dir string) string {
				p := filepath.Join(dir, "settings.json")
				if err := os.Symlink(filepath.Join(dir, "dotfiles", "settings.json"), p); err != nil {
					t.Fatal(err)
				}
				return p
			},
			want: ErrDanglingLink,
			check: func(t *testing.T, dir string) {
				fi, err := os.Lstat(filepath.Join(dir, "settings.json"))
				if err != nil || fi.Mode()&os.ModeSymlink == 0 {
					t.Errorf("the link is gone: %v %v", fi, err)
				}
				if _, err := os.Stat(filepath.Join(dir, "dotfiles")); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("the link's target was made: %v", err)
				}
			},
		},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			path := tc.setup(t, dir)
			for _, edit := range []func([]byte) (Result, error){install, Remove} {
				if _, err := EditFile(path, sameSecond, edit); !errors.Is(err, tc.want) {
					t.Errorf("want %v, have %v", tc.want, err)
				}
			}
			tc.check(t, dir)
			if bak, _ := filepath.Glob(filepath.Join(dir, "*.bak")); len(bak) > 0 {
				t.Errorf("backups of a refused edit: %v", bak)
			}
		})
	}
}

// TestEditFileLink: a symlinked settings file stays a link; the file it
// points at changes and is backed up beside itself.
func TestEditFileLink(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	target := filepath.Join(dir, "dotfiles", "settings.json")
	os.Mkdir(filepath.Dir(target), 0o700)
	writeFile(t, target, `{"model": "opus"}`, 0o600)
	link := filepath.Join(dir, "settings.json")
	if err := os.Symlink("dotfiles/settings.json", link); err != nil {
		t.Fatal(err)
	}
	w, err := EditFile(link, sameSecond, install)
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link is gone: %v", err)
	}
	if !strings.Contains(readFile(t, target), "sess-hook") || filepath.Dir(w.Backup) != filepath.Dir(target) {
		t.Errorf("target not written or backup elsewhere: %s", w.Backup)
	}
}

// TestEditFileConcurrent: another tool writing the file between sess's
// read and its replace is never overwritten: the edit is done again on
// what that tool wrote, and refused when the file never holds still.
func TestEditFileConcurrent(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		writes  int // how many edits another tool's write follows
		wantErr error
	}{
		"once":   {writes: 1},
		"always": {writes: 1000, wantErr: ErrChanged},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "settings.json")
			writeFile(t, path, `{"model": "opus"}`, 0o600)
			n := 0
			w, err := EditFile(path, sameSecond, func(b []byte) (Result, error) {
				if n < tc.writes {
					n++
					// Another tool's write, as an editor saves: a new file renamed in.
					writeFile(t, path+".other", strings.Replace(string(b), "{", `{"k`+string(rune('a'+n%26))+`": 1,`, 1), 0o600)
					if err := os.Rename(path+".other", path); err != nil {
						t.Fatal(err)
					}
				}
				return install(b)
			})
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("want %v, have %v", tc.wantErr, err)
			}
			got := readFile(t, path)
			if !strings.Contains(got, `"kb"`) {
				t.Errorf("the other tool's key is lost:\n%s", got)
			}
			if tc.wantErr == nil && (!strings.Contains(got, "sess-hook") || w.Retries != 1) {
				t.Errorf("retries %d:\n%s", w.Retries, got)
			}
			if bak, _ := filepath.Glob(filepath.Join(filepath.Dir(path), "*.bak")); len(bak) > 1 {
				t.Errorf("backups of versions not replaced: %v", bak)
			}
		})
	}
}

func writeFile(t *testing.T, path, data string, mode os.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
