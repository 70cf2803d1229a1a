//go:build unix

package hookconf

import "golang.org/x/sys/unix"

// canWrite reports whether this user may write path (root may write
// anything: the mode's check in writable covers 0444 for root).
func canWrite(path string) bool { return unix.Access(path, unix.W_OK) == nil }
