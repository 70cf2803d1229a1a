//go:build !unix

package derived

import "io/fs"

// inode is 0 where there are none: the change feed is then never trusted.
func inode(fi fs.FileInfo) uint64 { return 0 }

// fileID is 0, 0 where the system says no inode: a source is then known
// by its bytes alone (see startOf).
func fileID(fs.FileInfo) (dev, ino uint64) { return 0, 0 }
