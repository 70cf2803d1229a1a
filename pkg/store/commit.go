package store

import (
	"errors"
	"fmt"

	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store/internal/codec"
	"github.com/sess-dev/sess/pkg/store/internal/disk"
	"github.com/sess-dev/sess/pkg/store/internal/index"
)

// A changeSet is the whole change of one command: the session files it
// creates, replaces or moves to the archive, and the projects whose state
// it refreshes. The index follows from the sessions. The caller holds the
// locks of every session and project named.
type changeSet struct {
	create   []*session.Session
	replace  []*session.Session
	archive  []*session.Session
	index    map[string]*session.IndexEntry // index changes of their own (repairs)
	projects []string
}

// apply puts a change set in place whole, or not at all. Every file is
// staged first (the session files, the index with the changed entries
// spliced in, the refreshed project states), which is where a full disk
// fails and leaves the store as it was. Then the session files go in,
// which is the point of no return, and the index and project states after
// them. If one of those fails, the change stands: the command succeeds with
// a warning and keeps its markers, and the next command brings the index and
// project state in line (h.keep).
func (s *Store) apply(h *held, c changeSet) error {
	files, changes, rf, err := c.encode()
	if err != nil {
		return err
	}
	// With the index lock free, a change is staged whole, the index beside
	// its files; one that would wait for it goes through the queue.
	free, err := h.tryTakeIndex()
	if err != nil {
		return err
	}
	if !free && s.groupable(&c, files) {
		return s.applyGrouped(h, c, files, changes)
	}
	if err := h.take(kindIndex, ""); err != nil {
		return err
	}
	// The entries waiting in the queue go in with this change's: the
	// projects' states are made from them too.
	all, queued := s.takeQueued("", changes)
	var t disk.Txn
	if err := s.stage(&t, c, files, func() error { return s.stageDerived(&t, all, c.projects, rf) }); err != nil {
		return err
	}
	records := t.Records()
	committed, err := t.Commit()
	if committed {
		s.noteChanged(c)
		if err == nil && len(queued) > 0 {
			s.doneQueued("", queued, all)
		}
	}
	switch {
	case !committed:
		return err
	case err != nil && !records:
		return err
	case err != nil:
		h.keep = true
		s.warnf("the change is saved, but its index or project state is not (%v); the next command brings them in line", err)
	}
	return nil
}

// stage stages a change's session files and, meanwhile on another core,
// what derived stages, then marks the followers; on an error it drops
// all it staged.
func (s *Store) stage(t *disk.Txn, c changeSet, files []sessionFile, derived func() error) error {
	staged := make(chan error, 1)
	go func() { staged <- s.stageSessions(t, c, files) }()
	err := derived()
	if serr := <-staged; serr != nil {
		err = serr
	}
	if err == nil {
		err = s.markFollowers(c)
	}
	if err != nil {
		t.Abort()
	}
	return err
}

// markFollowers makes a change that creates a session and replaces others
// (a resume, a conversation carried on) whole even if the process dies
// between their renames: the created file goes in first, and each replaced
// session's marker names it. A repair that finds the created file in place
// puts the replaced session's staged file in place too (rolls forward);
// one that does not, drops it (the create never happened).
func (s *Store) markFollowers(c changeSet) error {
	if len(c.create) == 0 || len(c.replace) == 0 {
		return nil
	}
	note := []byte(followsPrefix + c.create[0].SessionID + "\n")
	for _, sess := range c.replace {
		if err := writeSynced(s.markerPath(kindSession, sess.SessionID), note); err != nil {
			return fmt.Errorf("mark session %s: %w", sess.SessionID, err)
		}
	}
	return nil
}

// followsPrefix begins a session marker that names the created session its
// staged file goes in after.
const followsPrefix = "after "

// sessionFile is the encoded file of a session about to be written.
type sessionFile struct {
	sess *session.Session
	data []byte
}

// encode encodes the session files, refusing any the store could not read
// back, and lists the index changes and the sessions by id.
func (c *changeSet) encode() (files []sessionFile, changes map[string]*session.IndexEntry, rf *refresh, err error) {
	changes = make(map[string]*session.IndexEntry, len(c.create)+len(c.replace)+len(c.archive)+len(c.index))
	rf = &refresh{mem: make(map[string]*session.Session, len(c.create)+len(c.replace))}
	for id, e := range c.index {
		changes[id] = e
	}
	for _, list := range [][]*session.Session{c.create, c.replace} {
		for _, sess := range list {
			data, err := encodeSessionFile(sess)
			if err != nil {
				return nil, nil, nil, fmt.Errorf("encode session %s: %w", sess.SessionID, err)
			}
			if len(data) > MaxFileSize {
				return nil, nil, nil, session.TooLarge("session %s would grow to %d bytes, over the %d bytes a session file may hold; nothing was written (complete it and start a new one)", sess.SessionID, len(data), MaxFileSize)
			}
			files = append(files, sessionFile{sess, data})
			e := sess.Entry()
			changes[sess.SessionID] = &e
			rf.mem[sess.SessionID] = sess
		}
	}
	for _, sess := range c.archive {
		changes[sess.SessionID] = nil
	}
	return files, changes, rf, nil
}

// stageSessions stages the session files: new ones first, then replaced
// ones (a created file can be taken back if a replace fails; a replaced one
// cannot), then the moves to the archive.
func (s *Store) stageSessions(t *disk.Txn, c changeSet, files []sessionFile) error {
	for i, f := range files {
		path := s.sessionPath(f.sess.SessionID)
		var err error
		if i < len(c.create) {
			err = t.Create(path, f.data)
		} else {
			err = t.Replace(path, true, f.data)
		}
		if err != nil {
			return fmt.Errorf("save session %s: %w", f.sess.SessionID, err)
		}
	}
	for _, sess := range c.archive {
		if err := t.Link(s.sessionPath(sess.SessionID), s.archivedPath(sess.SessionID)); err != nil {
			return fmt.Errorf("archive session %s: %w", sess.SessionID, err)
		}
	}
	for _, sess := range c.archive {
		t.Remove(s.sessionPath(sess.SessionID))
	}
	return nil
}

// stageDerived stages the index with changes and the state of projects. A
// missing or corrupt index is rebuilt from the session files, so a change
// never throws entries away. The caller holds the index lock.
func (s *Store) stageDerived(t *disk.Txn, changes map[string]*session.IndexEntry, projects []string, rf *refresh) error {
	data, release, err := disk.Map(s.indexPath(), MaxIndexSize)
	if err == nil {
		err = s.stageSplice(t, data, changes, projects, rf)
		release()
		if err == nil || !errors.Is(err, codec.ErrSyntax) && !errors.Is(err, disk.ErrFault) {
			return err
		}
		t.DropDerived()
		s.warnf("session index is corrupt (%v); rebuilding it from the session files", err)
	} else if !isNotExist(err) {
		s.warnf("session index is unreadable (%v); rebuilding it from the session files", err)
	}
	entries, err := s.scanSessionFiles()
	if err != nil {
		return err
	}
	index.Apply(entries, changes, "")
	out, err := index.Encode(entries)
	if err != nil {
		return err
	}
	if err := s.stageIndex(t, -1, out); err != nil {
		return err
	}
	return s.stageProjects(t, projects, changes, rf, func(p string) (map[string]session.IndexEntry, error) {
		idx := make(map[string]session.IndexEntry)
		for id, e := range entries {
			if e.ProjectSlug == p {
				idx[id] = e
			}
		}
		return idx, nil
	})
}

// stageSplice stages the index with changes spliced into data, the mapped
// index, and meanwhile on another core the projects' states from their
// entries in data. A fault reading the mapping comes back as
// disk.ErrFault; nothing staged shares its memory.
func (s *Store) stageSplice(t *disk.Txn, data []byte, changes map[string]*session.IndexEntry, projects []string, rf *refresh) error {
	done := make(chan error, 1)
	go func() {
		done <- disk.Guarded(func() error {
			return s.stageProjects(t, projects, changes, rf, func(p string) (map[string]session.IndexEntry, error) {
				return index.DecodeWith(data, "project_slug", p)
			})
		})
	}()
	err := disk.Guarded(func() error {
		parts, changed, ok, err := index.QuickSplice(data, changes)
		if !ok {
			var out []byte
			if out, changed, err = index.SpliceAll(data, changes); err != nil {
				return codec.ErrSyntax
			}
			parts = [][]byte{out}
		}
		if err != nil || !changed {
			return err
		}
		return s.stageIndex(t, len(data), parts...)
	})
	// The projects are staged from data: wait for them before the caller
	// lets go of the mapping.
	if perr := <-done; err == nil {
		err = perr
	}
	return err
}

// stageIndex stages a new index of the concatenation of parts, refusing one
// sess could not read back. oldSize is the size of the index it replaces
// (-1 unknown): crossing the original's cap is said once.
func (s *Store) stageIndex(t *disk.Txn, oldSize int, parts ...[]byte) error {
	size := 0
	for _, p := range parts {
		size += len(p)
	}
	if size > MaxIndexSize {
		return session.TooLarge("the session index would grow to %d bytes, over the %d bytes sess reads; nothing was written (sess-manage archive shrinks it)", size, MaxIndexSize)
	}
	if size > MaxFileSize && oldSize >= 0 && oldSize <= MaxFileSize {
		s.warnf("the session index is now over %d MiB: the original tool cannot read this store; sess-manage archive shrinks it", MaxFileSize>>20)
	}
	return t.Replace(s.indexPath(), false, parts...)
}

// stageProjects stages the refreshed state of each project, from its index
// entries as entriesOf gives them before changes.
func (s *Store) stageProjects(t *disk.Txn, projects []string, changes map[string]*session.IndexEntry, rf *refresh, entriesOf func(string) (map[string]session.IndexEntry, error)) error {
	for _, p := range projects {
		idx, err := entriesOf(p)
		if err != nil {
			return err
		}
		index.Apply(idx, changes, p)
		data, err := s.projectStateFile(p, idx, rf)
		if err != nil {
			return fmt.Errorf("refresh project state of %s: %w", p, err)
		}
		if data == nil {
			continue
		}
		if err := t.Replace(s.projectPath(p), false, data); err != nil {
			return fmt.Errorf("refresh project state of %s: %w", p, err)
		}
	}
	return nil
}
