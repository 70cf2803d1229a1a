package disk

import (
	"fmt"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// Map maps a file read-only, with the checks of ReadFile (no symlink, a
// regular file, at most max bytes). A writer of a big file it rewrites
// often (the index) uses it instead of a read: its bytes are then neither
// copied nor faulted into fresh memory.
//
// The mapping is the file's page cache. Writers replace files by rename and
// never change one in place, so the bytes do not change while mapped; a
// file cut short by someone else would fault, which readers turn into
// ErrFault with GuardFault. Nothing derived from data may outlive release:
// strings decoded from it must be copied.
func Map(path string, max int64) (data []byte, release func(), err error) {
	fd, size, err := open(path, max)
	if err != nil {
		return nil, nil, err
	}
	defer unix.Close(fd)
	if size == 0 {
		return []byte{}, func() {}, nil
	}
	data, err = unix.Mmap(fd, 0, int(size), unix.PROT_READ, unix.MAP_SHARED|unix.MAP_POPULATE)
	if err != nil {
		return nil, nil, fmt.Errorf("map %s: %w", filepath.Base(path), err)
	}
	return data, func() { unix.Munmap(data) }, nil
}
