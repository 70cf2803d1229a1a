//go:build unix

package replica

import "syscall"

// noFollow opens a journal file without following a symlink put in its
// place since it was listed.
const noFollow = syscall.O_NOFOLLOW | syscall.O_NONBLOCK
