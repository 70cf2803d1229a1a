//go:build unix

package usage

import "syscall"

// syscallNonblock opens a FIFO without waiting for a writer.
const syscallNonblock = syscall.O_NONBLOCK
