package store

import (
	"fmt"
	"maps"
	"path/filepath"
	"slices"

	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store/internal/disk"
	"github.com/sess-dev/sess/pkg/store/internal/queue"
)

// The index's group commit. Every change rewrites the index (3 MB at
// 10,000 sessions) and syncs it: two hundred hooks at once each waited
// for the rewrites of all before them. So a change of sessions puts its
// session files in place under their own locks, then writes its index
// entries at once if the index lock is free; if it is not, it leaves them
// in the queue folder and waits for the lock. Whoever gets the lock and
// finds its entries still queued writes the index once with every entry
// queued; the others find theirs gone, written. A change's locks are let
// go of only once its entries are in the index, so a project's next
// writer reads them, as before.
//
// A queued entry is a note, not the truth (a killed writer's marker has
// its entries set from the files): it is written as queued only while its
// session's file is the one it was made from (its FileID), else made from
// the file as it is now, or removed if the file is gone.

func (s *Store) queue() queue.Queue { return queue.Queue(filepath.Join(s.dir, ".index-queue")) }

// groupable reports whether a change's entries can go through the queue:
// it writes a few sessions alone (a project's writers wait on its lock in
// turn anyway), and the disk has room to spare for the index written
// again. Near a full disk a change is staged whole first, so that it
// fails with nothing changed.
func (s *Store) groupable(c *changeSet, files []sessionFile) bool {
	if n := len(c.create) + len(c.replace); n == 0 || n > maxGrouped || len(c.archive) != 0 || len(c.index) != 0 || len(c.projects) != 0 {
		return false
	}
	size, _, _ := disk.Regular(s.indexPath())
	need := uint64(roomToSpare + 2*size)
	for _, f := range files {
		need += uint64(len(f.data))
	}
	free, ok := disk.Free(s.sessionsDir())
	return ok && free >= need
}

// roomToSpare is the free space a grouped change leaves beside its files
// and the index; maxGrouped, the most sessions it writes.
const (
	roomToSpare = 16 << 20
	maxGrouped  = 64
)

// applyGrouped is apply of a groupable change: the session files are
// staged and go in (the point of no return), then their index entries
// with those of every change waiting (writeGrouped).
func (s *Store) applyGrouped(h *held, c changeSet, files []sessionFile, changes map[string]*session.IndexEntry) error {
	var t disk.Txn
	if err := s.stage(&t, c, files, func() error { return nil }); err != nil {
		return err
	}
	committed, err := t.Commit()
	if !committed {
		return err
	}
	s.noteChanged(c)
	// A session file that failed after another went in, or a folder not
	// synced: no entry for a file that may not be there (the markers'
	// repair sets them from the files).
	if err == nil {
		err = s.writeGrouped(h, changes)
	}
	if err != nil {
		h.keep = true
		s.warnf("the change is saved, but its index is not (%v); the next command brings it in line", err)
	}
	return nil
}

// writeGrouped puts a change's index entries in the index. With the index
// lock free, it writes them at once (with any queued); else it queues them
// and waits for the lock: whoever holds it next writes every entry queued,
// and this writer, finding its own still there, writes them itself. When
// they cannot be queued (a full disk), it writes them alone.
func (s *Store) writeGrouped(h *held, changes map[string]*session.IndexEntry) error {
	switch ok, err := h.tryTakeIndex(); {
	case err != nil:
		return err
	case ok:
		return s.writeQueued("", changes)
	}
	item, qerr := s.queueEntries(changes)
	if err := h.take(kindIndex, ""); err != nil {
		return err
	}
	if qerr != nil {
		return s.writeQueued("", changes)
	}
	if !s.queue().Has(item) {
		return nil // written by the writer before
	}
	return s.writeQueued(item, changes)
}

// queueEntries leaves a change's entries in the queue, each with the
// session file it was made from; the caller holds the sessions' locks.
func (s *Store) queueEntries(changes map[string]*session.IndexEntry) (string, error) {
	var q []queue.Entry
	for id, e := range changes {
		f, _ := disk.IDOf(s.sessionPath(id))
		q = append(q, queue.Entry{ID: id, File: f, Entry: e})
	}
	return s.queue().Put(q)
}

// writeQueued writes every queued entry into the index at once, own (the
// caller's item; "" for none) among them, with changes; the caller holds
// the index lock.
func (s *Store) writeQueued(own string, changes map[string]*session.IndexEntry) error {
	all, items := s.takeQueued(own, changes)
	if err := s.writeIndexChanges(all); err != nil {
		return err
	}
	s.doneQueued(own, items, all)
	return nil
}

// takeQueued is changes with every entry waiting in the queue but own's
// (the caller's item, whose entries changes has): an entry whose session
// file changed since it was queued is made from the file; changes' own
// sessions are as changes has them (their writer holds their locks). The
// caller holds the index lock, and is done with the items (doneQueued)
// once the entries are written.
func (s *Store) takeQueued(own string, changes map[string]*session.IndexEntry) (map[string]*session.IndexEntry, []string) {
	items, queued, damaged, err := s.queue().Read(own)
	if err != nil { // the items stay for their writers
		s.warnf("could not read the index's queue: %v", err)
	}
	for _, err := range damaged {
		s.warnf("dropping a queued index change that cannot be read (%v)", err)
	}
	all := make(map[string]*session.IndexEntry, len(changes)+len(queued))
	for id, q := range queued {
		if _, mine := changes[id]; mine {
			continue
		}
		if e, ok := s.entryNow(id, q); ok {
			all[id] = e
		}
	}
	for id, e := range changes {
		all[id] = e
	}
	return all, items
}

// doneQueued lets go of the queue's items (and own) whose entries went
// into the index with all, and notes them all in the change feed.
func (s *Store) doneQueued(own string, items []string, all map[string]*session.IndexEntry) {
	if own != "" {
		items = append(items, own)
	}
	if len(items) > 0 {
		s.queue().Done(items)
	}
	// The index's rename moved the sessions folder: the change feed is
	// told, so that a search does not take it for another tool's write.
	s.derived.NoteChanged(slices.Collect(maps.Keys(all))...)
}

// entryNow is the entry of session id for the index: the one queued
// from its file as the file is now, when the queue holds one such; else
// one made from the file, or nil (removed) when there is no live file; ok
// is false when the file cannot be read (the entry is left as it is).
func (s *Store) entryNow(id string, q []queue.Entry) (*session.IndexEntry, bool) {
	if f, ok := disk.IDOf(s.sessionPath(id)); ok {
		var match *queue.Entry
		n := 0
		for i := range q {
			if q[i].File == f {
				match = &q[i]
				n++
			}
		}
		if n == 1 {
			return match.Entry, true
		}
	}
	sess, err := s.readSessionFile(s.sessionPath(id))
	switch {
	case err == nil:
		e := sess.Entry()
		return &e, true
	case isNotExist(err):
		return nil, true
	default:
		return nil, false
	}
}

// writeIndexChanges writes changes into the index, alone; the caller holds
// the index lock.
func (s *Store) writeIndexChanges(changes map[string]*session.IndexEntry) error {
	if len(changes) == 0 {
		return nil
	}
	var t disk.Txn
	if err := s.stageDerived(&t, changes, nil, nil); err != nil {
		t.Abort()
		return err
	}
	if _, err := t.Commit(); err != nil {
		return fmt.Errorf("write the index: %w", err)
	}
	return nil
}

// mendQueue writes the entries that writers which are gone left queued
// (a live writer's are written by whoever holds the index lock), and
// drops their half-written items.
func (s *Store) mendQueue() {
	if !s.queue().Pending() {
		return
	}
	l, ok, err := disk.TryAcquire(s.indexLockPath())
	if err != nil || !ok {
		return // a writer holds it, and writes the queue
	}
	defer l.Release()
	s.queue().DropPartial()
	if err := s.writeQueued("", nil); err != nil {
		s.warnf("could not write the queued index changes: %v", err)
	}
	s.queue().Done(nil) // the folder, now empty
}
