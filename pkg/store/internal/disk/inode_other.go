//go:build !unix

package disk

import "io/fs"

// Inode is a file's inode number, 0 where the system has none.
func Inode(fs.FileInfo) uint64 { return 0 }
