package disk

import "os"

// FileID names one version of a file: a file renamed over it, or changed
// in place, has another.
type FileID struct {
	Ino   uint64 `json:"ino"`
	Size  int64  `json:"size"`
	MTime int64  `json:"mtime"` // ns
}

// IDOf is the FileID of the file at path (not followed); ok is false when
// it is not a regular file that can be looked at.
func IDOf(path string) (id FileID, ok bool) {
	fi, err := os.Lstat(path)
	if err != nil || !fi.Mode().IsRegular() {
		return FileID{}, false
	}
	return FileID{Ino: Inode(fi), Size: fi.Size(), MTime: fi.ModTime().UnixNano()}, true
}

// Free is how many bytes the file system of path has free for a writer
// that is not root; ok is false when it cannot tell.
func Free(path string) (free uint64, ok bool) { return freeBytes(path) }
