package store

import (
	"fmt"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// mapFile maps a store file read-only, with the checks of readFile (no
// symlink, a regular file, at most MaxFileSize). A writer of the index uses
// it instead of a read: the 3 MB of a 10,000-session index are then neither
// copied nor faulted into fresh memory, which was a fifth of a write's time.
//
// The mapping is the file's page cache. Writers replace store files by
// rename and never change one in place, so the bytes do not change while
// mapped; a file cut short by someone else would fault, which callers turn
// into an error (see guardFault). Nothing derived from data may outlive
// release: strings decoded from it must be copied.
func mapFile(path string) (data []byte, release func(), err error) {
	fd, size, err := openStoreFile(path)
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
