package store

import (
	"fmt"
	"slices"

	"sort"
	"strings"
	"time"

	"github.com/sess-dev/sess/pkg/session"
	"github.com/sess-dev/sess/pkg/store/internal/disk"
)

// StaleOutcome is the outcome of a session closed for want of a heartbeat.
const StaleOutcome = "Auto-closed (stale — no heartbeat)"

// CleanupStale completes every stale session (thresholdHours, or the
// config's when 0), and every conversation that ended (Claude Code's
// SessionEnd) longer than RecentEnd ago without being carried on,
// re-checking each under its lock so that a session heartbeated since the
// scan is kept. It returns the ids it closed. With dryRun it changes
// nothing and returns what it would close.
func (s *Store) CleanupStale(thresholdHours int, dryRun bool) ([]string, error) {
	if thresholdHours <= 0 {
		thresholdHours = s.loadConfig().Settings.StaleThresholdHours
	}
	stale, err := s.closable(thresholdHours)
	if err != nil {
		return nil, err
	}
	closed := []string{}
	if dryRun {
		for _, sess := range stale {
			closed = append(closed, sess.SessionID)
		}
		return closed, nil
	}
	for start := 0; start < len(stale); start += batchSize {
		chunk := stale[start:min(start+batchSize, len(stale))]
		ids, err := s.batch(chunk, func(sess *session.Session, now string) (bool, error) {
			outcome := StaleOutcome
			switch {
			case session.IsStale(sess.Status, sess.LastHeartbeat, s.now(), thresholdHours):
			case s.isEndedLong(sess):
				outcome = "Conversation ended (" + session.Deref(sess.StateReason) + ")"
			default:
				return false, nil
			}
			sess.Status = session.StatusCompleted
			sess.EndedAt = &now
			sess.LastHeartbeat = now
			if sess.Outcome == nil {
				sess.Outcome = &outcome
			}
			return true, nil
		})
		closed = append(closed, ids...)
		if err != nil {
			return closed, err
		}
	}
	return closed, nil
}

// RecentEnd is how long the session of a conversation that ended
// (SessionEnd) stays active: a resume of the same conversation takes it up
// again; past it, the cleanup completes it.
const RecentEnd = 2 * time.Hour

// closable is the active sessions that are stale, or whose conversation
// ended more than RecentEnd ago (no new one carried them on, so they are
// over), newest first, each file read once.
func (s *Store) closable(thresholdHours int) ([]*session.Session, error) {
	s.mend()
	idx, err := s.loadIndexWith("status", string(session.StatusActive))
	if err != nil {
		return nil, err
	}
	// A stale session's heartbeat is old, and so is an ended one's (the end
	// set it): only sessions quiet for the shorter of the two are read.
	now := s.now()
	quiet := min(time.Duration(thresholdHours)*time.Hour, RecentEnd)
	for id, e := range idx {
		if hb, err := session.ParseTime(e.LastHeartbeat); err == nil && now.Sub(hb) <= quiet {
			delete(idx, id)
		}
	}
	var out []*session.Session
	for _, sess := range s.readSelected(idx, Filter{Status: session.StatusActive}) {
		if session.IsStale(sess.Status, sess.LastHeartbeat, now, thresholdHours) || s.isEndedLong(sess) {
			out = append(out, sess)
		}
	}
	return out, nil
}

func (s *Store) isEndedLong(sess *session.Session) bool {
	if sess.Status != session.StatusActive || session.Deref(sess.State) != session.StateEnded {
		return false
	}
	t, err := session.ParseTime(session.Deref(sess.StateSince))
	return err == nil && s.now().Sub(t) > RecentEnd
}

// batchSize bounds how many session locks a batch holds at once. Each batch
// goes in whole or not at all; a batch that failed leaves the ones before it
// done, which a second run does not do again.
const batchSize = 128

// batch changes several sessions in one change (see Update): each is locked
// (in id order, so that two batches never wait on each other) and read
// again, fn changes it (and reports whether it did), and the changed files
// go in with their index entries and their projects' states together. It
// returns the ids it changed. A session that cannot be read is warned
// about and skipped; one gone since the scan is skipped.
func (s *Store) batch(cands []*session.Session, fn func(sess *session.Session, now string) (bool, error)) ([]string, error) {
	ids := make([]string, 0, len(cands))
	for _, c := range cands {
		ids = append(ids, c.SessionID)
	}
	var changed []string
	err := s.change(ids, true, func(tx *Tx) error {
		changed = nil
		for _, id := range slices.Sorted(slices.Values(ids)) {
			sess, err := tx.Session(id)
			if err != nil {
				s.warnUnread(id, "skipping", err)
				continue
			}
			ok, err := fn(sess, tx.Now())
			if err != nil {
				s.warnf("skipping session %s: %v", id, err)
				continue
			}
			if ok {
				changed = append(changed, id)
				tx.Refresh(sess.ProjectSlug)
				if err := tx.Put(sess); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return changed, nil
}

// warnUnread warns of a session a batch could not read, unless it is gone
// (or archived) since the scan, which is no fault.
func (s *Store) warnUnread(id, doing string, err error) {
	if c := session.ErrorCode(err); isNotExist(err) || c == session.CodeNotFound || c == session.CodeConflict {
		return
	}
	s.warnf("%s session %s: %v", doing, id, err)
}

// CleanupLocks removes session .lock files that have no session file, and
// returns their names. A lock is removed only while held, and only if its
// session file is still absent, so that no writer loses it mid-change.
func (s *Store) CleanupLocks(dryRun bool) ([]string, error) {
	names, err := readDirNames(s.sessionsDir())
	if err != nil {
		if isNotExist(err) {
			return []string{}, nil
		}
		return nil, fmt.Errorf("read sessions folder: %w", err)
	}
	sessions := make(map[string]bool, len(names)/2)
	var orphans []string
	for _, n := range names {
		if id, ok := strings.CutSuffix(n, ".json"); ok {
			sessions[id] = true
		}
	}
	for _, n := range names {
		if id, ok := strings.CutSuffix(n, ".lock"); ok && !sessions[id] && session.ValidateSessionID(id) == nil {
			orphans = append(orphans, id)
		}
	}
	sort.Strings(orphans)
	removed := []string{}
	for _, id := range orphans {
		n := id + ".lock"
		if dryRun {
			removed = append(removed, n)
			continue
		}
		// Removed only while held, so that no one holds it then; one who
		// waits on it sees it gone once locked (disk.Acquire) and takes a new
		// one.
		dl, got, err := disk.TryAcquire(s.lockPath(kindSession, id))
		if err != nil || !got {
			continue // in use: a session being created
		}
		if !exists(s.sessionPath(id)) && !exists(s.markerPath(kindSession, id)) {
			if err := removeIfExists(s.lockPath(kindSession, id)); err == nil {
				removed = append(removed, n)
			} else if !isNotExist(err) {
				s.warnf("could not remove orphaned lock %s: %v", n, err)
			}
		}
		dl.Release()
	}
	return removed, nil
}

// ArchiveSession moves a completed session into sessions/archive/ and out of
// the index.
func (s *Store) ArchiveSession(id string) error {
	if err := session.ValidateSessionID(id); err != nil {
		return err
	}
	s.mend()
	if err := s.checkWritable(id); err != nil {
		if session.ErrorCode(err) == session.CodeConflict {
			return session.Conflict("session %s is already archived", id)
		}
		return err
	}
	if err := s.ensureDirs(); err != nil {
		return err
	}
	// The original leaves projects/<slug>.json as it was here; only a
	// refresh (archive --days among them) recounts it.
	return s.Update([]string{id}, func(tx *Tx) error {
		sess, err := tx.Session(id)
		if err != nil {
			return err
		}
		return tx.Archive(sess)
	})
}

// ArchiveOld archives the completed sessions that ended more than days ago
// (the config's archive_after_days when 0) and returns their ids. With dryRun
// it only lists them. It moves them in batches, with one index update and
// two folder syncs per batch.
func (s *Store) ArchiveOld(days int, dryRun bool) ([]string, error) {
	if days == 0 {
		days = s.loadConfig().Settings.ArchiveAfterDays
	}
	if err := session.ValidateDays(days); err != nil {
		return nil, err
	}
	s.mend()
	idx, err := s.loadIndex()
	if err != nil {
		return nil, err
	}
	cutoff := s.now().Add(-time.Duration(days) * 24 * time.Hour)
	old := func(endedAt *string) bool {
		if endedAt == nil {
			return false
		}
		t, err := session.ParseTime(*endedAt)
		return err == nil && t.Before(cutoff)
	}
	var ids []string
	for id, e := range idx {
		if e.Status == session.StatusCompleted && old(e.EndedAt) {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	archived := []string{}
	if dryRun {
		return append(archived, ids...), nil
	}
	if err := s.ensureDirs(); err != nil {
		return nil, err
	}
	for start := 0; start < len(ids); start += batchSize {
		moved, err := s.archiveBatch(ids[start:min(start+batchSize, len(ids))], func(sess *session.Session) bool { return old(sess.EndedAt) }, true)
		for _, sess := range moved {
			archived = append(archived, sess.SessionID)
		}
		if err != nil {
			return archived, err
		}
	}
	return archived, nil
}

// archiveBatch moves the given sessions, if completed and keep says so, to
// the archive in one change (see Update), with their index entries and, with
// recount, their projects' states.
func (s *Store) archiveBatch(ids []string, keep func(*session.Session) bool, recount bool) ([]*session.Session, error) {
	var moved []*session.Session
	err := s.change(ids, true, func(tx *Tx) error {
		moved = nil
		for _, id := range slices.Sorted(slices.Values(ids)) {
			sess, err := tx.Session(id)
			if err != nil {
				s.warnUnread(id, "not archiving", err)
				continue
			}
			if sess.Status != session.StatusCompleted || !keep(sess) {
				continue
			}
			if err := tx.Archive(sess); err != nil {
				s.warnf("%v", err) // the archive holds a file of its name
				continue
			}
			moved = append(moved, sess)
			if recount {
				tx.Refresh(sess.ProjectSlug)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return moved, nil
}
