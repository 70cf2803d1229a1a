package disk

import (
	"os"

	"golang.org/x/sys/unix"
)

// syncData makes a new file's data durable. fdatasync is enough: it also
// writes the metadata needed to read the data back (the size), and skips
// only the times.
func syncData(f *os.File) error {
	for {
		err := unix.Fdatasync(int(f.Fd()))
		if err != unix.EINTR {
			return err
		}
	}
}
