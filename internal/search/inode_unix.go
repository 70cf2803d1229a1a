//go:build unix

package search

import (
	"io/fs"
	"syscall"
)

// inode tells one journal file from the next.
func inode(fi fs.FileInfo) uint64 {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return uint64(st.Ino)
	}
	return 0
}
