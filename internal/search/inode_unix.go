//go:build unix

package search

import (
	"io/fs"
	"syscall"
)

// inode tells one version of an index file from the next (the checked
// note names the base it checked by it).
func inode(fi fs.FileInfo) uint64 {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return uint64(st.Ino)
	}
	return 0
}
