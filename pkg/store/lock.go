package store

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store/internal/disk"
)

// A lock guards one read-modify-write. Locks are sidecar files (never the
// file that gets renamed over), the same locks the original takes, so the
// two tools exclude each other.
//
// While a writer holds a lock it also keeps a pending marker,
// <store>/.pending.<kind>.<name>. The marker goes when the writer's change
// is wholly in place, or wholly dropped. A marker found when a lock is
// taken belongs to a writer that was killed, or whose change went in
// without its index or project state: the taker repairs that first, and the
// marker goes only when the repair worked.
type lock struct {
	dl     *disk.Lock
	marker string // "" for a lock that marks nothing
}

// lockKind names what a lock guards: its pending marker is
// .pending.<kind>.<name>.
const (
	kindSession = "session"
	kindProject = "project"
	kindConfig  = "config"
	// kindNotify is the notifier's state's marker: package derived keeps
	// that file, its lock and its marker, and mends them (see mendOne).
	kindNotify = "notify"
	kindIndex  = "index" // no marker: an index write is part of a change another marker covers
)

func (s *Store) lockPath(kind, name string) string {
	switch kind {
	case kindSession:
		return filepath.Join(s.dir, "sessions", name+".lock")
	case kindProject:
		return filepath.Join(s.dir, "projects", name+".lock")
	case kindConfig:
		return filepath.Join(s.dir, "config.lock")
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

// lockFor takes the exclusive lock of kind/name, waiting for it, repairs
// what an earlier holder left unfinished, and sets the pending marker.
func (s *Store) lockFor(kind, name string) (*lock, error) {
	dl, err := disk.Acquire(s.lockPath(kind, name))
	if err != nil {
		return nil, fmt.Errorf("lock %s %s: %w", kind, name, err)
	}
	l := &lock{dl: dl, marker: s.markerPath(kind, name)}
	if exists(l.marker) {
		if err := s.repair(kind, name); err != nil {
			dl.Release()
			return nil, fmt.Errorf("an earlier write of %s %s was interrupted and could not be repaired: %w", kind, name, err)
		}
		return l, nil // the marker stays, now ours
	}
	if err := disk.Mark(l.marker, filePerm); err != nil {
		dl.Release()
		return nil, fmt.Errorf("mark pending %s %s: %w", kind, name, err)
	}
	return l, nil
}

// lockIndex takes the index lock. Index writes need no marker of their own:
// an index write is part of a change whose session or project marker
// covers it.
func (s *Store) lockIndex() (*lock, error) {
	dl, err := disk.Acquire(s.indexLockPath())
	if err != nil {
		return nil, fmt.Errorf("lock index: %w", err)
	}
	return &lock{dl: dl}, nil
}

// unlock removes the marker (the work it guarded is done, or dropped whole)
// and releases.
func (l *lock) unlock() {
	if l.marker != "" {
		removeIfExists(l.marker)
	}
	l.dl.Release()
}

// release lets go of the lock but keeps the marker: the guarded work did not
// finish, so a repair must look at it.
func (l *lock) release() {
	l.dl.Release()
}

// held is the locks one command holds, taken in the store's order
// (sessions, then projects, then the index) and let go of together by
// withLocks.
type held struct {
	s     *Store
	locks []*lock
	taken map[string]bool
	// keep is set when a change went in but its index or project state did
	// not: the markers stay for the next command's repair.
	keep bool
}

// take locks kind/name unless this command holds it already.
func (h *held) take(kind, name string) error {
	if h.taken[kind+"/"+name] {
		return nil
	}
	var l *lock
	var err error
	if kind == kindIndex {
		l, err = h.s.lockIndex()
	} else {
		l, err = h.s.lockFor(kind, name)
	}
	if err == nil {
		h.hold(kind+"/"+name, l)
	}
	return err
}

// tryTakeIndex takes the index lock if it is free, without waiting; ok
// says whether this command holds it now.
func (h *held) tryTakeIndex() (ok bool, err error) {
	if h.taken[kindIndex+"/"] {
		return true, nil
	}
	dl, ok, err := disk.TryAcquire(h.s.indexLockPath())
	if ok {
		h.hold(kindIndex+"/", &lock{dl: dl})
	}
	return ok, err
}

// hold adds a lock taken to the command's.
func (h *held) hold(key string, l *lock) {
	if h.taken == nil {
		h.taken = make(map[string]bool)
	}
	h.taken[key] = true
	h.locks = append(h.locks, l)
}

// withLocks runs fn with a set of locks it takes through h, and lets go of
// all of them when fn returns: markers are removed unless the change went in
// without its derived files (h.keep).
func (s *Store) withLocks(fn func(h *held) error) error {
	h := &held{s: s}
	defer func() {
		for i := len(h.locks) - 1; i >= 0; i-- {
			if h.keep {
				h.locks[i].release()
			} else {
				h.locks[i].unlock()
			}
		}
	}()
	return fn(h)
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
		if l, ok, err := disk.TryAcquire(s.indexLockPath()); err == nil && ok {
			removeIfExists(s.indexPath() + tmpExt)
			l.Release()
		}
	}
	s.mendQueue()
}

// mendOne repairs after the marker of kind/name if its lock is free.
func (s *Store) mendOne(kind, name string) error {
	if !s.validMarker(kind, name) {
		return removeIfExists(filepath.Join(s.dir, ".pending."+kind+"."+name))
	}
	if kind == kindNotify {
		return s.derived.MendNotifyState()
	}
	dl, ok, err := disk.TryAcquire(s.lockPath(kind, name))
	if err != nil || !ok {
		return err // !ok: a live writer holds it
	}
	defer dl.Release()
	marker := s.markerPath(kind, name)
	if !exists(marker) {
		return nil // its writer finished while we looked
	}
	if err := s.repair(kind, name); err != nil {
		return err
	}
	return removeIfExists(marker)
}

func (s *Store) validMarker(kind, name string) bool {
	switch kind {
	case kindSession:
		return session.ValidateSessionID(name) == nil
	case kindProject:
		return session.ValidateSlug(name) == nil
	case kindConfig, kindNotify:
		return name == ""
	}
	return true // not ours: left alone by repair
}

// repair brings what kind/name guards in line after a writer that did not
// finish; the caller holds its lock.
func (s *Store) repair(kind, name string) error {
	switch kind {
	case kindSession:
		return s.repairSession(name)
	case kindProject:
		removeIfExists(s.projectPath(name) + tmpExt)
		return s.refreshProjectStateLocked(name, nil, nil)
	case kindConfig:
		return removeIfExists(s.configPath() + tmpExt)
	}
	return nil
}

// repairSession sets the index entry and project state of session id from
// its file, after an interrupted change. An archive cut short leaves the
// file linked in both folders: it is finished.
func (s *Store) repairSession(id string) error {
	if err := s.rollForward(id); err != nil {
		return err
	}
	removeIfExists(s.sessionPath(id) + tmpExt)
	if disk.SameFile(s.archivedPath(id), s.sessionPath(id)) {
		if err := removeIfExists(s.sessionPath(id)); err != nil {
			return err
		}
	}
	slug, err := s.syncIndexEntry(id)
	if err != nil {
		return err
	}
	if slug != "" {
		if err := s.refreshProjectState(slug); err != nil {
			return err
		}
	}
	s.warnf("mended session %s after an interrupted write", id)
	return nil
}

// rollForward puts session id's staged file in place if its marker says
// it goes in after a created session that is in place (see markFollowers).
func (s *Store) rollForward(id string) error {
	data, err := readFile(s.markerPath(kindSession, id))
	after, ok := strings.CutPrefix(strings.TrimSpace(string(data)), followsPrefix)
	if err != nil || !ok || session.ValidateSessionID(after) != nil || !exists(s.sessionPath(after)) {
		return nil
	}
	tmp := s.sessionPath(id) + tmpExt
	staged, err := readFile(tmp)
	if err != nil {
		return nil // nothing staged
	}
	if sess, err := DecodeSession(staged); err != nil || sess.SessionID != id {
		return nil // not staged whole: the change cannot be finished; it is dropped
	}
	if err := disk.Rename(tmp, s.sessionPath(id)); err != nil {
		return err
	}
	return disk.SyncDir(s.sessionsDir())
}
