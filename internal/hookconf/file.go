package hookconf

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// Errors of EditFile; each leaves the settings file as it was.
var (
	// ErrReadOnly: the file's mode (0444) or its owner says it is not to
	// be written. A rename would get past that, so sess does not try.
	ErrReadOnly = errors.New("settings file is read-only")
	// ErrDanglingLink: the settings file is a symlink to nothing.
	ErrDanglingLink = errors.New("settings file is a symlink to a file that does not exist")
	// ErrChanged: another program kept writing the file while sess edited it.
	ErrChanged = errors.New("settings file kept changing while sess edited it")
)

// attempts is how often EditFile reads and edits again when another
// program wrote the file meanwhile, before it gives up.
const attempts = 5

// Written is what EditFile did.
type Written struct {
	Path    string // the file written: a symlink's target
	Result  Result
	Backup  string // the old content's copy, a name never used before ("" when none)
	Retries int    // edits done again because another program wrote the file
}

// Target is the file a settings path stands for: the path, or what its
// symlinks point at. A link to nothing is refused rather than replaced or
// followed: it says the user's settings live elsewhere (a dotfiles folder,
// a disk not mounted, a home-manager generation collected), and a file
// holding only sess's hooks made there, or a regular file put in the
// link's place, would hide that loss; making the target is the user's call.
func Target(path string) (string, error) {
	target, err := filepath.EvalSymlinks(path)
	switch {
	case err == nil:
		return target, nil
	case !errors.Is(err, fs.ErrNotExist):
		return "", fmt.Errorf("resolve %s: %w", path, err)
	}
	if fi, lerr := os.Lstat(path); lerr == nil && fi.Mode()&fs.ModeSymlink != 0 {
		to, _ := os.Readlink(path)
		return "", fmt.Errorf("%s points at %s: %w; create it or remove the link, then run again", path, to, ErrDanglingLink)
	}
	return path, nil // a file yet to be made (its folder may be missing too)
}

// EditFile applies edit to the settings file at path when that changes
// anything: a backup of the old content under a new name, then an atomic
// replace, made only while the file is still the one edit read. When
// another program wrote it in between, its version is edited instead (a
// few times, then ErrChanged): their edits are never lost. No lock
// applies: sess knows of none that Claude Code or other tools take on
// settings.json, so a lock of its own would hold off only itself; the
// check is what protects their writes.
func EditFile(path string, now time.Time, edit func([]byte) (Result, error)) (Written, error) {
	target, err := Target(path)
	if err != nil {
		return Written{}, err
	}
	w := Written{Path: target}
	for ; w.Retries < attempts; w.Retries++ {
		seen, err := readState(target)
		if err != nil {
			return w, err
		}
		old := seen.data
		if !seen.exists {
			old = nil
		}
		if w.Result, err = edit(old); err != nil || !w.Result.Changed {
			return w, err
		}
		if err := seen.writable(target); err != nil {
			return w, err
		}
		err = w.write(seen, now)
		if !errors.Is(err, errMoved) {
			return w, err
		}
	}
	return w, fmt.Errorf("%s: %w (%d tries); run again", target, ErrChanged, attempts)
}

// write backs up the old content and puts the new in place, unless the
// file moved on (errMoved: the backup, of a version not replaced, goes).
func (w *Written) write(seen state, now time.Time) error {
	w.Backup = ""
	if seen.exists {
		b, err := backup(w.Path, seen.data, now)
		if err != nil {
			return fmt.Errorf("back up %s: %w", w.Path, err)
		}
		w.Backup = b
	}
	err := replace(w.Path, w.Result.Settings, seen)
	if err != nil && w.Backup != "" {
		os.Remove(w.Backup)
		w.Backup = ""
	}
	return err
}

// backup writes data to path.<UTC second>.bak, or .<second>-2.bak and so
// on: created exclusively, so an earlier backup of the same second (an
// uninstall, then an install) is never overwritten.
func backup(path string, data []byte, now time.Time) (string, error) {
	stamp := now.UTC().Format("20060102T150405")
	for n := 1; ; n++ {
		name := path + "." + stamp + ".bak"
		if n > 1 {
			name = path + "." + stamp + "-" + strconv.Itoa(n) + ".bak"
		}
		// 0600: settings can hold secrets in "env".
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", err
		}
		if err := fill(f, data); err != nil {
			return "", err
		}
		return name, nil
	}
}

// state is the settings file as read: its content and what tells a
// rewrite of it (another inode, size or modification time).
type state struct {
	exists bool
	data   []byte
	fi     fs.FileInfo
}

func readState(path string) (state, error) {
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return state{}, nil
	}
	if err != nil {
		return state{}, fmt.Errorf("read %s: %w", path, err)
	}
	if !fi.Mode().IsRegular() {
		return state{}, fmt.Errorf("read %s: not a regular file", path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return state{}, fmt.Errorf("read %s: %w", path, err)
	}
	return state{exists: true, data: data, fi: fi}, nil
}

// same reports whether the file at path is still the one read.
func (s state) same(path string) bool {
	now, err := readState(path)
	if err != nil || now.exists != s.exists {
		return false
	}
	if !s.exists {
		return true
	}
	return os.SameFile(s.fi, now.fi) && s.fi.Size() == now.fi.Size() &&
		s.fi.ModTime().Equal(now.fi.ModTime()) && bytes.Equal(s.data, now.data)
}

// writable refuses a file nobody may write (0444) or this user may not:
// the user said so, and a rename in a writable folder would ignore it.
func (s state) writable(path string) error {
	if !s.exists {
		return nil
	}
	if s.fi.Mode().Perm()&0o222 == 0 || !canWrite(path) {
		return fmt.Errorf("%s (mode %04o): %w; make it writable (chmod u+w) to change it", path, s.fi.Mode().Perm(), ErrReadOnly)
	}
	return nil
}

// errMoved: the file changed between the read and the replace.
var errMoved = errors.New("settings file changed meanwhile")

// replace puts data in place of path through a synced temp file in its
// folder (keeping the old file's mode; 0600 for a new one), if path is
// still the file read; else errMoved.
func replace(path string, data []byte, seen state) error {
	mode := fs.FileMode(0o600)
	if seen.exists {
		mode = seen.fi.Mode().Perm()
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp, err := writeTemp(dir, "."+filepath.Base(path)+".*.tmp", data, mode)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp)
	// The temp file is ready before this last look, so that only a rename
	// stands between the look and the replace.
	if !seen.same(path) {
		return errMoved
	}
	if err := swapIn(tmp, path, seen); err != nil {
		return err
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync() // best effort: the rename is done either way
		d.Close()
	}
	return nil
}

func writeTemp(dir, pattern string, data []byte, mode fs.FileMode) (string, error) {
	f, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return "", err
	}
	if err := f.Chmod(mode); err != nil {
		f.Close()
		os.Remove(f.Name())
		return "", err
	}
	if err := fill(f, data); err != nil {
		return "", err
	}
	return f.Name(), nil
}

// fill writes data to the new file f, syncs it and closes it; on an error
// the file is removed.
func fill(f *os.File, data []byte) error {
	_, err := f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}
