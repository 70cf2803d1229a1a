//go:build unix

package search

import (
	"os"

	"golang.org/x/sys/unix"
)

// mapFile maps a file read-only; release unmaps it. The index is read
// where it lies: a search touches the pages of its terms, not all of it.
func mapFile(f *os.File, size int64) (data []byte, release func(), err error) {
	if size == 0 {
		return []byte{}, func() {}, nil
	}
	data, err = unix.Mmap(int(f.Fd()), 0, int(size), unix.PROT_READ, unix.MAP_SHARED)
	if err != nil {
		return nil, nil, err
	}
	return data, func() { unix.Munmap(data) }, nil
}
