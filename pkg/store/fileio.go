package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"golang.org/x/sys/unix"
)

// MaxFileSize is the largest store file read; a bigger one is refused.
const MaxFileSize = 10 << 20

const (
	dirPerm  = 0o700
	filePerm = 0o600
	tmpExt   = ".tmp"
)

// readFile reads a store file without following a symlink, without blocking
// on a FIFO, and without reading more than MaxFileSize. A file that is a
// symlink, not regular, or too big is reported as ErrCorrupt.
//
// It uses the system calls directly: a listing reads hundreds of files, and
// an os.File costs four more calls per file (for a poller a regular file
// cannot use).
func readFile(path string) ([]byte, error) {
	return readFileInto(path, nil)
}

// readFileInto is readFile into buf's memory when it is big enough.
func readFileInto(path string, buf []byte) ([]byte, error) {
	fd, size, err := openStoreFile(path)
	if err != nil {
		return nil, err
	}
	defer unix.Close(fd)
	if int64(cap(buf)) < size+1 {
		buf = make([]byte, size+1)
	}
	buf = buf[:size+1] // one more, to see the end in the same call
	n := 0
	for {
		m, err := unix.Read(fd, buf[n:])
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return nil, &fs.PathError{Op: "read", Path: path, Err: err}
		}
		n += m
		if n > MaxFileSize {
			return nil, fmt.Errorf("%s: too large (over %d bytes): %w", filepath.Base(path), MaxFileSize, ErrCorrupt)
		}
		// Less than asked for is the end of a regular file.
		if m == 0 || n < len(buf) {
			break
		}
		buf = append(buf, 0) // it grew since fstat: room for more
		buf = buf[:cap(buf)]
	}
	return buf[:n], nil
}

// openStoreFile opens a store file for reading with the checks of readFile
// and returns its descriptor and size.
func openStoreFile(path string) (fd int, size int64, err error) {
	for {
		fd, err = unix.Open(path, unix.O_RDONLY|unix.O_NOFOLLOW|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
		if err != unix.EINTR {
			break
		}
	}
	if err != nil {
		if err == unix.ELOOP || err == unix.EMLINK {
			return -1, 0, fmt.Errorf("%s: refusing to follow a symlink: %w", filepath.Base(path), ErrCorrupt)
		}
		return -1, 0, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	var st unix.Stat_t
	if err = unix.Fstat(fd, &st); err != nil {
		err = &fs.PathError{Op: "stat", Path: path, Err: err}
	} else if st.Mode&unix.S_IFMT != unix.S_IFREG {
		err = fmt.Errorf("%s: not a regular file: %w", filepath.Base(path), ErrCorrupt)
	} else if st.Size > MaxFileSize {
		err = fmt.Errorf("%s: too large (%d bytes, max %d): %w", filepath.Base(path), st.Size, MaxFileSize, ErrCorrupt)
	}
	if err != nil {
		unix.Close(fd)
		return -1, 0, err
	}
	return fd, st.Size, nil
}

// marshal encodes v the way every store file and every command output is
// written: 2-space indent, no HTML escaping, a trailing newline.
func marshal(v any) ([]byte, error) {
	if b, ok := fastMarshal(v); ok {
		return b, nil
	}
	return slowMarshal(v)
}

// slowMarshal is marshal through encoding/json, for any type.
func slowMarshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// Marshal encodes v as the tools print JSON: 2-space indent, "<" and ">"
// unescaped, a trailing newline.
func Marshal(v any) ([]byte, error) { return marshal(v) }

// writeTemp writes data to path+".tmp" (replacing a stale one a killed
// writer left, never following a symlink) and fsyncs it. The caller holds the
// lock that guards path, so the temp name is its own.
func writeTemp(path string, parts ...[]byte) (string, error) {
	tmp := path + tmpExt
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC|syscall.O_NOFOLLOW|syscall.O_CLOEXEC, filePerm)
	if err != nil {
		return "", err
	}
	for _, p := range parts {
		if err == nil {
			_, err = f.Write(p)
		}
	}
	if err == nil {
		err = f.Chmod(filePerm)
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

// writeAtomic replaces path with data: temp file, fsync, rename, fsync of
// the folder. A reader sees the old file or the new one, never a part.
func writeAtomic(path string, data []byte) error {
	return writeAtomicParts(path, data)
}

// writeAtomicParts is writeAtomic of the concatenation of parts.
func writeAtomicParts(path string, parts ...[]byte) error {
	tmp, err := writeTemp(path, parts...)
	if err != nil {
		return fmt.Errorf("write %s: %w", filepath.Base(path), err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", filepath.Base(path), err)
	}
	return syncDir(filepath.Dir(path))
}

// errExists reports that createExclusive found the target taken.
var errExists = errors.New("file exists")

// createExclusive writes a new file at path with data, failing with errExists
// if path exists: the temp file is hard-linked to the target, which never
// replaces an existing file, then removed.
func createExclusive(path string, data []byte) error {
	tmp, err := writeTemp(path, data)
	if err != nil {
		return fmt.Errorf("create %s: %w", filepath.Base(path), err)
	}
	err = os.Link(tmp, path)
	os.Remove(tmp)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return errExists
		}
		return fmt.Errorf("create %s: %w", filepath.Base(path), err)
	}
	return syncDir(filepath.Dir(path))
}

// syncDir fsyncs a folder, making a rename or link in it durable.
func syncDir(dir string) error {
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

// removeIfExists removes path, ignoring its absence.
func removeIfExists(path string) error {
	err := os.Remove(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}
