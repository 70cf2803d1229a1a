package disk

import (
	"os"
	"strconv"
	"syscall"
	"time"
)

// The small file operations of the store's bookkeeping: markers, the
// folders, a staged file's rename. None follows a symlink where it
// creates, and a marker is never written through one.

// Mark creates path empty if it is not there (a pending marker): never
// through a symlink, never truncating what is there.
func Mark(path string, perm os.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|syscall.O_NOFOLLOW|syscall.O_CLOEXEC, perm)
	if err != nil {
		return err
	}
	return f.Close()
}

// WriteSynced replaces the content of a small file in place and fsyncs
// it, so that a repair after a crash reads what was written; never through
// a symlink.
func WriteSynced(path string, data []byte, perm os.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC|syscall.O_NOFOLLOW|syscall.O_CLOEXEC, perm)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// Rename puts a staged file in place (the caller syncs the folder).
func Rename(from, to string) error { return os.Rename(from, to) }

// SameFile reports whether two paths name one file (two links of it),
// without following symlinks.
func SameFile(a, b string) bool {
	fa, err := os.Lstat(a)
	if err != nil {
		return false
	}
	fb, err := os.Lstat(b)
	return err == nil && os.SameFile(fa, fb)
}

// IsDir reports whether path is a folder (following a symlink: a store's
// folder may be one).
func IsDir(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}

// MkdirAll makes a folder and its parents.
func MkdirAll(path string, perm os.FileMode) error { return os.MkdirAll(path, perm) }

// ModTime is when the file at path (not followed) last changed; ok is
// false when it cannot be looked at.
func ModTime(path string) (t time.Time, ok bool) {
	fi, err := os.Lstat(path)
	if err != nil {
		return time.Time{}, false
	}
	return fi.ModTime(), true
}

// Regular looks at path without following a symlink: its size and time,
// ok only for a regular file.
func Regular(path string) (size int64, mtime time.Time, ok bool) {
	fi, err := os.Lstat(path)
	if err != nil || !fi.Mode().IsRegular() {
		return 0, time.Time{}, false
	}
	return fi.Size(), fi.ModTime(), true
}

// Stamp names the state of the files at paths (followed): each one's
// modification time in nanoseconds and size, "-" for one that cannot be
// looked at, each ended by ";". A write that renames a file into a folder
// moves the folder's; a reader compares stamps to know cheaply whether
// what it computed still holds.
func Stamp(paths ...string) string {
	b := make([]byte, 0, 24*len(paths))
	for _, p := range paths {
		if fi, err := os.Stat(p); err == nil {
			b = strconv.AppendInt(b, fi.ModTime().UnixNano(), 10)
			b = append(b, '.')
			b = strconv.AppendInt(b, fi.Size(), 10)
		} else {
			b = append(b, '-')
		}
		b = append(b, ';')
	}
	return string(b)
}
