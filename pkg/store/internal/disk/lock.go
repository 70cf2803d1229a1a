package disk

import (
	"os"
	"syscall"

	"github.com/gofrs/flock"
)

// Lock is an exclusive lock on a sidecar file, taken with flock(2): the
// lock the original tool takes with fcntl.flock, so the two exclude each
// other. The lock file is never the file that gets renamed over.
type Lock struct{ fl *flock.Flock }

func newFlock(path string) *flock.Flock {
	return flock.New(path, flock.SetFlag(os.O_CREATE|os.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_CLOEXEC))
}

// Acquire waits for the lock at path, creating the file if need be.
//
// A lock file may be removed while another process waits on it (cleanup of
// orphaned locks, an archive): the waiter would then hold a lock on a file
// no one else can open, and a third process could lock a new file of the
// same name. So once locked, the file must still be the one at path;
// otherwise the lock is taken again on the file there now.
func Acquire(path string) (*Lock, error) {
	for {
		fl := newFlock(path)
		if err := fl.Lock(); err != nil {
			return nil, err
		}
		if current(fl, path) {
			return &Lock{fl: fl}, nil
		}
		fl.Unlock()
	}
}

// TryAcquire takes the lock at path if it is free, without waiting. ok is
// false when another holds it.
func TryAcquire(path string) (l *Lock, ok bool, err error) {
	for {
		fl := newFlock(path)
		got, err := fl.TryLock()
		if err != nil || !got {
			return nil, false, err
		}
		if current(fl, path) {
			return &Lock{fl: fl}, true, nil
		}
		fl.Unlock()
	}
}

// current reports whether the locked file is still the one at path.
func current(fl *flock.Flock, path string) bool {
	held, err := fl.Stat()
	if err != nil {
		return false
	}
	now, err := os.Lstat(path)
	return err == nil && os.SameFile(held, now)
}

// Release lets go of the lock.
func (l *Lock) Release() { l.fl.Unlock() }
