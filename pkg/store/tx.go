package store

import (
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/sess-dev/sess/pkg/session"
)

// The store's engine, in public: a change is a transaction that reads the
// sessions it locked, creates, puts and archives sessions, and names the
// projects whose state follows, and goes in whole or not at all (see
// apply). Reads outside a change go through View. Every change of a
// session is made over Update: the store's own commands (one session, a
// batch of the cleanup or the archive, a resume, a create) and the
// journal's. config.json, a project's roadmap (update-project-state) and
// the rebuilt index are single files with a lock of their own.

// ErrNotLocked is the error of a Tx asked for a session it did not lock:
// Update locks the sessions it is given before its function runs, in one
// order, so that two changes never wait on each other.
var ErrNotLocked = errors.New("session not locked by this change")

// Tx is one change of the store, valid only inside the function given to
// Update.
type Tx struct {
	s        *Store
	h        *held
	now      string
	locked   map[string]*session.Session // read under their locks
	unread   map[string]error            // asked for, and not there or unreadable
	put      map[string]bool
	archived map[string]bool
	created  []*session.Session
	projects []string
	done     bool // committed or given up: the Tx is of no more use
}

// Update runs fn with the locks of sessions ids taken, in id order (a
// session that is not there, or is archived, is an error before fn runs),
// then puts in place everything fn created and put, with the index and
// the state of the projects it named, as one change: none of it when fn
// returns an error or the disk is full (everything is staged first), all
// of it once the first session file is in; a change that creates a
// session and replaces one is whole even when killed between them (see
// markFollowers), one that replaces several is not yet. A change fn makes
// to a session it does not Put is not written. fn must not write the
// store otherwise (another Update of a session it holds would wait for
// itself).
func (s *Store) Update(ids []string, fn func(*Tx) error) error {
	return s.change(ids, false, fn)
}

// change is Update; with skipUnread, a session that cannot be locked and
// read is not an error of the change but of tx.Session, so that a batch
// goes on without it.
func (s *Store) change(ids []string, skipUnread bool, fn func(*Tx) error) error {
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	var archived []*session.Session
	err := s.withLocks(func(h *held) error {
		tx := &Tx{s: s, h: h, locked: map[string]*session.Session{}, unread: map[string]error{}, put: map[string]bool{}, archived: map[string]bool{}}
		dirsMade := false // a batch of many sessions makes them once
		for _, id := range ids {
			if s.beforeLock != nil {
				s.beforeLock(id)
			}
			sess, err := s.lockSession(h, id, &dirsMade, skipUnread)
			if err != nil {
				if !skipUnread {
					return err
				}
				tx.unread[id] = err
				continue
			}
			tx.locked[id] = sess
		}
		tx.now = s.nowString() // once the locks are had: a change's time is when it was made
		defer func() { tx.done = true }()
		if err := fn(tx); err != nil {
			return err
		}
		var err error
		archived, err = tx.commit()
		return err
	})
	if err != nil {
		return err
	}
	// An archived session's lock is of no more use: it goes once let go
	// of, with its marker (one who waits on it sees it gone).
	for _, sess := range archived {
		removeIfExists(s.lockPath(kindSession, sess.SessionID))
	}
	return nil
}

// ErrUnchanged, returned by the function UpdateOne runs, says it left the
// session as it was: nothing is written, and UpdateOne succeeds.
var ErrUnchanged = errors.New("unchanged")

// UpdateOne is Update of one session as a read-modify-write: fn changes
// the session read under its lock (now is the change's time), and the
// result is put in place with its index entry and, when refresh is set or
// the status changed, its project's state: all of it or none. fn returns
// ErrUnchanged to write nothing. It returns the session as fn left it.
func UpdateOne(s *Store, id string, refresh bool, fn func(sess *session.Session, now string) error) (*session.Session, error) {
	var out *session.Session
	err := s.Update([]string{id}, func(tx *Tx) error {
		sess, err := tx.Session(id)
		if err != nil {
			return err
		}
		before := sess.Status
		err = fn(sess, tx.Now())
		out = sess
		if errors.Is(err, ErrUnchanged) {
			return nil
		}
		if err != nil {
			return err
		}
		// A change of status changes the project's state.
		if refresh || sess.Status != before {
			tx.Refresh(sess.ProjectSlug)
		}
		return tx.Put(sess)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// errTxDone is the error of a Tx used after its Update returned.
var errTxDone = errors.New("the change is over: a Tx is only of use inside Update")

// Now is the time of the change, as the store writes times.
func (tx *Tx) Now() string { return tx.now }

// Session is a session the change locked, as read under its lock. Changes
// to it are written when it is Put. In a batch of the store's, a session
// that could not be locked and read is its error.
func (tx *Tx) Session(id string) (*session.Session, error) {
	if tx.done {
		return nil, errTxDone
	}
	if err, ok := tx.unread[id]; ok {
		return nil, err
	}
	sess, ok := tx.locked[id]
	if !ok {
		return nil, fmt.Errorf("%s: %w", id, ErrNotLocked)
	}
	return sess, nil
}

// Put writes a session the change locked, as it is now.
func (tx *Tx) Put(sess *session.Session) error {
	if tx.done {
		return errTxDone
	}
	if sess == nil || tx.locked[sess.SessionID] != sess {
		id := "<nil>"
		if sess != nil {
			id = sess.SessionID
		}
		return fmt.Errorf("put %s: %w", id, ErrNotLocked)
	}
	if tx.archived[sess.SessionID] {
		return fmt.Errorf("put %s: archived by this change", sess.SessionID)
	}
	tx.put[sess.SessionID] = true
	return nil
}

// Archive moves a completed session the change locked to the archive (out
// of the index; the original's archive). Its project's state is left as
// it was unless the change Refreshes it, as the original leaves it after
// archive --session-id.
func (tx *Tx) Archive(sess *session.Session) error {
	if tx.done {
		return errTxDone
	}
	if sess == nil || tx.locked[sess.SessionID] != sess {
		return fmt.Errorf("archive: %w", ErrNotLocked)
	}
	if sess.Status != session.StatusCompleted {
		return session.Conflict("session %s is %s; only completed sessions are archived", sess.SessionID, sess.Status)
	}
	if exists(tx.s.archivedPath(sess.SessionID)) {
		return session.Conflict("session %s could not be archived: the archive already holds a file of that name", sess.SessionID)
	}
	delete(tx.put, sess.SessionID)
	tx.archived[sess.SessionID] = true
	return nil
}

// Create makes a new active session, locked by this change and written
// with it, as it is when the change ends (no Put needed); its project's
// state follows.
func (tx *Tx) Create(p NewSession) (*session.Session, error) {
	if tx.done {
		return nil, errTxDone
	}
	if err := p.clean(); err != nil {
		return nil, err
	}
	tx.s.mend()
	if err := tx.s.ensureDirs(); err != nil {
		return nil, err
	}
	sess, err := tx.s.newLocked(tx.h, p)
	if err != nil {
		return nil, err
	}
	tx.created = append(tx.created, sess)
	tx.locked[sess.SessionID] = sess
	tx.Refresh(p.Project)
	return sess, nil
}

// Refresh names a project whose state the change recounts.
func (tx *Tx) Refresh(project string) {
	if !slices.Contains(tx.projects, project) {
		tx.projects = append(tx.projects, project)
	}
}

// commit puts the change in place: the projects' locks are taken after
// every session's and before the index's (the store's order), so that the
// index a refresh reads cannot miss a change another writer of the project
// made.
func (tx *Tx) commit() (archived []*session.Session, err error) {
	c := changeSet{create: tx.created}
	for _, id := range slices.Sorted(maps.Keys(tx.put)) {
		if !slices.Contains(tx.created, tx.locked[id]) { // a created one is written whole
			c.replace = append(c.replace, tx.locked[id])
		}
	}
	for _, id := range slices.Sorted(maps.Keys(tx.archived)) {
		c.archive = append(c.archive, tx.locked[id])
	}
	if len(c.create) == 0 && len(c.replace) == 0 && len(c.archive) == 0 && len(tx.projects) == 0 {
		return nil, nil
	}
	slices.Sort(tx.projects)
	for _, p := range tx.projects {
		if err := tx.h.take(kindProject, p); err != nil {
			return nil, err
		}
	}
	c.projects = tx.projects
	if err := tx.s.apply(tx.h, c); err != nil {
		return nil, err
	}
	return c.archive, nil
}
