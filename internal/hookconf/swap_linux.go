package hookconf

import (
	"errors"
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// swapIn renames tmp over path, then makes sure what it replaced was the
// file read: renameat2 exchanges the two, so the replaced file is at tmp
// to look at. One written by another program between the last look and
// the exchange is put back at once (errMoved: edit again), so a write of
// theirs is never replaced, only hidden for microseconds. A new file is
// made only if none appeared meanwhile. Filesystems without renameat2
// get a plain rename after the look.
func swapIn(tmp, path string, seen state) error {
	flag := uint(unix.RENAME_EXCHANGE)
	if !seen.exists {
		flag = unix.RENAME_NOREPLACE
	}
	err := unix.Renameat2(unix.AT_FDCWD, tmp, unix.AT_FDCWD, path, flag)
	switch {
	case errors.Is(err, unix.EEXIST) || errors.Is(err, unix.ENOENT):
		return errMoved // made, or removed, meanwhile
	case errors.Is(err, unix.EINVAL) || errors.Is(err, unix.ENOSYS) || errors.Is(err, unix.EOPNOTSUPP):
		if err := os.Rename(tmp, path); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
		return nil
	case err != nil:
		return fmt.Errorf("write %s: %w", path, err)
	case !seen.exists || seen.same(tmp):
		return nil
	}
	if err := unix.Renameat2(unix.AT_FDCWD, tmp, unix.AT_FDCWD, path, unix.RENAME_EXCHANGE); err != nil {
		return fmt.Errorf("write %s: put back another program's version: %w", path, err)
	}
	return errMoved
}
