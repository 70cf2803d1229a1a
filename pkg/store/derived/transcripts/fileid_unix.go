//go:build unix

package transcripts

import (
	"io/fs"
	"syscall"
)

// fileID tells one file from another: its device and inode.
func fileID(fi fs.FileInfo) (dev, ino uint64) {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return uint64(st.Dev), uint64(st.Ino)
	}
	return 0, 0
}
