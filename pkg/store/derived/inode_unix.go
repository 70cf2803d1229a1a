//go:build unix

package derived

import (
	"io/fs"
	"syscall"
)

// inode tells one change feed file from the next.
func inode(fi fs.FileInfo) uint64 {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return uint64(st.Ino)
	}
	return 0
}
