package store

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/gofrs/flock"
)

// A lock guards one read-modify-write. Locks are sidecar files (never the
// file that gets renamed over) taken with flock(2), the same lock the
// original takes with fcntl.flock, so the two tools exclude each other.
//
// While a writer holds a lock it also keeps a pending marker,
// <store>/.pending.<name>, that it removes when done. A marker whose lock
// can be taken belongs to a killed writer; mend repairs what that writer may
// have left half done.
type lock struct {
	fl     *flock.Flock
	marker string // "" for a lock that marks nothing
}

// lockKind names what a lock guards: its pending marker is
// .pending.<kind>.<name>.
const (
	kindSession = "session"
	kindProject = "project"
	kindConfig  = "config"
	kindNotify  = "notify"
)

func (s *Store) lockPath(kind, name string) string {
	switch kind {
	case kindSession:
		return filepath.Join(s.dir, "sessions", name+".lock")
	case kindProject:
		return filepath.Join(s.dir, "projects", name+".lock")
	case kindConfig:
		return filepath.Join(s.dir, "config.lock")
	case kindNotify:
		return filepath.Join(s.dir, "notify_state.lock")
	}
	panic("unknown lock kind " + kind)
}

func (s *Store) indexLockPath() string { return filepath.Join(s.dir, "sessions", "_index.lock") }

func (s *Store) markerPath(kind, name string) string {
	if name == "" {
		return filepath.Join(s.dir, ".pending."+kind)
	}
	return filepath.Join(s.dir, ".pending."+kind+"."+name)
}

func newFlock(path string) *flock.Flock {
	return flock.New(path, flock.SetFlag(os.O_CREATE|os.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_CLOEXEC))
}

// lockFor takes the exclusive lock of kind/name, waiting for it, and sets
// the pending marker.
func (s *Store) lockFor(kind, name string) (*lock, error) {
	l := &lock{fl: newFlock(s.lockPath(kind, name))}
	if err := l.fl.Lock(); err != nil {
		return nil, fmt.Errorf("lock %s %s: %w", kind, name, err)
	}
	l.marker = s.markerPath(kind, name)
	f, err := os.OpenFile(l.marker, os.O_WRONLY|os.O_CREATE|syscall.O_NOFOLLOW|syscall.O_CLOEXEC, filePerm)
	if err != nil {
		l.fl.Unlock()
		return nil, fmt.Errorf("mark pending %s %s: %w", kind, name, err)
	}
	f.Close()
	return l, nil
}

// lockIndex takes the index lock. Index writes need no marker of their own:
// a killed index write leaves the old index whole, a stray temp file that the
// next index write replaces, and the session marker of the change it was
// part of.
func (s *Store) lockIndex() (*lock, error) {
	l := &lock{fl: newFlock(s.indexLockPath())}
	if err := l.fl.Lock(); err != nil {
		return nil, fmt.Errorf("lock index: %w", err)
	}
	return l, nil
}

// unlock removes the marker (the work it guarded is done) and releases.
func (l *lock) unlock() {
	if l.marker != "" {
		os.Remove(l.marker)
	}
	l.fl.Unlock()
}

// release lets go of the lock but keeps the marker: the guarded work did not
// finish, so mend must look at it.
func (l *lock) release() {
	l.fl.Unlock()
}

// mend repairs what killed writers left: for every pending marker whose lock
// is free, it removes temp files and brings the index and project state back
// in line with the session files. It runs once per Store, before the first
// listing or write, and costs one read of the store folder when there is
// nothing to do.
func (s *Store) mend() {
	if !s.readOnly {
		s.mendOnce.Do(s.mendNow)
	}
}

func (s *Store) mendNow() {
	names, _ := readDirNames(s.dir)
	for _, n := range names {
		if !strings.HasPrefix(n, ".pending.") {
			continue
		}
		kind, name, _ := strings.Cut(strings.TrimPrefix(n, ".pending."), ".")
		if err := s.mendOne(kind, name); err != nil {
			s.warnf("could not mend after an interrupted write (%s): %v", n, err)
		}
	}
	if exists(s.indexPath() + tmpExt) {
		if l, err := s.lockIndex(); err == nil {
			removeIfExists(s.indexPath() + tmpExt)
			l.unlock()
		}
	}
}

func (s *Store) mendOne(kind, name string) error {
	switch kind {
	case kindSession:
		if ValidateSessionID(name) != nil {
			return os.Remove(s.markerPath(kind, name))
		}
	case kindProject:
		if ValidateSlug(name) != nil {
			return os.Remove(s.markerPath(kind, name))
		}
	case kindConfig, kindNotify:
		if name != "" {
			return os.Remove(filepath.Join(s.dir, ".pending."+kind+"."+name))
		}
	default:
		return nil
	}
	fl := newFlock(s.lockPath(kind, name))
	ok, err := fl.TryLock()
	if err != nil {
		return err
	}
	if !ok {
		return nil // a live writer holds it
	}
	defer fl.Unlock()
	marker := s.markerPath(kind, name)
	if !exists(marker) {
		return nil // its writer finished while we looked
	}
	switch kind {
	case kindSession:
		removeIfExists(s.sessionPath(name) + tmpExt)
		// An archive cut short leaves the file linked in both folders:
		// finish it.
		if a, err := os.Lstat(s.archivedPath(name)); err == nil {
			if f, err := os.Lstat(s.sessionPath(name)); err == nil && os.SameFile(a, f) {
				if err := os.Remove(s.sessionPath(name)); err != nil {
					return err
				}
			}
		}
		slug, err := s.syncIndexEntry(name)
		if err != nil {
			return err
		}
		if slug != "" {
			if err := s.refreshProjectState(slug); err != nil {
				return err
			}
		}
		s.warnf("mended session %s after an interrupted write", name)
	case kindProject:
		removeIfExists(s.projectPath(name) + tmpExt)
		if err := s.refreshProjectStateLocked(name, nil); err != nil {
			return err
		}
	case kindConfig:
		removeIfExists(s.configPath() + tmpExt)
	case kindNotify:
		removeIfExists(s.notifyStatePath() + tmpExt)
	}
	return os.Remove(marker)
}

func (s *Store) notifyStatePath() string { return filepath.Join(s.dir, "notify_state.json") }
