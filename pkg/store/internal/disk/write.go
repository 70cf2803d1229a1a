package disk

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// Permissions of what the store creates.
const (
	DirPerm  = 0o700
	FilePerm = 0o600
	TmpExt   = ".tmp"
)

// ErrExists reports that an exclusive create found its target taken.
var ErrExists = errors.New("file exists")

// writeTemp writes data to path+".tmp" (replacing a stale one a killed
// writer left, never following a symlink) and fsyncs it. The caller holds
// the lock that guards path, so the temp name is its own.
func writeTemp(path string, parts ...[]byte) (string, error) {
	tmp := path + TmpExt
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC|syscall.O_NOFOLLOW|syscall.O_CLOEXEC, FilePerm)
	if err != nil {
		return "", err
	}
	for _, p := range parts {
		if err == nil {
			_, err = f.Write(p)
		}
	}
	if err == nil {
		err = f.Chmod(FilePerm)
	}
	if err == nil {
		err = syncData(f)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return "", err
	}
	return tmp, nil
}

// WriteAtomic replaces path with the concatenation of parts: temp file,
// fsync, rename, fsync of the folder. A reader sees the old file or the new
// one, never a part.
func WriteAtomic(path string, parts ...[]byte) error {
	var t Txn
	if err := t.Replace(path, true, parts...); err != nil {
		return err
	}
	_, err := t.Commit()
	return err
}

// SyncDir fsyncs a folder, making a rename or link in it durable.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return nil
}

// Remove removes path, ignoring its absence.
func Remove(path string) error {
	err := os.Remove(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

func base(path string) string { return filepath.Base(path) }
