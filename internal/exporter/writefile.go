package exporter

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"github.com/sess-dev/sess/internal/atomicfile"
)

// WriteFile writes data to path, the -o of an export, by what path is:
//
//   - a regular file, or nothing: replaced whole (a temp file beside it,
//     renamed over it), so that no reader ever sees half an export; in a
//     folder that is there: none is made;
//   - a device, a pipe or a socket (/dev/stdout, /dev/null, a FIFO, a
//     terminal): opened and written, as a shell's redirection does.
//     Renaming over one would replace the device with a regular file (as
//     root: /dev/full became a file), and its folder is seldom writable (as
//     a user: -o /dev/stdout failed). A write error (ENOSPC on /dev/full) is
//     returned. A FIFO blocks until it has a reader, as it does for a shell;
//   - a symlink: never renamed over; what it points to is written by these
//     rules, so /dev/stdout (-> /proc/self/fd/1) writes to the pipe or
//     terminal behind it. A symlink that points nowhere is refused.
func WriteFile(path string, data []byte) error {
	return WriteFunc(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// WriteFunc is WriteFile with what write writes, streamed: to a temp file
// renamed over a regular file, or straight to a device or pipe.
func WriteFunc(path string, write func(w io.Writer) error) error {
	fi, err := os.Stat(path) // follows symlinks: /dev/stdout is one
	switch {
	case errors.Is(err, fs.ErrNotExist):
		// Nothing there (a new file), or a symlink to nothing: renameTarget tells.
	case err != nil:
		return err
	case fi.IsDir():
		return fmt.Errorf("%s is a folder; give a file name", path)
	case !fi.Mode().IsRegular():
		return writeInPlace(path, write)
	}
	dest, err := renameTarget(path)
	if err != nil {
		return err
	}
	// A folder that is not there is a mistake in the name, not a folder to
	// make (the original fails there too).
	if err := atomicfile.ReplaceFunc(dest, write); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("the folder %s does not exist", filepath.Dir(dest))
	} else if err != nil {
		return err
	}
	return nil
}

// renameTarget is the file to rename a new export over: path itself, or the
// file a symlink at path resolves to, so that the link survives and keeps
// pointing at the new export.
func renameTarget(path string) (string, error) {
	fi, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return path, nil
	}
	if err != nil {
		return "", err
	}
	if fi.Mode()&fs.ModeSymlink == 0 {
		return path, nil
	}
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		// Creating the file a dangling link names would write wherever the
		// link was pointed, which nobody asked for by naming the link.
		return "", fmt.Errorf("%s is a symlink to a missing file; refusing to create its target", path)
	}
	return real, nil
}

// writeInPlace writes data to the device, pipe or socket at path. No
// O_CREATE: a device that vanished since the stat must not come back as a
// regular file; no O_TRUNC: it means nothing to a device or a pipe.
// O_NOCTTY keeps a terminal from becoming this process's controlling one.
func writeInPlace(path string, write func(w io.Writer) error) error {
	f, err := os.OpenFile(path, os.O_WRONLY|syscall.O_NOCTTY, 0)
	if err != nil {
		return err
	}
	fi, err := f.Stat()
	if err == nil && (fi.Mode().IsRegular() || fi.IsDir()) {
		// Replaced by a regular file since the stat: writing it in place
		// would leave the old file's tail behind.
		err = fmt.Errorf("%s changed while it was being opened; run again", path)
	}
	if err == nil {
		bw := bufio.NewWriterSize(f, 64<<10)
		if err = write(bw); err == nil {
			err = bw.Flush()
		}
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
