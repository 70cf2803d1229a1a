package disk

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// ErrUnusable marks a file that cannot be used: a symlink, not a regular
// file, or over the size cap of its kind.
var ErrUnusable = errors.New("unusable file")

// ReadFile reads a file without following a symlink, without blocking on a
// FIFO, and without reading more than max bytes. A file that is a symlink,
// not regular, or too big is an error wrapping ErrUnusable.
//
// It uses the system calls directly: a listing reads hundreds of files, and
// an os.File costs four more calls per file (for a poller a regular file
// cannot use).
func ReadFile(path string, max int64) ([]byte, error) {
	return ReadFileInto(path, nil, max)
}

// ReadFileInto is ReadFile into buf's memory when it is big enough.
func ReadFileInto(path string, buf []byte, max int64) ([]byte, error) {
	fd, size, err := open(path, max)
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
		if int64(n) > max {
			return nil, fmt.Errorf("%s: too large (over %d bytes): %w", filepath.Base(path), max, ErrUnusable)
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

// open opens a file for reading with the checks of ReadFile and returns its
// descriptor and size.
func open(path string, max int64) (fd int, size int64, err error) {
	for {
		fd, err = unix.Open(path, unix.O_RDONLY|unix.O_NOFOLLOW|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
		if err != unix.EINTR {
			break
		}
	}
	if err != nil {
		if err == unix.ELOOP || err == unix.EMLINK {
			return -1, 0, fmt.Errorf("%s: refusing to follow a symlink: %w", filepath.Base(path), ErrUnusable)
		}
		return -1, 0, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	var st unix.Stat_t
	if err = unix.Fstat(fd, &st); err != nil {
		err = &fs.PathError{Op: "stat", Path: path, Err: err}
	} else if st.Mode&unix.S_IFMT != unix.S_IFREG {
		err = fmt.Errorf("%s: not a regular file: %w", filepath.Base(path), ErrUnusable)
	} else if st.Size > max {
		err = fmt.Errorf("%s: too large (%d bytes, max %d): %w", filepath.Base(path), st.Size, max, ErrUnusable)
	}
	if err != nil {
		unix.Close(fd)
		return -1, 0, err
	}
	return fd, st.Size, nil
}

// Exists reports whether path names anything (a symlink included).
func Exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}
