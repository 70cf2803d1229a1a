//go:build unix

package disk

import (
	"io/fs"
	"syscall"
)

// Inode is a file's inode number, 0 where the system has none.
func Inode(fi fs.FileInfo) uint64 {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return uint64(st.Ino)
	}
	return 0
}
